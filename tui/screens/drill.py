"""The drill screen: the running incident, the team, the action menu and the facilitator's controls.

The screen is the drill host in-process with one local seat, the controller's
(``host.local``): every input (an action, an answer, an inject, a note, an observation,
pause, speed, the end) goes through ``LocalSeat.post``, the host's rules and client ids,
and shows "sent" at once and "recorded" once the host's ``Ack`` says the journal has it on
disk. A Textual timer calls ``LocalHost.tick`` (the sim clock: wall time x speed, frozen
while paused), then sets the screen's ``view`` var from the seat's view.

The wiring is Textual's reactivity. What the widgets depend on is a var of the screen
(``view``, ``metrics_view``, ``compact``, ``one_line``, ``fold_milestones``, ``held``,
``recording``, ``controller``, ``extras``, ``actions``, ``feed_filter``); each widget
(``tui/widgets.py``) declares its own reactives, is bound to the screen's with ``data_bind``
in ``compose`` and redraws itself in its watchers when what it shows changed, so the screen
pushes nothing into the header, the metric cards, the member rows, the milestones, the
controller panel, the action menu, the incident feed (which owns its filtering, when each
item arrived and its "N new" title), the paused banner or the decisions. The screen's
``watch_view`` (``redraw``) keeps what is the screen's own: the hint box, the panels'
titles, the open injects, the warnings, the end of the drill, the feed's count of new items
as wall time moves (``IncidentFeed.count_new``), and publishing ``view_changed``, the
``Signal`` that an open dialog showing live drill state (a decision's countdown, who is
free) follows: ``DecisionScreen`` subscribes while it is mounted. The seat screens
(``tui/seats/app.py``) have no such vars and call the widgets' ``show(...)``.

How often: the timer redraws for time alone twice a second, once a second above x10
(``redraw_every``); a record or an input draws at once. The metric cards are bound to
``metrics_view``, which a tick or an input sets at most every ``redraw_every(speed)`` (at
x60 each tick brings new samples, and the cards are the costliest part of a frame); any
other redraw (a dialog, a resize, the filter) sets it at once. ``refresh_view`` sets the
vars inside one ``App.batch_update``, so the widgets' redraws reach the terminal as one frame.

What the screen shows by default is the players' view (``host.local.player_view``: what the
room and the roles may see; the screen may be on a projector). ``ctrl+k`` asks first, then
shows the controller's view (``host.views.seat_view`` for the controller: penalties, fault
labels, milestone targets, ground truth, the live score); the header says which is on.

The facilitator's dialogs (help, inject, note, filter, end, quit) open through
``open_dialog``, which holds the sim clock until they close: typing an inject costs the
team no drill time. The hold is the UI's, not a pause (nothing is journaled). The
participants' decision dialog does not hold it: its deadline pressure is the point.

It is long because the drill screen is the facilitator's whole console: its key table (which the
help screen and the palette read), the layout at each size, the view it shows and how it reaches the
widgets, the inputs sent and acknowledged, and one small action per key with its dialog. The widgets it
shows live in ``tui/widgets.py`` and the dialogs in ``modals.py``; what is left is the one state they all
read (the view, the clock's hold, the controller view), which a split would scatter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from drillsim.host.local import LocalHost
from drillsim.host.protocol import ProtocolError
from drillsim.host.run import Ack
from drillsim.simulator.durations import format_clock
from drillsim.simulator.view import ActionAvailability, DrillView
from drillsim.tui import keys
from drillsim.tui.messages import ActionRequested, DecisionAnswered, DrillFinished, QuitRequested
from drillsim.tui.screens.modals import (
    ConfirmScreen,
    DecisionScreen,
    FilterScreen,
    HelpScreen,
    InjectRequest,
    InjectScreen,
    MemberScreen,
    TextScreen,
)
from drillsim.tui.session import DrillSession, SimClock, faster, format_speed, slower
from drillsim.tui.widgets import (
    ACTION_KEYS,
    END_WARNING,
    ActionMenu,
    ControllerPanel,
    DecisionPanel,
    DrillHeader,
    FeedFilter,
    IncidentFeed,
    MemberRow,
    MetricCard,
    MilestonePanel,
    PausedBanner,
    action_hint,
    fit_lines,
    member_choices,
    roles_in,
    update_if_changed,
)
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.reactive import var
from textual.screen import Screen
from textual.signal import Signal
from textual.widget import Widget
from textual.widgets import Footer, Static, Tab, Tabs

HERE = Path(__file__).parent
TICK = 0.2
"""Wall seconds between timer ticks."""
REDRAW_EVERY = 0.5
"""Wall seconds between the timer's redraws when only time moved (the clocks, countdowns, progress bars
and metric cards): each composites most of the screen, as they are all over it. Something new (a
record) draws at the next tick."""
FAST = 10.0
"""Above this speed a wall second is half a sim minute or more: the redraws for time alone come once a
second (``redraw_every``). A record (an alert, a message, a decision) and an input still show at once."""


def redraw_every(speed: float) -> float:
    """Wall seconds between the timer's redraws at this speed (an input's redraw does not wait)."""
    return REDRAW_EVERY if speed <= FAST else 2 * REDRAW_EVERY


PANES = ("actions", "team", "clocks")
"""The right column's panes; at a compact size one shows at a time (tabs, or ``t``)."""

