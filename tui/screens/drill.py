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

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from drillsim.simulator.durations import format_clock
from drillsim.simulator.view import DrillView
from drillsim.tui.messages import ActionRequested, DecisionAnswered, DrillFinished
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
from drillsim.tui.session import BackgroundJournal, DrillSession, SimClock, faster, format_speed, slower
from drillsim.tui.widgets import (
    ACTION_KEYS,
    END_WARNING,
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
    update_if_changed,
)
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.signal import Signal
from textual.widget import Widget
from textual.widgets import Footer, Static, Tab, Tabs

if TYPE_CHECKING:
    from drillsim.tui.shell import Shell

HERE = Path(__file__).parent
TICK = 0.2
"""Wall seconds between timer ticks."""
FRESH = 8.0
"""Wall seconds a new feed item counts as new (the feed's title says how many)."""
METRICS_EVERY = 0.5
"""Wall seconds between the timer's redraws of the metric cards (at high speed every tick has new samples)."""
CLOCKS_EVERY = 0.5
"""Wall seconds between the timer's redraws when only the clocks moved (at high speed, every tick): each
redraw composites the whole screen (the header, countdowns and progress bars are all over it)."""
PANES = ("actions", "team", "clocks")
"""The right column's panes; at a compact size one shows at a time (tabs, or ``t``)."""

