"""``drillsim join``: one seat of a hosted drill as a Textual app (a role, the controller or the room display).

The app holds no drill: it renders the view the host sends (``host.views.seat_view``,
rebuilt as a ``DrillView`` by ``host.protocol.drill_view_from``) with the drill screen's
widgets, and sends inputs. Each input gets a client id and stays *sent* until the host
acknowledges it as *recorded* (in the journal); a seat that drops reconnects by itself
with backoff, gets its full view back and resends what was not acknowledged (the host
answers a resend without applying it twice).

Why one module of about 650 lines: the app (connection, resend) and its three seat screens
(role, controller, room) share the status line, the input bookkeeping and the compact layout
(below 110x32 the right column shows one pane at a time behind tabs); split, each would import
the others' internals.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import uuid
from pathlib import Path
from typing import Any, ClassVar

from drillsim.host.protocol import actions_from, drill_view_from
from drillsim.simulator.durations import format_clock
from drillsim.simulator.view import ActionAvailability, DrillView
from drillsim.tui.messages import ActionRequested, DecisionAnswered, InputRequested
from drillsim.tui.screens.modals import ConfirmScreen, DecisionScreen, InjectRequest, InjectScreen, TextScreen
from drillsim.tui.session import faster, format_speed, slower
from drillsim.tui.widgets import (
    ACTION_KEYS,
    ActionMenu,
    DecisionPanel,
    DrillHeader,
    IncidentFeed,
    MemberRow,
    MetricCard,
    MilestonePanel,
    PausedBanner,
    action_hint,
    add_recent_penalties,
    controller_grid,
    money,
    number,
)
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, CSSPathType
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.reactive import var
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Digits, Footer, Static, Tab, Tabs

HERE = Path(__file__).parent
BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Seconds between reconnect attempts (the last repeats)."""
FATAL = {"bad-code": "wrong seat or join code", "hello-first": "not a drillsim host"}