ResultT = TypeVar("ResultT")
WidgetT = TypeVar("WidgetT", bound=Widget)
SPEED = Binding.Group("Speed", compact=True)
"""``+`` and ``-`` share one footer entry."""
SHOW_CONTROLLER = "Show the controller's information? The screen may be on a projector."
"""The question ``ctrl+k`` asks before the controller's view (Cancel is the default)."""


def recorded_text(done: Text) -> Text:
    """``✓ Submitted: X`` as the hint line says it once recorded: ``✓ Submitted (recorded): X`` (the word
    before the label, so a long label cut at the edge never hides it)."""
    cut = done.plain.find(":")
    if cut < 0:
        return done.copy().append(" (recorded)", "green")
    return Text.assemble(done[:cut], (" (recorded)", "green"), done[cut:])


class DrillScreen(Screen[None]):
    """The drill in progress.

    Sizes (``drill.tcss``, from the breakpoint classes): below 110 columns or 32 rows the
    layout is compact (metrics one line each, the right column one pane at a time behind
    tabs: actions, team, milestones and clocks; ``t`` switches); below 150 columns
    or 56 rows it is medium (one line per member and per action, so every one of them fits).
    """

    CSS_PATH = HERE / "drill.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (110, "-medium"), (150, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (32, "-middling"), (56, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "toggle_pause",
            "Pause",
            tooltip="Pause or resume the drill (the pause shows the discussion questions)",
            priority=True,
            id="drill.pause",
        ),
        # help second: the footer shows the keys in this order and cuts the last ones at 80 columns
        Binding("question_mark,f1", "help", "Help", tooltip="This help", key_display="?", id="drill.help"),
        Binding(
            "plus,equals_sign",
            "faster",
            "Faster",
            tooltip="Speed up: 0.5, 1, 2, 5, 10, 30, 60 sim seconds per second",
            key_display="+",
            id="drill.faster",
            group=SPEED,
        ),
        Binding("minus", "slower", "Slower", tooltip="Slow down", key_display="-", id="drill.slower", group=SPEED),
        Binding(
            "d",
            "decide",
            "Decide",
            tooltip="Answer the most urgent open decision (or click an option)",
            id="drill.decide",
        ),
        Binding(
            "p",
            "choose_member",
            "Who?",
            tooltip="Take the highlighted action choosing who does it: the team with who is free, busy or paged",
            id="drill.who",
        ),
        Binding("i", "inject", "Inject", tooltip="Send an ad-hoc inject: text, addressee, channel", id="drill.inject"),
        Binding("n", "note", "Note", tooltip="Write a facilitator note into the journal", id="drill.note"),
        Binding(
            "ctrl+o",
            "observe",
            "Observe",
            tooltip="Evaluator observation (controller only)",
            show=False,
            id="drill.observe",
        ),
        Binding(
            "f",
            "filter",
            "Filter feed",
            tooltip="Filter the feed (and the action menu) by channel or role",
            show=False,
            id="drill.filter",
        ),
        Binding("e", "end", "End", tooltip="End the drill (asks first); the debrief follows", id="drill.end"),
        Binding(
            "t",
            "next_pane",
            "Panes",
            tooltip="Show the next panel of the right column (actions, team, milestones and clocks) at small sizes",
            id="drill.pane",
        ),
        Binding(
            "ctrl+k",
            "controller_view",
            "Controller view",
            tooltip="Show the controller's information: penalties, fault labels, targets, ground truth, the live "
            "score (asks first: the screen may be on a projector); again: back to the players' view",
            id="drill.controller",
        ),
        Binding(
            "q",
            "quit_drill",
            "Quit",
            tooltip="Quit (asks first); the journal stays resumable",
            show=False,
            id="drill.quit",
        ),
        *(
            Binding(key, f"take('{key}')", f"Take action {key}", show=False, id=f"drill.action.{key}")
            for key in ACTION_KEYS
        ),
    ]

    view: var[DrillView | None] = var(None, init=False)
    """What the screen shows (the seat's view, the players' or the controller's); set by ``refresh_view``
    (once per tick, only when it changed); the widgets bound to it redraw what changed, ``watch_view``
    what is the screen's own (a ``var``: no repaint of the whole screen)."""
    controller: var[bool] = var(False, init=False)
    """The controller's view is on (``ctrl+k``, after a confirmation)."""
    compact: var[bool] = var(False, init=False)
    """Compact layout (below 110x32): one-line metrics, one right-hand pane at a time (set by ``fit``)."""
    one_line: var[bool] = var(False, init=False)
    """One line per action and per member (compact or medium; set by ``fit``)."""
    fold_milestones: var[bool] = var(True, init=False)
    """A long milestone label wraps beside its time (``milestone_table``'s ``fold``): compact, or the players'
    view; the controller's lists every milestone above its panel, one line each, or the panels below leave
    the screen (set by ``fit``)."""
    metrics_view: var[DrillView | None] = var(None, init=False)
    """``view`` as the metric cards show it: at x60 a tick brings new samples every time, so a tick's or an
    input's redraw sets it at most every ``redraw_every(speed)`` (and at the end); any other redraw at once."""
    extras: var[dict[str, Any]] = var(dict, init=False)
    """The controller's ground truth (``view["controller"]``), while the controller's view is on."""
    actions: var[tuple[ActionAvailability, ...]] = var(tuple, init=False)
    """The actions as the seat's view has them (the menu's and the palette's)."""
    feed_filter: var[FeedFilter] = var(lambda: FeedFilter(), init=False)
    """What the feed shows (``f``); a role filter also narrows the action menu."""
    held: var[bool] = var(False, init=False)
    """A facilitator dialog holds the sim clock (``clock.held``)."""
    recording: var[bool] = var(True, init=False)
    """The journal is being written (``session.recording``)."""

    def __init__(self, session: DrillSession, clock: SimClock, auto_advance: bool = True) -> None:
        super().__init__()
        self.session = session
        self.drill = session.drill
        self.clock = clock
        self.auto_advance = auto_advance
        self.local = LocalHost(self.drill, session.run_dir, clock=clock)
        """The drill host in-process; the screen is its controller's seat."""
        self.seat = self.local.seat()
        self.seat.live_score(False)  # the live score is computed only while the controller's view is on
        self._inputs: dict[int, Text] = {}
        """Inputs sent and not yet recorded, by the order they were sent (the hint line says the latest)."""
        self._sent = 0
        self.keys = {a.id: ACTION_KEYS[i] for i, a in enumerate(self.drill.scenario.actions[: len(ACTION_KEYS)])}
        self.by_key = {k: a for a, k in self.keys.items()}
        self._ack: Text | None = None
        self._tick_key: tuple[object, ...] = ()
        self._metrics_at = float("-inf")
        self._drawn_at = float("-inf")
        self._metrics_forced = True
        self._scanned = 0
        self.open_injects: dict[int, dict[str, object]] = {}
        """Ad-hoc injects to a role or member that no one of them has acted on yet, by seq."""
        self._widgets: dict[str, object] = {}
        self.pane = "actions"
        self.set_class(True, "pane-actions")
        self._warned: set[str] = set()
        self._finished = False
        self.view_changed: Signal[DrillView] = Signal(self, "view-changed")
        """Published with each new view; a dialog that shows live drill state subscribes (``open_dialog``'s ``follow``)."""

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        view = self.seat.drill_view()  # the controller's: every metric gets a card (hidden when not shown)
        yield DrillHeader(id="header").data_bind(
            DrillScreen.view, DrillScreen.recording, DrillScreen.held, DrillScreen.compact, DrillScreen.controller
        )
        yield PausedBanner(id="paused").data_bind(DrillScreen.view)
        with Horizontal(id="body"):
            with Vertical(id="left"):
                with Horizontal(id="metrics"):
                    for metric in view.metrics:
                        yield MetricCard(metric.id).data_bind(
                            DrillScreen.compact, view=DrillScreen.metrics_view, brief=DrillScreen.one_line
                        )
                yield Static(id="open-injects")
                yield DecisionPanel(id="decisions").data_bind(DrillScreen.view)
                yield IncidentFeed(
                    id="feed",
                    clock=self.clock.monotonic,
                    wrap=True,
                    markup=False,
                    highlight=False,
                    auto_scroll=True,
                    min_width=20,
                ).data_bind(DrillScreen.view, DrillScreen.feed_filter, DrillScreen.compact)
            with Vertical(id="right"):
                yield Tabs(
                    Tab("Actions", id="tab-actions"),
                    Tab("Team", id="tab-team"),
                    Tab("Clocks", id="tab-clocks"),
                    id="panes",
                )
                with VerticalScroll(id="team") as team:
                    team.border_title = "Team"
                    for member in view.members:
                        yield MemberRow(member).data_bind(DrillScreen.view)
                menu = ActionMenu(self.keys, id="actions").data_bind(
                    DrillScreen.actions, DrillScreen.feed_filter, DrillScreen.one_line
                )
                menu.border_title = "Actions"
                yield menu
                yield Static(id="action-hint")
                milestones = MilestonePanel(id="milestones").data_bind(
                    DrillScreen.view, wrap=DrillScreen.compact, fold=DrillScreen.fold_milestones
                )
                milestones.border_title = "Milestones and clocks"
                yield milestones
                truth = ControllerPanel(id="truth").data_bind(
                    DrillScreen.view, DrillScreen.extras, on=DrillScreen.controller
                )
                truth.border_title = "Controller only"
                yield truth
        yield Footer()

    def on_mount(self) -> None:
        self.clock.anchor(self.drill.now, self.drill.speed)
        if self.auto_advance:
            self.set_interval(TICK, self.tick, name="drill-clock")
        for warning in self.session.warnings:
            self.notify(warning, title="Careful", severity="warning", timeout=12)
            self._warned.add(warning)
        if self.session.resumed:
            self.notify(
                "Resumed from the journal; the drill is paused. Press space to go on.",
                title="Resumed",
                timeout=8,
            )
        self.query_one(ActionMenu).focus()
        self.refresh_view()

    def fit(self) -> None:
        """``compact``, ``one_line`` and ``fold_milestones`` from the breakpoint classes and the view on
        screen (the widgets bound to them follow)."""
        compact = self.has_class("-narrow") or self.has_class("-short")
        self.compact = compact
        self.one_line = compact or self.has_class("-medium") or self.has_class("-middling")
        self.fold_milestones = compact or not self.controller

    LOW_ROWS = 40
    """Below this many rows (110x32) the controller's view gives the milestones and the action list less room,
    so its Controller-only panel stays whole above the footer (class ``-low``)."""
    ROOMY_ROWS = 48
    """From this many rows (160x48) the controller's view lists the whole team (class ``-roomy``)."""

    def on_resize(self, event: Resize) -> None:
        # finer than the vertical breakpoints (one class each): two room budgets within -middling
        self.set_class(event.size.height < self.LOW_ROWS, "-low")
        self.set_class(event.size.height >= self.ROOMY_ROWS, "-roomy")
        self.call_after_refresh(self.refresh_view)  # the breakpoint classes changed the layout: its text follows

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        if event.tab is not None and event.tab.id:
            self.show_pane(event.tab.id.removeprefix("tab-"))

    def show_pane(self, pane: str) -> None:
        """Show one pane of the right column (at a compact size; every size keeps the choice)."""
        if pane not in PANES:
            return
        for name in PANES:
            self.set_class(name == pane, f"pane-{name}")
        self.pane = pane
        tabs = self.query_one(Tabs)
        if tabs.active != f"tab-{pane}":
            tabs.active = f"tab-{pane}"
        if pane == "actions":
            self.query_one(ActionMenu).focus()

    def action_next_pane(self) -> None:
        self.show_pane(PANES[(PANES.index(self.pane) + 1) % len(PANES)])

    def _w(self, selector: str, kind: type[WidgetT]) -> WidgetT:
        """A widget of this screen, looked up once (the tick redraws many times a second)."""
        found = self._widgets.get(selector)
        if found is None:
            found = self._widgets[selector] = self.query_one(selector, kind)
        return found  # type: ignore[return-value]

    # ------------------------------------------------------------------ time

    def tick(self) -> None:
        """Advance the drill to the clock's sim time and redraw; the timer calls this."""
        drill = self.drill
        self.local.tick()  # the host's tick: the drill runs to the clock's sim time (not paused, ended or held)
        # nothing new (no record, the same second on the clocks, the same wall second for the feed's
        # "new" count): nothing to redraw, so the screen costs next to nothing while little happens
        wall = self.clock.monotonic()
        score = self.local.core.score if self.controller else None
        events = (len(drill.records), drill.paused, self.clock.held, id(score))
        key = (*events, int(drill.now), int(wall))
        if key == self._tick_key:
            return
        if events == self._tick_key[:4] and wall - self._drawn_at < redraw_every(drill.speed):
            return  # only time moved: the screen follows twice a second (once above x10)
        self._tick_key = key
        self.refresh_view(tick=True)

    def open_dialog(
        self,
        dialog: Screen[ResultT],
        done: Callable[[ResultT | None], None] | None = None,
        *,
        hold: bool = True,
        follow: Callable[[DrillView], None] | None = None,
    ) -> None:
        """Push a dialog; with ``hold`` the sim clock stands still until it closes, then goes on from there.

        ``follow``: called with each new view while the dialog is open (subscribed to ``view_changed``).
        """
        if hold:
            self.hold_clock()
        if follow is not None:
            # once the dialog runs (a signal takes running nodes only); it unsubscribes as it closes
            dialog.call_later(self.view_changed.subscribe, dialog, follow, immediate=True)

        def closed(result: ResultT | None) -> None:
            if hold:
                self.release_clock()
            if done is not None:
                done(result)

        self.app.push_screen(dialog, closed)

    def catch_up(self) -> None:
        """Run the drill up to the clock's sim time now, not just the last tick's (before a hold)."""
        if self.auto_advance:
            self.local.tick()

    def hold_clock(self) -> None:
        """Stop sim time where it is now (a facilitator dialog opens); not a pause, so nothing is journaled."""
        self.catch_up()
        self.clock.hold(self.drill.now)
        self.refresh_view()

    def release_clock(self) -> None:
        self.clock.release()
        self.refresh_view()

    def seat_view(self) -> DrillView:
        """The seat's view now: the controller's (with its ground truth in ``extras``) or the players'."""
        data = self.seat.view()
        if self.controller:
            self.extras = data["controller"]
        else:
            data = self.seat.player_view(data)
            self.extras = {}
        self.actions = tuple(self.seat.actions(data))  # the menu follows (data_bind)
        return self.seat.drill_view(data)

    def refresh_view(self, tick: bool = False) -> None:
        """Set ``view`` from the seat's view (its watcher redraws only if the view changed).

        ``tick``: the timer's redraw or an input's, which may leave the metric cards for the next tick
        (see ``redraw_every``: an input shows its effect at once, and the cards are the costliest part of
        a frame); any other call (a dialog, a resize, a test) redraws everything.
        """
        if not self.is_mounted:
            return
        with self.app.batch_update():  # the screen's redraw and its widgets' (data_bind): one frame
            self.fit()
            self.held, self.recording = self.clock.held, self.session.recording
            view = self.seat_view()
            if not tick:
                self._metrics_forced = True
            if view == self.view:
                # the same view, drawn again: a filter, a resize, an acknowledgement, the feed's "new" count
                # going down, the controller's live score (the timer calls this only when one of them moved)
                self.redraw(view)
            else:
                self.view = view

    @property
    def last_view(self) -> DrillView | None:
        return self.view

    def watch_view(self, view: DrillView | None) -> None:
        if view is not None:
            self.redraw(view)

    def watch_controller(self, on: bool) -> None:
        self.set_class(on, "-controller")
        self.seat.live_score(on)
        self.refresh_view()

    def redraw(self, view: DrillView) -> None:
        """What is the screen's own for ``view``: the metric cards' throttled view, the hint box, the
        panels' titles, the open injects, the feed's count of new items, the warnings, the end, and
        ``view_changed`` for open dialogs. The widgets follow the screen's vars by themselves (``data_bind``)."""
        if not self.is_mounted:
            return
        wall = self._drawn_at = self.clock.monotonic()
        every = redraw_every(view.speed)
        if self._metrics_forced or wall - self._metrics_at >= every or view.ended:
            # at x60 a tick brings new samples every time: the cards follow once a second (twice up to x10)
            self._metrics_at, self._metrics_forced = wall, False
            self.metrics_view = view  # the cards follow (data_bind)
        menu = self._w("#actions", ActionMenu)
        self._show_hint(menu)
        title = f"Actions for {self.feed_filter.role}" if self.feed_filter.role else "Actions"
        if menu.border_title != title:
            menu.border_title = title
        self._show_open_injects(view)
        milestones = self._w("#milestones", MilestonePanel)
        title = "Milestones (targets) and clocks" if self.controller else "Milestones and clocks"
        if milestones.border_title != title:
            milestones.border_title = title
        self._w("#feed", IncidentFeed).count_new()  # wall time moved: fewer items are new
        self._show_warnings()
        self._warn_before_the_end(view)
        self.view_changed.publish(view)  # the open participants' dialogs follow (their countdown, who is free)
        if view.ended and not self._finished:
            self._finished = True
            self.post_message(DrillFinished(self.session))

    def _show_hint(self, menu: ActionMenu) -> None:
        """Under the menu: the last input on a line of its own ("… sent", then "✓ … (recorded)" once the
        host acknowledges it), then the highlighted action in full. The box has a fixed height, so
        neither an acknowledgement nor moving the highlight re-lays out the screen."""
        box = self._w("#action-hint", Static)
        room = box.content_region
        rows = room.height - (self._ack is not None)
        hint = fit_lines(action_hint(menu.current()), self.app.console, room.width, rows)
        if self._ack is not None:
            hint = Text.assemble(self._ack, "\n", hint)
        update_if_changed(box, hint, layout=False)

    def send(
        self,
        kind: str,
        label: str,
        done: Text | None = None,
        on_ack: Callable[[Ack], None] | None = None,
        **fields: Any,
    ) -> bool:
        """Send one input through the host's seat: applied now, the hint line says "sent" at once and
        ``done`` ("recorded") once the host acknowledges it (the journal has it on disk). A refused input
        (the host's rules) or one the engine turns down (the reason, e.g. not yet available) says so in a
        notification, nothing applied. ``on_ack`` is called with the Ack once recorded. True if accepted."""
        try:
            ack, recorded = self.seat.post(kind, **fields)
        except ProtocolError as exc:
            self.notify(Text(exc.message).markup, title="Refused", severity="error", timeout=6)
            return False
        if not ack.ok:  # journaled (the attempt is part of the drill), turned down by the engine
            self.notify(Text(f"{label}: {ack.reason}").markup, title="Not now", severity="warning", timeout=5)
            self.refresh_view()
            return False
        self._sent += 1
        number = self._sent
        if done is not None:
            waiting = Text("… sent: ", "dim")
            waiting.append(done.plain.removeprefix("✓ "), "dim")
            self._inputs[number] = done
            self._ack = waiting
        self.refresh_view(tick=True)
        self.run_worker(self._recorded(number, recorded, on_ack), group="inputs", exit_on_error=False)
        return True

    async def _recorded(self, number: int, recorded: asyncio.Future[Ack], on_ack: Callable[[Ack], None] | None) -> None:
        ack = await recorded
        done = self._inputs.pop(number, None)
        if done is not None and number == self._sent:  # the latest input: the hint line says it is recorded
            self._ack = recorded_text(done)
        if on_ack is not None:
            on_ack(ack)
        if self.is_mounted:
            self._show_hint(self._w("#actions", ActionMenu))

    @property
    def unrecorded(self) -> int:
        """Inputs sent whose acknowledgement has not come yet."""
        return len(self._inputs)

    def _show_open_injects(self, view: DrillView) -> None:
        """Ad-hoc injects stay listed as open until a member they address (by role or name) takes an action."""
        drill = self.drill
        records = drill.records
        roles = {m.name: set(m.roles) for m in drill.roster.members}
        for record in records[self._scanned :]:
            kind = record["type"]
            if kind == "facilitator_inject" and record.get("to", "everyone") != "everyone":
                self.open_injects[record["seq"]] = record
            elif kind in ("action_submitted", "action_started") and self.open_injects:
                action = drill.actions.get(str(record.get("action")))
                member = record.get("member") or record.get("by")
                answers = roles.get(str(member), set()) | {str(member)}
                if kind == "action_submitted" and action is not None and not member:
                    answers.add(action.role)
                for seq in [q for q, r in self.open_injects.items() if r.get("to") in answers]:
                    del self.open_injects[seq]
        self._scanned = len(records)
        box = self._w("#open-injects", Static)
        text = Text(no_wrap=True, overflow="ellipsis")
        for record in self.open_injects.values():
            if text.plain:
                text.append("\n")
            text.append(" OPEN ", "bold black on yellow")
            text.append(f" {format_clock(float(record['t']))} → {record.get('to')}: ", "bold")
            text.append(str(record.get("text", "")))
        shown = bool(self.open_injects) and not view.ended
        if box.display != shown:
            box.display = shown
        update_if_changed(box, text)

    def _warn_before_the_end(self, view: DrillView) -> None:
        """Say once, ahead of time, that the drill is about to end by itself (time limit, or resolved)."""
        if view.ended:
            return
        left = view.duration - view.t
        if left <= END_WARNING and "time-limit" not in self._warned:
            self._warned.add("time-limit")
            self.notify(
                f"The drill ends at its time limit in {format_clock(max(0.0, left))} of sim time "
                "(the debrief follows).",
                title="Ending soon",
                severity="warning",
                timeout=10,
            )
        end_on = self.drill.scenario.scoring.end_on
        reached = {m.id for m in view.milestones if m.reached_at is not None}
        missing = [m for m in end_on if m not in reached]
        if len(end_on) > 1 and len(missing) == 1 and "resolved" not in self._warned:
            self._warned.add("resolved")
            # which milestone it is is the controller's to know (the screen may be on a projector)
            spec = self.drill.scenario.scoring.milestones.get(missing[0])
            label = (spec.label if spec is not None else None) or missing[0]
            what = f"'{label}'" if self.controller else "the last milestone that resolves it"
            self.notify(
                f"Reaching {what} ends the drill (resolved) and opens the debrief.",
                title="Almost resolved",
                severity="warning",
                timeout=12,
            )

    def _show_warnings(self) -> None:
        for warning in self.session.journal_warnings():
            if warning not in self._warned:
                self._warned.add(warning)
                self.notify(warning, title="Journal", severity="error", timeout=15)

    # ------------------------------------------------------------------ participants

    def on_option_list_option_highlighted(self, event: ActionMenu.OptionHighlighted) -> None:
        if isinstance(event.option_list, ActionMenu):
            self._show_hint(event.option_list)

    @on(ActionRequested)
    def take_action(self, event: ActionRequested) -> None:
        self.submit(event.action_id)

    def submit(self, action_id: str, by: str | None = None) -> None:
        """Submit an action; ``by`` names the member who does it (None: drillsim picks)."""
        action = self.drill.actions.get(action_id)
        label = action.label if action else action_id
        done = Text("✓ Submitted: ", "bold green").append(label + (f" → {by}" if by else ""))
        self.send("submit", label, done, action=action_id, by=by)

    def action_take(self, key: str) -> None:
        action_id = self.by_key.get(key)
        if action_id is not None:
            self.submit(action_id)

    def action_choose_member(self) -> None:
        """The highlighted action, with a chooser of who does it (drillsim's own pick highlighted)."""
        availability = self.query_one(ActionMenu).current()
        if availability is None:
            return
        if not availability.available:
            self.notify(
                Text(f"{availability.label}: {availability.reason}").markup,
                title="Not now",
                severity="warning",
                timeout=5,
            )
            return
        self.open_action_chooser(availability.id)

    def open_action_chooser(self, action_id: str) -> None:
        drill = self.drill
        action = drill.actions[action_id]
        view = drill.view()
        choices = member_choices(action, view.members, drill.roster, view.t, drill.default_member(action.id))

        def done(member: str | None) -> None:
            if member:
                self.submit(action_id, by=member)

        chooser = MemberScreen(action_id, action.label, choices, view.t)

        def follow(view: DrillView) -> None:
            if chooser.is_mounted:
                live = member_choices(action, view.members, drill.roster, view.t, drill.default_member(action.id))
                chooser.update(live, view.t)

        # the participants' dialog: like a decision it does not hold the clock
        self.open_dialog(chooser, done, hold=False, follow=follow)

    @on(DecisionAnswered)
    def decision_answered(self, event: DecisionAnswered) -> None:
        self.answer(event.inject_id, event.action_id)

    def answer(self, inject_id: str, action_id: str) -> None:
        action = self.drill.actions.get(action_id)
        label = action.label if action else action_id
        self.send("answer", label, Text("✓ Decided: ", "bold green").append(label), inject=inject_id, action=action_id)

    def action_decide(self) -> None:
        decisions = self.view.decisions if self.view is not None else ()
        if not decisions:
            self.notify("No decision is open.", timeout=3)
            return
        decision = decisions[0]

        def done(choice: str | None) -> None:
            if choice:
                self.answer(decision.inject, choice)

        # the countdown keeps running: the dialog follows ``view_changed`` while it is open
        self.open_dialog(DecisionScreen(decision, views=self.view_changed), done, hold=False)

    # ------------------------------------------------------------------ facilitator

    def action_toggle_pause(self) -> None:
        drill = self.drill
        if drill.ended:
            return
        if drill.paused:
            self.send("resume", "Resume", Text("✓ Resumed", "bold green"))
        else:
            self.send("pause", "Pause", Text("✓ Paused", "bold green"))

    def _set_speed(self, speed: float) -> None:
        drill = self.drill
        if drill.ended or speed == drill.speed:
            return
        if self.send("speed", "Speed", Text(f"✓ Speed {format_speed(speed)}", "bold green"), speed=speed):
            self.notify(f"Speed {format_speed(speed)}", timeout=2)

    def action_faster(self) -> None:
        self._set_speed(faster(self.drill.speed))

    def action_slower(self) -> None:
        self._set_speed(slower(self.drill.speed))

    def action_inject(self) -> None:
        if self.drill.ended:
            return

        def done(request: InjectRequest | None) -> None:
            if request is not None:
                self.send(
                    "inject",
                    "Inject",
                    Text("✓ Inject sent to ", "bold green").append(request.to),
                    text=request.text,
                    to=request.to,
                    channel=request.channel,
                    **{"from": request.sender},
                )

        self.open_dialog(InjectScreen(roles_in(self.drill.view().members)), done)

    def action_observe(self) -> None:
        """An evaluator's observation against an objective and critical task (tui/screens/observation.py)."""
        from drillsim.tui.screens.observation import Observation, ObservationScreen

        if not self.drill.scenario.objectives:
            self.notify("This scenario declares no objectives to observe against.")
            return
        self.catch_up()

        def done(seen: Observation | None) -> None:
            if seen is not None and self.send(
                "observe",
                "Observation",
                Text("✓ Observation saved (controller only)", "bold green"),
                objective=seen.objective,
                task=seen.task,
                text=seen.text,
                rating=seen.rating,
                author=seen.author,
            ):
                self.notify("Observation saved (controller only).", timeout=2)

        self.open_dialog(ObservationScreen(self.drill.scenario, self.drill.now), done)

    def action_note(self) -> None:
        self.catch_up()  # the hint's time is the note's time
        view = self.drill.view(feed_limit=0)
        hint = f"At {format_clock(view.t)}. Goes into the journal and the report."
        if view.paused and view.discussion:
            hint += " Discussing: " + " / ".join(view.discussion)

        def done(text: str | None) -> None:
            if text and self.send("note", "Note", Text("✓ Note saved", "bold green"), text=text):
                self.notify("Note saved.", timeout=2)

        self.open_dialog(TextScreen("Facilitator note", hint), done)

    def action_filter(self) -> None:
        view = self.drill.view()
        channels = sorted({i.channel for i in self.drill.scenario.injects} | {i.channel for i in view.feed})

        def done(choice: FeedFilter | None) -> None:
            if choice is not None:
                self.feed_filter = choice
                self.refresh_view()

        self.open_dialog(FilterScreen(channels, roles_in(view.members)), done)

    def action_end(self) -> None:
        if self.drill.ended:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.send("end", "End", Text("✓ Ended", "bold green"))

        self.open_dialog(
            ConfirmScreen(
                f"End the drill now? ({self.drill.scenario.title}, at {format_clock(self.drill.now)})",
                "Ending stops this drill for good: queued and running actions are cancelled and the "
                "debrief and the report follow. Enter keeps playing.",
                yes="End the drill",
                no="Keep playing",
            ),
            done,
        )

    def action_quit_drill(self) -> None:
        self.post_message(QuitRequested())  # the app asks first (and knows where the journal is)

    def action_controller_view(self) -> None:
        """Show the controller's information after a confirmation (the screen may be on a projector); hide it
        again without one."""
        if self.controller:
            self.controller = False
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.controller = True

        self.open_dialog(
            ConfirmScreen(
                SHOW_CONTROLLER,
                "Penalties, fault labels, milestone targets, the true metric values and the live score show "
                "until ctrl+k again. Enter keeps them hidden.",
                yes="Show them",
                no="Cancel",
            ),
            done,
        )

    def action_help(self) -> None:
        actions = [(self.keys[a.id], a.label) for a in self.drill.scenario.actions if a.id in self.keys]
        self.open_dialog(
            HelpScreen(
                "Keys during the drill",
                [
                    ("Facilitator", keys.binding_rows(self, skip_prefix="drill.action.")),
                    ("Actions (also Enter on the menu, or ctrl+p and type)", actions),
                    ("Anywhere", keys.app_binding_rows(self.app)),
                ],
                note="Sim time stands still while this and your other dialogs are open (not a pause, not "
                "journaled); a decision's countdown keeps running.",
            )
        )