ResultT = TypeVar("ResultT")
WidgetT = TypeVar("WidgetT", bound=Widget)
SPEED = Binding.Group("Speed", compact=True)
"""``+`` and ``-`` share one footer entry."""


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
        self._ack: Text | None = None
        self._pending_ack: tuple[int, Text] | None = None
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
        self.last_view: DrillView | None = None
        self.view_changed: Signal[DrillView] = Signal(self, "view-changed")
        """Published with each new view; a dialog that shows live drill state subscribes (``open_dialog``'s ``follow``)."""

    @property
    def drillsim(self) -> Shell:
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
                yield Static(id="open-injects")
                yield DecisionPanel(id="decisions")
                feed = IncidentFeed(id="feed", wrap=True, markup=False, highlight=False, auto_scroll=True, min_width=20)
                feed.border_title = "Incident feed"
                yield feed
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
        journal = self.drill.journal
        if isinstance(journal, BackgroundJournal):
            app = self.app

            def synced(seq: int) -> None:
                with contextlib.suppress(Exception):  # the app may be closing
                    app.call_from_thread(self._synced, seq)

            journal.on_synced = synced
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

    @property
    def compact(self) -> bool:
        """Compact layout (below 110x32): one-line metrics, one right-hand pane at a time."""
        return self.has_class("-narrow") or self.has_class("-short")

    @property
    def one_line(self) -> bool:
        """One line per action and per member (compact or medium)."""
        return self.compact or self.has_class("-medium") or self.has_class("-middling")

    def on_resize(self, event: Resize) -> None:
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
        if not drill.paused and not drill.ended and not self.clock.held:
            drill.advance_to(self.clock.target())
        # nothing new (no record, the same second on the clocks, the same wall second for the feed's
        # "new" count): nothing to redraw, so the screen costs next to nothing while little happens
        wall = self.clock.monotonic()
        events = (len(drill.records), drill.paused, self.clock.held)
        key = (*events, int(drill.now), int(wall))
        if key == self._tick_key:
            return
        if events == self._tick_key[:3] and wall - self._drawn_at < CLOCKS_EVERY:
            return  # only the clocks moved (at high speed, every tick): they follow at most twice a second
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

    def refresh_view(self, tick: bool = False) -> None:
        """Set every widget from the drill's view; each redraws only if what it shows changed.

        ``tick``: the timer's redraw, which may leave the metric cards for the next one (see
        ``METRICS_EVERY``); any other call (an input, a dialog, a test) redraws everything.
        """
        if not self.is_mounted:
            return
        if not tick:
            self._metrics_forced = True
        drill = self.drill
        view = drill.view()
        self.last_view = view
        compact, one_line = self.compact, self.one_line
        self._w("#header", DrillHeader).show(view, self.session.recording, held=self.clock.held, compact=compact)
        banner = self._w("#paused", PausedBanner)
        shown = view.paused and not view.ended
        if banner.display != shown:
            banner.display = shown
        if shown:
            banner.show(view)
        wall = self._drawn_at = self.clock.monotonic()
        if self._metrics_forced or wall - self._metrics_at >= METRICS_EVERY or view.paused or view.ended:
            # at x60 a tick brings new samples every time: the cards follow at most twice a second
            self._metrics_at, self._metrics_forced = wall, False
            for metric in view.metrics:
                self._w(f"#metric-{metric.id}", MetricCard).show(metric, compact=compact, brief=one_line)
        rows = self._widgets.get("rows")
        if rows is None:
            rows = self._widgets["rows"] = {row.member_name: row for row in self.query(MemberRow)}
        for member in view.members:
            rows[member.name].show(member, view.t)  # type: ignore[index]
        menu = self._w("#actions", ActionMenu)
        menu.show(drill.availability(), self.keys, self.feed_filter.role, compact=one_line)
        self._show_hint(menu)
        title = f"Actions for {self.feed_filter.role}" if self.feed_filter.role else "Actions"
        if menu.border_title != title:
            menu.border_title = title
        self._w("#decisions", DecisionPanel).show(view.decisions)
        self._show_open_injects(view)
        self._w("#milestones", MilestonePanel).show(view, wrap=compact)
        self._show_feed(view)
        self._show_warnings()
        self._warn_before_the_end(view)
        self.view_changed.publish(view)  # the open participants' dialogs follow (their countdown, who is free)
        if view.ended and not self._finished:
            self._finished = True
            self.post_message(DrillFinished(self.session))

    def _show_hint(self, menu: ActionMenu) -> None:
        hint = action_hint(menu.current())
        if self._ack is not None:  # the last input, acknowledged once the engine has recorded it
            hint = self._ack.copy().append("  ").append_text(hint)
        hint.no_wrap = not self.compact  # two lines at a compact size
        update_if_changed(self._w("#action-hint", Static), hint, layout=False)

    def acknowledge(self, text: Text) -> None:
        """Say on the hint line that an input was recorded (a toast would cover the feed at 80x24).

        With the journal's fsync in the background, the line says "recording ..." until the
        record is on disk, then the acknowledgement.
        """
        journal = self.drill.journal
        seq = self.drill.records[-1]["seq"] if self.drill.records else -1
        if isinstance(journal, BackgroundJournal) and journal.ok and journal.synced < seq:
            self._pending_ack = (seq, text)
            waiting = Text("… recording: ", "dim")
            waiting.append(text.plain.removeprefix("✓ "), "dim")
            self._ack = waiting
        else:
            self._pending_ack = None
            self._ack = text
        if self.is_mounted:
            self._show_hint(self._w("#actions", ActionMenu))

    def _synced(self, seq: int) -> None:
        pending = self._pending_ack
        if pending is not None and seq >= pending[0] and self.is_mounted:
            self._pending_ack = None
            self._ack = pending[1]
            self._show_hint(self._w("#actions", ActionMenu))

    def _show_feed(self, view: DrillView) -> None:
        now = self.clock.monotonic()
        for item in view.feed:
            self._arrived.setdefault(item.seq, now)
        roles_of = {m.name: m.roles for m in view.members}
        items = [i for i in view.feed if self.feed_filter.accepts(i, roles_of)]
        fresh = sum(1 for i in items if now - self._arrived[i.seq] < FRESH)
        feed = self._w("#feed", IncidentFeed)
        compact = self.compact
        state = (items[-1].seq if items else -1, len(items), self.feed_filter, compact)
        if state != self._feed_state:
            self._feed_state = state
            participants = {m.name: m.participant for m in view.members if m.participant}
            feed.show(items, set(), participants, compact=compact)
        title = "Incident feed" + (
            f" ({self.feed_filter.label})" if self.feed_filter.role or self.feed_filter.channel else ""
        )
        if fresh:
            title += f" · {fresh} new"
        if feed.border_title != title:
            feed.border_title = title

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
            label = next((m.label for m in view.milestones if m.id == missing[0]), missing[0])
            self.notify(
                f"Reaching '{label}' ends the drill (resolved) and opens the debrief.",
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
        result = self.drill.submit(action_id, by=by)
        label = action.label if action else action_id
        if result.ok:
            ack = Text("✓ Submitted: ", "bold green")
            ack.append(label + (f" → {by}" if by else ""))
            self.acknowledge(ack)
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
        result = self.drill.answer(inject_id, action_id)
        if result.ok:
            self.acknowledge(Text("✓ Decided: ", "bold green").append(self.drill.actions[action_id].label))
        else:
            self.notify(Text(result.reason or "cannot answer").markup, title="Not now", severity="warning")
        self.refresh_view()

    def action_decide(self) -> None:
        decisions = self.drill.view().decisions
        if not decisions:
            self.notify("No decision is open.", timeout=3)
            return
        decision = decisions[0]
        dialog = DecisionScreen(decision)

        def done(choice: str | None) -> None:
            if choice:
                self.answer(decision.inject, choice)

        def follow(view: DrillView) -> None:
            live = next((d for d in view.decisions if d.inject == decision.inject), None)
            if live is not None:
                dialog.update_time(live)

        self.open_dialog(dialog, done, hold=False, follow=follow)  # the countdown keeps running

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

    def action_observe(self) -> None:
        """An evaluator's observation against an objective and critical task (tui/screens/observation.py)."""
        from drillsim.tui.screens.observation import Observation, ObservationScreen

        if not self.drill.scenario.objectives:
            self.notify("This scenario declares no objectives to observe against.")
            return
        self.catch_up()

        def done(seen: Observation | None) -> None:
            if seen is not None:
                self.drill.observe(seen.objective, seen.task, seen.text, seen.rating, seen.author)
                self.notify("Observation saved (controller only).", timeout=2)

        self.open_dialog(ObservationScreen(self.drill.scenario, self.drill.now), done)

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
