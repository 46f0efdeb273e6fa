"""The drill screen: the running incident, the team, the action menu and the facilitator's controls.

A Textual timer advances the drill: every tick the sim clock (wall time x speed from
monotonic deltas, frozen while paused) says what sim time it is and the drill runs up to
it; then every widget is set from one ``DrillView``. Every facilitator control goes
through the engine's API, which journals it.

The facilitator's dialogs (help, inject, note, filter, end, quit) open through
``open_dialog``, which holds the sim clock until they close: typing an inject costs the
team no drill time. The hold is the UI's, not a pause (nothing is journaled). The
participants' decision dialog does not hold it: its deadline pressure is the point.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from drillsim.simulator.durations import format_clock
from drillsim.simulator.view import DrillView
from drillsim.tui.messages import ActionRequested, DecisionAnswered
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
    ActionMenu,
    DecisionPanel,
    DrillHeader,
    FeedFilter,
    IncidentFeed,
    MemberRow,
    MetricCard,
    MilestonePanel,
    PausedBanner,
    action_hint,
    member_choices,
    roles_in,
)
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from drillsim.tui.app import DrillsimApp

HERE = Path(__file__).parent
TICK = 0.2
"""Wall seconds between timer ticks."""
FRESH = 8.0
"""Wall seconds a new feed item stays highlighted."""
COMPACT_WIDTH = 110
COMPACT_HEIGHT = 32

ResultT = TypeVar("ResultT")
SPEED = Binding.Group("Speed", compact=True)
"""``+`` and ``-`` share one footer entry."""


class DrillScreen(Screen[None]):
    """The drill in progress."""

    CSS_PATH = HERE / "drill.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "toggle_pause",
            "Pause",
            tooltip="Pause or resume the drill (the pause shows the discussion questions)",
            priority=True,
            id="drill.pause",
        ),
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
            "f",
            "filter",
            "Filter feed",
            tooltip="Filter the feed (and the action menu) by channel or role",
            show=False,
            id="drill.filter",
        ),
        Binding("e", "end", "End", tooltip="End the drill (asks first); the debrief follows", id="drill.end"),
        Binding("question_mark,f1", "help", "Help", tooltip="This help", key_display="?", id="drill.help"),
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

    def __init__(self, session: DrillSession, clock: SimClock, auto_advance: bool = True) -> None:
        super().__init__()
        self.session = session
        self.drill = session.drill
        self.clock = clock
        self.auto_advance = auto_advance
        self.feed_filter = FeedFilter()
        self.keys = {a.id: ACTION_KEYS[i] for i, a in enumerate(self.drill.scenario.actions[: len(ACTION_KEYS)])}
        self.by_key = {k: a for a, k in self.keys.items()}
        self._arrived: dict[int, float] = {}
        self._feed_state: tuple[object, ...] = ()
        self._warned: set[str] = set()
        self._finished = False
        self.last_view: DrillView | None = None

    @property
    def drillsim(self) -> DrillsimApp:
        return self.app  # type: ignore[return-value]

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        view = self.drill.view()
        yield DrillHeader(id="header")
        yield PausedBanner(id="paused")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                with Horizontal(id="metrics"):
                    for metric in view.metrics:
                        yield MetricCard(metric.id)
                yield DecisionPanel(id="decisions")
                feed = IncidentFeed(id="feed", wrap=True, markup=False, highlight=False, auto_scroll=True, min_width=20)
                feed.border_title = "Incident feed"
                yield feed
            with Vertical(id="right"):
                with VerticalScroll(id="team") as team:
                    team.border_title = "Team"
                    for member in view.members:
                        yield MemberRow(member)
                menu = ActionMenu(id="actions")
                menu.border_title = "Actions"
                yield menu
                yield Static(id="action-hint")
                milestones = MilestonePanel(id="milestones")
                milestones.border_title = "Milestones and clocks"
                yield milestones
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
        self._compact(self.size.width, self.size.height)
        self.refresh_view()

    def on_resize(self, event: Resize) -> None:
        self._compact(event.size.width, event.size.height)

    def _compact(self, width: int, height: int) -> None:
        self.set_class(width < COMPACT_WIDTH or height < COMPACT_HEIGHT, "compact")
        self.set_class(height < 28, "short")

    # ------------------------------------------------------------------ time

    def tick(self) -> None:
        """Advance the drill to the clock's sim time and redraw; the timer calls this."""
        drill = self.drill
        if not drill.paused and not drill.ended and not self.clock.held:
            drill.advance_to(self.clock.target())
        self.refresh_view()

    def open_dialog(
        self,
        dialog: Screen[ResultT],
        done: Callable[[ResultT | None], None] | None = None,
        *,
        hold: bool = True,
    ) -> None:
        """Push a dialog; with ``hold`` the sim clock stands still until it closes, then goes on from there."""
        if hold:
            self.hold_clock()

        def closed(result: ResultT | None) -> None:
            if hold:
                self.release_clock()
            if done is not None:
                done(result)

        self.app.push_screen(dialog, closed)

    def catch_up(self) -> None:
        """Run the drill up to the clock's sim time now, not just the last tick's (before an input or a hold)."""
        drill = self.drill
        if self.auto_advance and not drill.paused and not drill.ended and not self.clock.held:
            drill.advance_to(self.clock.target())

    def hold_clock(self) -> None:
        """Stop sim time where it is now (a facilitator dialog opens); not a pause, so nothing is journaled."""
        self.catch_up()
        self.clock.hold(self.drill.now)
        self.refresh_view()

    def release_clock(self) -> None:
        self.clock.release()
        self.refresh_view()

    def refresh_view(self) -> None:
        drill = self.drill
        view = drill.view()
        self.last_view = view
        self.query_one(DrillHeader).show(view, self.session.recording, held=self.clock.held)
        banner = self.query_one(PausedBanner)
        banner.display = view.paused and not view.ended
        if banner.display:
            banner.show(view)
        for metric in view.metrics:
            self.query_one(f"#metric-{metric.id}", MetricCard).show(metric, compact=self.has_class("compact"))
        rows = {row.member_name: row for row in self.query(MemberRow)}
        for member in view.members:
            rows[member.name].show(member, view.t)
        menu = self.query_one(ActionMenu)
        menu.show(drill.availability(), self.keys, self.feed_filter.role, compact=self.has_class("compact"))
        self.query_one("#action-hint", Static).update(action_hint(menu.current()))
        menu.border_title = f"Actions for {self.feed_filter.role}" if self.feed_filter.role else "Actions"
        self.query_one(DecisionPanel).show(view.decisions)
        self.query_one(MilestonePanel).show(view)
        self._show_feed(view)
        self._show_warnings()
        top = self.app.screen
        if isinstance(top, DecisionScreen):
            open_ = {d.inject: d for d in view.decisions}
            if top.decision.inject in open_:
                top.update_time(open_[top.decision.inject])
        elif isinstance(top, MemberScreen) and top.action_id in drill.actions and top.is_mounted:
            choices = member_choices(
                drill.actions[top.action_id], view.members, drill.roster, view.t, drill.default_member(top.action_id)
            )
            top.update(choices, view.t)
        if view.ended and not self._finished:
            self._finished = True
            self.drillsim.drill_finished(self.session)

    def _show_feed(self, view: DrillView) -> None:
        now = self.clock.monotonic()
        for item in view.feed:
            self._arrived.setdefault(item.seq, now)
        roles_of = {m.name: m.roles for m in view.members}
        items = [i for i in view.feed if self.feed_filter.accepts(i, roles_of)]
        fresh = {i.seq for i in items if now - self._arrived[i.seq] < FRESH}
        state = (items[-1].seq if items else -1, len(items), frozenset(fresh), self.feed_filter)
        if state == self._feed_state:
            return
        self._feed_state = state
        feed = self.query_one(IncidentFeed)
        feed.border_title = "Incident feed" + (
            f" ({self.feed_filter.label})" if self.feed_filter.role or self.feed_filter.channel else ""
        )
        feed.show(items, fresh)

    def _show_warnings(self) -> None:
        for warning in self.session.journal_warnings():
            if warning not in self._warned:
                self._warned.add(warning)
                self.notify(warning, title="Journal", severity="error", timeout=15)

    # ------------------------------------------------------------------ participants

    def on_option_list_option_highlighted(self, event: ActionMenu.OptionHighlighted) -> None:
        if isinstance(event.option_list, ActionMenu):
            self.query_one("#action-hint", Static).update(action_hint(event.option_list.current()))

    @on(ActionRequested)
    def take_action(self, event: ActionRequested) -> None:
        self.submit(event.action_id)

    def submit(self, action_id: str, by: str | None = None) -> None:
        """Submit an action; ``by`` names the member who does it (None: drillsim picks)."""
        action = self.drill.actions.get(action_id)
        result = self.drill.submit(action_id, by=by)
        label = action.label if action else action_id
        if result.ok:
            self.notify(Text(label + (f" → {by}" if by else "")).markup, title="Submitted", timeout=3)
        else:
            self.notify(Text(f"{label}: {result.reason}").markup, title="Not now", severity="warning", timeout=5)
        self.refresh_view()

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

        # the participants' dialog: like a decision it does not hold the clock
        self.open_dialog(MemberScreen(action_id, action.label, choices, view.t), done, hold=False)

    @on(DecisionAnswered)
    def decision_answered(self, event: DecisionAnswered) -> None:
        self.answer(event.inject_id, event.action_id)

    def answer(self, inject_id: str, action_id: str) -> None:
        result = self.drill.answer(inject_id, action_id)
        if result.ok:
            self.notify(Text(self.drill.actions[action_id].label).markup, title="Decided", timeout=3)
        else:
            self.notify(Text(result.reason or "cannot answer").markup, title="Not now", severity="warning")
        self.refresh_view()

    def action_decide(self) -> None:
        decisions = self.drill.view().decisions
        if not decisions:
            self.notify("No decision is open.", timeout=3)
            return
        decision = decisions[0]

        def done(choice: str | None) -> None:
            if choice:
                self.answer(decision.inject, choice)

        self.open_dialog(DecisionScreen(decision), done, hold=False)  # the countdown keeps running

    # ------------------------------------------------------------------ facilitator

    def action_toggle_pause(self) -> None:
        drill = self.drill
        if drill.ended:
            return
        if drill.paused:
            drill.resume()
            self.clock.anchor(drill.now, drill.speed)
        else:
            self.catch_up()
            drill.pause()
        self.refresh_view()

    def _set_speed(self, speed: float) -> None:
        drill = self.drill
        if drill.ended or speed == drill.speed:
            return
        self.catch_up()
        drill.set_speed(speed)
        self.clock.anchor(drill.now, drill.speed)
        self.notify(f"Speed {format_speed(speed)}", timeout=2)
        self.refresh_view()

    def action_faster(self) -> None:
        self._set_speed(faster(self.drill.speed))

    def action_slower(self) -> None:
        self._set_speed(slower(self.drill.speed))

    def action_inject(self) -> None:
        if self.drill.ended:
            return

        def done(request: InjectRequest | None) -> None:
            if request is not None:
                self.drill.facilitator_inject(
                    request.text, to=request.to, channel=request.channel, sender=request.sender
                )
                self.refresh_view()

        self.open_dialog(InjectScreen(roles_in(self.drill.view().members)), done)

    def action_note(self) -> None:
        self.catch_up()  # the hint's time is the note's time
        view = self.drill.view()
        hint = f"At {format_clock(view.t)}. Goes into the journal and the report."
        if view.paused and view.discussion:
            hint += " Discussing: " + " / ".join(view.discussion)

        def done(text: str | None) -> None:
            if text:
                self.drill.note(text)
                self.notify("Note saved.", timeout=2)
                self.refresh_view()

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
                self.drill.end("facilitator")
                self.refresh_view()

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

    async def action_quit_drill(self) -> None:
        await self.drillsim.action_quit()

    def action_help(self) -> None:
        actions = [(self.keys[a.id], a.label) for a in self.drill.scenario.actions if a.id in self.keys]
        self.open_dialog(
            HelpScreen(
                "Keys during the drill",
                [
                    ("Facilitator", self.drillsim.binding_rows(self, skip_prefix="drill.action.")),
                    ("Actions (also Enter on the menu, or ctrl+p and type)", actions),
                    ("Anywhere", self.drillsim.app_binding_rows()),
                ],
                note="Sim time stands still while this and your other dialogs are open (not a pause, not "
                "journaled); a decision's countdown keeps running.",
            )
        )