class SeatApp(App[str | None]):
    """One seat. ``connect`` is False in tests that feed views directly (``show_view``)."""

    TITLE = "drillsim seat"
    CSS_PATH: ClassVar[CSSPathType | None] = [HERE.parent / "footer.tcss", HERE / "seats.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="seat.quit"),
    ]

    def __init__(self, url: str, seat: str, code: str, *, cafile: Path | None = None, connect: bool = True) -> None:
        super().__init__()
        self.url, self.seat, self.code, self.cafile = url, seat, code, cafile
        self.auto_connect = connect
        self.ws: Any = None
        self.welcome: dict[str, Any] = {}
        self.pending: dict[str, str] = {}
        """Inputs sent and not yet acknowledged, by client id (resent after a reconnect)."""
        self.recorded: list[str] = []
        self.status = "connecting"
        self.view_data: dict[str, Any] | None = None
        self.seat_screen: SeatScreen | None = None
        self.sub_title = seat
        self.view_changed: Signal[DrillView] = Signal(self, "view-changed")
        """Published with each view the host sends; an open dialog that shows live drill state (a decision's
        countdown) subscribes while it is mounted."""

    def on_mount(self) -> None:
        self.push_screen(WaitingScreen())
        if self.auto_connect:
            self.run_worker(self._connection(), name="seat-connection", exclusive=True)

    # ------------------------------------------------------------------ connection

    def _ssl(self) -> ssl.SSLContext | None:
        if not self.url.startswith("wss://"):
            return None
        context = ssl.create_default_context(cafile=str(self.cafile) if self.cafile else None)
        return context

    async def _connection(self) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidHandshake, InvalidURI, WebSocketException

        attempt = 0
        while True:
            try:
                async with connect(self.url, ssl=self._ssl(), open_timeout=5, max_size=2**23) as ws:
                    await ws.send(json.dumps({"type": "hello", "seat": self.seat, "code": self.code}))
                    welcome = json.loads(await ws.recv())
                    if welcome.get("type") == "error":
                        code = welcome.get("code", "")
                        if code in FATAL:
                            self.exit(message=f"drillsim join: {welcome.get('message')} ({self.url})", return_code=2)
                            return
                        raise ConnectionError(welcome.get("message", code))
                    self.ws, self.welcome, attempt = ws, welcome, 0
                    self.set_status("connected")
                    for unacknowledged in list(self.pending.values()):
                        await ws.send(unacknowledged)
                    async for frame in ws:
                        self.on_frame(json.loads(frame))
            except InvalidURI:
                self.exit(message=f"drillsim join: not a host address: {self.url}", return_code=2)
                return
            except (OSError, TimeoutError, ConnectionError, InvalidHandshake, WebSocketException, ValueError) as exc:
                self.ws = None
                wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
                attempt += 1
                self.set_status(f"reconnecting in {wait:g} s ({_short(exc)})")
                await asyncio.sleep(wait)
                continue
            self.ws = None
            wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
            attempt += 1
            self.set_status(f"host gone; reconnecting in {wait:g} s")
            await asyncio.sleep(wait)

    def set_status(self, status: str) -> None:
        self.status = status
        screen = self.seat_screen or self.screen
        if isinstance(screen, SeatScreen | WaitingScreen):
            screen.show_status()

    def on_frame(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "view":
            self.show_view(message["view"])
        elif kind == "ack":
            self.pending.pop(message.get("id", ""), None)
            if message.get("ok"):
                self.recorded.append(message.get("id", ""))
                self.notify("recorded in the journal", title="Recorded", timeout=3)
            else:
                self.notify(Text(str(message.get("reason"))).markup, title="Not now", severity="warning", timeout=5)
            self.set_status(self.status)
        elif kind == "error":
            self.pending.pop(message.get("id", ""), None)
            self.notify(Text(str(message.get("message"))).markup, title="Refused", severity="error", timeout=6)

    def show_view(self, data: dict[str, Any]) -> None:
        self.view_data = data
        if self.seat_screen is not None:  # under a dialog too: the dialog stays open and follows the signal
            self.seat_screen.show(data)
            self.view_changed.publish(self.seat_screen.current_view())
            return
        kind = data.get("kind")
        seat_screen: SeatScreen
        if kind == "room":
            seat_screen = RoomScreen(data)
        elif kind == "controller":
            seat_screen = ControllerScreen(data)
        else:
            seat_screen = RoleScreen(data)
        self.seat_screen = seat_screen
        self.switch_screen(seat_screen)

    def on_input_requested(self, message: InputRequested) -> None:
        """A seat screen asks for an input to be sent (messages up: screens do not call the app)."""
        self.send_input(message.kind, **message.fields)

    def send_input(self, kind: str, **fields: Any) -> str:
        """Send an input; it shows as *sent* until the host says it is *recorded*."""
        client_id = uuid.uuid4().hex
        frame = json.dumps({"type": kind, "id": client_id, **fields})
        self.pending[client_id] = frame
        if self.ws is not None:
            ws = self.ws

            async def send() -> None:
                with contextlib.suppress(Exception):  # a drop: resent after the reconnect
                    await ws.send(frame)

            self.run_worker(send(), group="seat-send")
        self.set_status(self.status)
        return client_id


def _short(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return text.splitlines()[0][:60]


class WaitingScreen(Screen[None]):
    """Before the first view: where the seat connects to, and how it goes."""

    def compose(self) -> ComposeResult:
        yield Static(id="waiting")

    def on_mount(self) -> None:
        self.show_status()

    def show_status(self) -> None:
        app: SeatApp = self.app  # type: ignore[assignment]
        self.query_one("#waiting", Static).update(
            Text(f"drillsim seat '{app.seat}'\n\n{app.url}\n\n{app.status}", justify="center")
        )


class SeatScreen(Screen[None]):
    """Common to the three seats: a status line (connection, inputs sent and recorded), and ``view``: the latest
    view the host sent, which the drill screen's widgets follow by ``data_bind`` as they follow the drill
    screen's (``render_view`` draws what only this seat has)."""

    view: var[DrillView | None] = var(None, init=False)

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self.data = data
        self.view = drill_view_from(data)

    def current_view(self) -> DrillView:
        """The latest view the host sent (a seat screen is made with one, so there always is one)."""
        assert self.view is not None
        return self.view

    @property
    def seat_app(self) -> SeatApp:
        return self.app  # type: ignore[return-value]

    ready = False
    """Composed and mounted: views that arrive before only replace the data."""

    def on_mount(self) -> None:
        self.ready = True
        self.show(self.data)
        self.show_status()
        self.set_interval(1.0, self.count_new, name="feed-new")  # "N new" ages with wall time, paused or not

    def count_new(self) -> None:
        for feed in self.query(IncidentFeed):
            feed.count_new()

    def show(self, data: dict[str, Any]) -> None:
        self.data = data
        view = drill_view_from(data)
        if not (self.ready and self.is_attached):
            self.set_reactive(SeatScreen.view, view)  # the widgets take it when they are bound
            return
        with self.app.batch_update(), contextlib.suppress(NoMatches):  # (NoMatches: the app is closing)
            self.view = view  # the bound widgets follow
            self.render_view(view, data)

    def render_view(self, view: DrillView, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def request_input(self, kind: str, **fields: Any) -> None:
        """Ask the app to send an input to the host (``InputRequested``; the app keeps it until acknowledged)."""
        self.post_message(InputRequested(kind, fields))

    def show_status(self) -> None:
        app = self.seat_app
        text = Text(no_wrap=True, overflow="ellipsis")
        connected = app.status == "connected"
        text.append(" ● " if connected else " ○ ", "bold green" if connected else "bold red")
        text.append(app.status, "" if connected else "bold yellow")
        member = app.welcome.get("member")
        text.append(f"  ·  seat {app.seat}" + (f" ({member})" if member else ""), "dim")
        if app.pending:
            text.append(f"  ·  {len(app.pending)} sent, waiting to be recorded", "bold yellow")
        elif app.recorded:
            text.append(f"  ·  {len(app.recorded)} recorded", "green")
        for status in self.query("#seat-status"):
            if isinstance(status, Static):
                status.update(text)


PANE_KEY = Binding(
    "t",
    "next_pane",
    "Panes",
    tooltip="Show the next panel of the right column (at small sizes one shows at a time)",
    id="seat.pane",
)
"""``t``: the next pane of the right column (no action key uses t)."""


class RoleScreen(SeatScreen):
    """A role's seat: its inbox, the shared status, its actions, its decisions, the team.

    Below 110 columns or 32 rows (80x24) the layout is compact: the metrics one line each and
    the right column one pane at a time behind tabs (``PANES``; ``t`` switches), each at its
    full height, so every panel is reachable at 80x24.
    """

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (32, "-tall")]
    PANES: ClassVar[tuple[tuple[str, str], ...]] = (("actions", "Actions"), ("team", "Team"), ("clocks", "Clocks"))
    """The right column's panes (id, tab label), in ``t`` order."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "decide", "Decide", id="seat.decide"),
        PANE_KEY,
        *(
            Binding(key, f"take('{key}')", f"Take action {key}", show=False, id=f"seat.action.{key}")
            for key in ACTION_KEYS
        ),
    ]
    INBOX = "Inbox"
    KEYS = ACTION_KEYS
    CONTROLS = False

    actions: var[tuple[ActionAvailability, ...]] = var(tuple, init=False)
    """The seat's actions as the host sent them (the menu follows)."""
    compact_layout: var[bool] = var(False, init=False)
    """``compact`` as a reactive, set after each layout: the milestones wrap at a compact size."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.actions = tuple(actions_from(data))
        self.keys = {a.id: self.KEYS[i] for i, a in enumerate(self.actions[: len(self.KEYS)])}
        self.by_key = {k: a for a, k in self.keys.items()}
        self.pane = self.PANES[0][0]
        self.set_class(True, f"show-{self.pane}")

    def compose(self) -> ComposeResult:
        header = DrillHeader(id="header").data_bind(SeatScreen.view)
        header.recording = True
        yield header
        yield Static(id="seat-status")
        yield PausedBanner(id="paused").data_bind(SeatScreen.view) if self.CONTROLS else Static(id="paused")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                with Horizontal(id="metrics"):
                    for metric in self.current_view().metrics:
                        card = MetricCard(metric.id).data_bind(SeatScreen.view)
                        card.compact = True  # one line each, value first, at every size
                        yield card
                yield DecisionPanel(id="decisions").data_bind(SeatScreen.view)
                yield IncidentFeed(
                    id="feed",
                    title=self.INBOX,
                    wrap=True,
                    markup=False,
                    highlight=False,
                    auto_scroll=True,
                    min_width=20,
                ).data_bind(SeatScreen.view)
            with Vertical(id="right"):
                yield Tabs(*(Tab(label, id=f"tab-{pane}") for pane, label in self.PANES), id="panes")
                yield from self.compose_side()
        yield Footer()

    def compose_team(self) -> ComposeResult:
        with VerticalScroll(id="team", classes="side-pane pane-team") as team:
            team.border_title = "Team"
            for member in self.current_view().members:
                yield MemberRow(member).data_bind(SeatScreen.view)

    def compose_menu(self, title: str) -> ComposeResult:
        menu = ActionMenu(self.keys, id="actions", classes="side-pane pane-actions").data_bind(RoleScreen.actions)
        menu.border_title = title
        yield menu
        yield Static(id="action-hint", classes="side-pane pane-actions")

    def compose_milestones(self, title: str) -> ComposeResult:
        milestones = MilestonePanel(id="milestones", classes="side-pane pane-clocks").data_bind(
            SeatScreen.view, wrap=RoleScreen.compact_layout
        )
        milestones.border_title = title
        yield milestones

    def compose_side(self) -> ComposeResult:
        """The right column; each panel has the class ``pane-ID`` of the pane it belongs to."""
        yield from self.compose_team()
        yield from self.compose_menu(f"Actions: {self.seat_app.seat}")
        yield from self.compose_milestones("Milestones and clocks")

    @property
    def compact(self) -> bool:
        """Below 110 columns or 32 rows: one pane of the right column at a time."""
        return self.has_class("-narrow") or self.has_class("-short")

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        if event.tab is not None and event.tab.id:
            self.show_pane(event.tab.id.removeprefix("tab-"))

    def show_pane(self, pane: str) -> None:
        """Show one pane of the right column (at a compact size; every size keeps the choice)."""
        names = [name for name, _ in self.PANES]
        if pane not in names:
            return
        for name in names:
            self.set_class(name == pane, f"show-{name}")
        self.pane = pane
        with contextlib.suppress(NoMatches):
            tabs = self.query_one("#panes", Tabs)
            if tabs.active != f"tab-{pane}":
                tabs.active = f"tab-{pane}"
            if pane == "actions":
                self.query_one(ActionMenu).focus()

    def action_next_pane(self) -> None:
        names = [name for name, _ in self.PANES]
        self.show_pane(names[(names.index(self.pane) + 1) % len(names)])

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)  # after the breakpoint classes changed

    def _fit(self) -> None:
        """The wrapping and the footer follow the layout: at a compact size the footer packs its keys."""
        with contextlib.suppress(NoMatches):
            self.query_one(Footer).compact = self.compact
        self.compact_layout = self.compact

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(ActionMenu).focus()

    def render_view(self, view: DrillView, data: dict[str, Any]) -> None:
        """What the bound widgets do not draw: a player's paused line and the highlighted action's hint."""
        self.actions = tuple(actions_from(data))
        banner = self.query_one("#paused", Static)
        if not isinstance(banner, PausedBanner):  # (the controller's follows the view)
            banner.display = view.paused and not view.ended
            if banner.display:
                banner.update(paused_text(view))
        self.query_one("#action-hint", Static).update(action_hint(self.query_one(ActionMenu).current()))

    def on_option_list_option_highlighted(self, event: ActionMenu.OptionHighlighted) -> None:
        if isinstance(event.option_list, ActionMenu):
            self.query_one("#action-hint", Static).update(action_hint(event.option_list.current()))

    @on(ActionRequested)
    def take_action(self, event: ActionRequested) -> None:
        self.submit(event.action_id)

    def submit(self, action_id: str) -> None:
        available = {a.id: a for a in self.actions}
        action = available.get(action_id)
        if action is not None and not action.available:
            self.notify(Text(f"{action.label}: {action.reason}").markup, title="Not now", severity="warning")
            return
        self.request_input("submit", action=action_id)
        self.notify(Text(action.label if action else action_id).markup, title="Sent", timeout=2)

    def action_take(self, key: str) -> None:
        action_id = self.by_key.get(key)
        if action_id is not None:
            self.submit(action_id)

    @on(DecisionAnswered)
    def answered(self, event: DecisionAnswered) -> None:
        self.request_input("answer", inject=event.inject_id, action=event.action_id)

    def action_decide(self) -> None:
        decisions = self.current_view().decisions
        if not decisions:
            self.notify("No decision is open.", timeout=3)
            return
        decision = decisions[0]
        if not decision.options:
            return

        def chosen(action_id: str | None) -> None:
            if action_id:
                self.request_input("answer", inject=decision.inject, action=action_id)

        self.app.push_screen(DecisionScreen(decision, views=self.seat_app.view_changed), chosen)


def paused_text(view: DrillView) -> Text:
    """A player's paused banner: the controller paused the drill; the discussion questions, if any."""
    text = Text()
    text.append(" ■ PAUSED ", "bold reverse")
    text.append(f"  at {format_clock(view.t)}  ·  the controller paused the drill\n")
    for question in view.discussion:
        text.append("  • ")
        text.append(question)
        text.append("\n")
    text.rstrip()
    return text


SPEED = Binding.Group("Speed", compact=True)
"""``+`` and ``-`` share one footer entry."""


class ControllerScreen(RoleScreen, inherit_bindings=False):
    """The controller's console: everything the players see and the ground truth, and the drill's controls.

    Its right column has four panels (truth, actions, milestones and clocks, team): below 48 rows
    (120x40 too) they show one at a time behind tabs."""

    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (48, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_pause", "Pause/resume", priority=True, id="ctl.pause"),
        PANE_KEY,
        Binding("plus,equals_sign", "faster", "Faster", key_display="+", group=SPEED, id="ctl.faster"),
        Binding("minus", "slower", "Slower", key_display="-", group=SPEED, id="ctl.slower"),
        Binding("i", "inject", "Inject", id="ctl.inject"),
        Binding("n", "note", "Note", id="ctl.note"),
        Binding("o", "observe", "Observation", id="ctl.observe"),
        Binding("e", "end", "End", id="ctl.end"),
        Binding("d", "decide", "Decide", id="ctl.decide"),
        *(
            Binding(key, f"take('{key}')", f"Take action {key}", show=False, id=f"ctl.action.{key}")
            for key in ACTION_KEYS.replace("o", "")
        ),
    ]
    INBOX = "Everything (controller)"
    KEYS = ACTION_KEYS.replace("o", "")
    CONTROLS = True
    PANES = (("actions", "Actions"), ("truth", "Truth"), ("clocks", "Clocks"), ("team", "Team"))

    def compose_side(self) -> ComposeResult:
        truth = Static(id="truth", classes="side-pane pane-truth")
        truth.border_title = "Ground truth (controller only)"
        yield truth
        yield from self.compose_menu("All actions")
        yield from self.compose_milestones("Milestones (targets) and clocks")
        yield from self.compose_team()

    def render_view(self, view: DrillView, data: dict[str, Any]) -> None:
        super().render_view(view, data)
        self.query_one("#truth", Static).update(truth_table(view, data.get("controller") or {}))

    def action_toggle_pause(self) -> None:
        self.request_input("resume" if self.current_view().paused else "pause")

    def action_faster(self) -> None:
        self.request_input("speed", speed=faster(self.current_view().speed))

    def action_slower(self) -> None:
        self.request_input("speed", speed=slower(self.current_view().speed))

    def action_inject(self) -> None:
        roles = list((self.data.get("controller") or {}).get("roles") or [])

        def send(request: InjectRequest | None) -> None:
            if request is not None:
                self.request_input(
                    "inject", text=request.text, to=request.to, channel=request.channel, **{"from": request.sender}
                )

        self.app.push_screen(InjectScreen(roles), send)

    def action_note(self) -> None:
        def send(text: str | None) -> None:
            if text:
                self.request_input("note", text=text)

        self.app.push_screen(TextScreen("Controller note", "Goes into the journal and the report."), send)

    def action_observe(self) -> None:
        objectives = (self.data.get("controller") or {}).get("objectives") or []
        if not objectives:
            self.notify("This scenario has no objectives to observe against.", timeout=4)
            return
        hint = "Start with the objective id, then what you saw:  " + ", ".join(o["id"] for o in objectives)

        def send(text: str | None) -> None:
            if not text:
                return
            first, _, rest = text.partition(" ")
            ids = {o["id"] for o in objectives}
            if first not in ids or not rest.strip():
                self.notify(f"Start with one of: {', '.join(sorted(ids))}", severity="warning")
                return
            self.request_input("note", text=rest.strip(), objective=first)

        self.app.push_screen(TextScreen("Evaluator observation", hint), send)

    def action_end(self) -> None:
        def done(yes: bool | None) -> None:
            if yes:
                self.request_input("end")

        self.app.push_screen(ConfirmScreen("End the drill for everyone?", "Seats stay open for the debrief."), done)


def truth_table(view: DrillView, extras: dict[str, Any]) -> Table:
    """Faults with their labels, the true metric values, the live score and penalties, who is connected."""
    table = controller_grid(extras)
    truth = extras.get("truth") or {}
    labels = {m.id: m for m in view.metrics}
    for mid, value in truth.items():
        metric = labels.get(mid)
        name = metric.label if metric else mid
        hidden = mid in (extras.get("hidden_metrics") or [])
        table.add_row(Text(f"true {name}" + (" (hidden)" if hidden else ""), "dim"), Text(number(value)))
    score = extras.get("score")
    if score:
        table.add_row(Text("live score", "bold"), Text(f"{score['total']:g} / 100", "bold"))
    table.add_row(Text("penalties", "bold"), Text(f"-{view.penalty_points}", "bold red" if view.penalty_points else ""))
    add_recent_penalties(table, extras)
    seats = extras.get("seats") or {}
    if seats:
        on = [s for s, up in seats.items() if up]
        table.add_row(Text(f"seats: {', '.join(on) or 'none'}", "dim"), Text(f"{len(on)}/{len(seats)}"))
    return table


class RoomScreen(SeatScreen):
    """The room display for a projector: a large clock, the headline metrics, the public feed, open decisions."""

    def compose(self) -> ComposeResult:
        view = self.current_view()
        with Horizontal(id="room-top"):
            yield Digits("00:00", id="room-clock")
            with Vertical(id="room-title"):
                yield Static(id="room-state")
                yield Static(id="seat-status")
        with Horizontal(id="room-metrics"):
            for metric in view.metrics:
                with Vertical(classes="room-metric", id=f"room-{metric.id}"):
                    yield Static(Text(metric.label, "bold"), classes="room-metric-label")
                    yield Digits("0", classes="room-metric-value")
        yield Static(id="room-decisions")
        yield IncidentFeed(
            id="room-feed", title="What everyone knows", wrap=True, markup=False, highlight=False, auto_scroll=True
        ).data_bind(SeatScreen.view)

    def render_view(self, view: DrillView, data: dict[str, Any]) -> None:
        self.query_one("#room-clock", Digits).update(format_clock(view.t))
        state = Text()
        state.append(f" {view.severity} ", "bold white on red")
        state.append("  ")
        state.append(view.title, "bold")
        state.append("\n")
        if view.ended:
            state.append(" ENDED ", "bold white on grey37")
        elif view.paused:
            state.append(" PAUSED ", "bold black on yellow")
        else:
            state.append(f" ▶ {format_speed(view.speed)} ", "bold black on green")
        state.append(f"   lost {money(view.revenue_lost, view.currency)}", "bold red" if view.revenue_lost else "")
        self.query_one("#room-state", Static).update(state)
        for metric in view.metrics:
            for box in self.query(f"#room-{metric.id}"):
                value = box.query_one(".room-metric-value", Digits)
                value.update(f"{number(metric.value)}{metric.unit if len(metric.unit) <= 1 else ''}")
                box.set_class(metric.breached, "breached")
        decisions = Text()
        for decision in view.decisions:
            left = decision.time_left
            decisions.append(f" {format_clock(left)} ", "bold white on red" if left <= 60 else "bold black on yellow")
            decisions.append(f"  {decision.prompt}\n", "bold")
        self.query_one("#room-decisions", Static).update(decisions)
        self.query_one("#room-decisions", Static).display = bool(view.decisions)
