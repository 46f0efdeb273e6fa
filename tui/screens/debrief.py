"""The debrief: scorecard, ratings and findings, the hotwash, rating overrides, and the report.

Scoring and findings come from ``reports`` (pure functions of the journal records). The
facilitator's hotwash notes and overrides go into the journal through ``drill.debrief``;
after each one the report is rewritten in a thread worker, so it always holds them.

Par (the playbook's median over 101 drills of the scenario with this roster) is computed
once in a thread worker when the debrief opens (read from the cache after the first time);
the scores are shown at once and par joins them, and the report, when it arrives.

It is long because it holds the debrief's texts (summary, end reason, objectives, score,
findings: small functions at the top, tested alone) beside the screen that shows them with its
workers (par, the report) and dialogs (hotwash entries, rating overrides, discarding a drill).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, ClassVar

from drillsim.simulator.durations import format_clock, format_time
from drillsim.simulator.records import current_hotwash
from drillsim.tui import keys
from drillsim.tui.messages import LauncherRequested, ReportWritten
from drillsim.tui.screens.modals import (
    ChoiceScreen,
    ConfirmScreen,
    HelpScreen,
    OverrideScreen,
    RatingOverride,
    TextScreen,
)
from drillsim.tui.session import DISCARDED, DrillSession, SessionError, discard_run
from drillsim.tui.widgets import money
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

HERE = Path(__file__).parent
RATING_STYLE = {
    "P": "bold white on green",
    "S": "bold black on yellow",
    "M": "bold white on dark_orange",
    "U": "bold white on red",
}
_REPORT_LOCK = threading.Lock()


def short_path(path: Path | None) -> str:
    """The path relative to the current folder when that is shorter."""
    if path is None:
        return ""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return relative if len(relative) < len(str(path)) else str(path)


def scorecard_of(records: list[dict[str, Any]], par: Any | None = None) -> Any | None:
    try:
        from drillsim.reports.scoring import score
    except ImportError:
        return None
    return score(records, par)


def par_of(records: list[dict[str, Any]]) -> Any | None:
    """Par for the drill (slow the first time for a scenario and roster: run it in a worker), or None."""
    try:
        from drillsim.reports.par import par_for
    except ImportError:
        return None
    return par_for(records)


def entry_label(record: dict[str, Any]) -> Text:
    strength = record.get("kind") == "strength"
    text = Text("✓ " if strength else "△ ", "bold green" if strength else "bold yellow")
    text.append(str(record.get("text", "")))
    return text


class ParReady(Message):
    """The par worker finished: par, or None when it could not be computed."""

    def __init__(self, par: Any | None) -> None:
        super().__init__()
        self.par = par


def findings_of(records: list[dict[str, Any]], card: Any) -> list[Any]:
    try:
        from drillsim.reports.lessons import findings
    except ImportError:
        return []
    return list(findings(records, card))


def write_report(run_dir: Path, par: Any = True) -> tuple[str, ...]:
    """Write the report files into the run folder (thread-safe); returns the files' names.

    ``par``: a par already computed, False for none, True to compute it (see ``reports.render.write_report``).
    """
    from drillsim.reports.render import write_report as render

    with _REPORT_LOCK:
        paths = render(run_dir, par)
    return tuple(str(p.name) for p in (paths.markdown, paths.html, paths.scorecard))


def end_reason_text(drill: Any) -> str:
    """Why and when the drill ended, in words, and what scheduled injects it never reached.

    The end moment is rounded as the report rounds it (``format_time``), so that the debrief's
    "ended at 10:31" and its findings' "before the drill ended at 10:31" agree."""
    scenario, at = drill.scenario, drill.now
    reason = drill.end_reason or ""
    if reason == "time_limit":
        why = f"ended at its time limit ({format_clock(scenario.duration)})"
    elif reason == "resolved":
        labels = [
            scenario.scoring.milestones[m].label or m
            for m in scenario.scoring.end_on
            if m in scenario.scoring.milestones
        ]
        why = f"resolved at {format_time(at)}: " + (", ".join(labels) if labels else "every end milestone") + " reached"
    elif reason == "facilitator":
        why = f"ended by the facilitator at {format_time(at)}"
    else:
        why = f"ended ({reason.replace('_', ' ')}) at {format_time(at)}"
    fired = {r.get("inject") for r in drill.records if r["type"] == "inject"}
    unfired = [i for i in scenario.injects if i.at is not None and i.at > at and i.id not in fired]
    if unfired:  # not "never": they were still to come when the drill ended
        first = min(float(i.at or 0) for i in unfired)
        why += (
            f"; it ended before {len(unfired)} scheduled inject{'s' if len(unfired) != 1 else ''}"
            f" (the next at {format_clock(first)})"
        )
    return why


def summary_text(session: DrillSession, card: Any | None, par_pending: bool = False) -> Text:
    drill = session.drill
    view = drill.view()
    text = Text()
    text.append(" DEBRIEF ", "bold reverse")
    text.append(f"  {drill.scenario.title}", "bold")
    text.append(f"  ·  {end_reason_text(drill)}")
    text.append(f"  ·  lost {money(view.revenue_lost, view.currency)}")
    if card is not None:
        text.append("\n")
        text.append(" SCORE ", "bold reverse")
        text.append(f" {card.score.total:g}/100", "bold")
        if card.par_score is not None:
            text.append(f"  (par {card.par_score:g})", "dim")
        elif par_pending:
            text.append("  (par: simulating the playbook ...)", "dim")
        text.append(f"  ·  penalties {card.penalty_total}")
    return text


def objectives_table(card: Any) -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=3, no_wrap=True)
    table.add_column(ratio=1)
    for o in card.objectives:
        rating = o.rating
        cell = Text(f" {rating} ", RATING_STYLE.get(rating, "reverse"))
        body = Text(o.text, "bold")
        body.append(f"\n{o.target}", "italic dim")
        if o.override:
            body.append(f"\noverride ({o.computed} → {o.override}): {o.override_reason}", "magenta")
        else:
            body.append(f"\n{o.computed_reason}", "cyan")
        table.add_row(cell, body)
        table.add_row("", "")
    return table


def score_table(card: Any) -> Table:
    table = Table(expand=True, show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("Term", ratio=3)
    table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("Detail", ratio=3, style="dim")
    for term in card.score.terms:
        points = Text(f"{term.points:.1f}/{term.weight:.1f}", "red" if term.points < 0 else "")
        table.add_row(Text(term.label), points, Text(term.detail))
    return table


def findings_text(items: list[Any]) -> Table | Text:
    """The findings, each a marked title with its evidence and corrective action indented under it; a
    wrapped line keeps its indent (grids: marker and body, then indent and line)."""
    if not items:
        return Text("No findings.", "dim")
    table = Table.grid(expand=True)
    table.add_column(width=2, no_wrap=True)
    table.add_column(ratio=1)
    for f in items:
        strength = f.kind == "strength"
        under = Table.grid(expand=True)
        under.add_column(width=2, no_wrap=True)
        under.add_column(ratio=1)
        for line in f.evidence[:3]:
            under.add_row("", Text(line, "dim"))
        if f.corrective_action:
            action = Text(f.corrective_action)
            if f.owner:
                action.append(f" ({f.owner})", "dim")
            under.add_row(Text("→ ", "cyan"), action)
        mark = Text("✓ " if strength else "△ ", "bold green" if strength else "bold yellow")
        table.add_row(mark, Group(Text(f.title, "bold"), under))
    return table


class DebriefScreen(Screen[None]):
    """After the drill: what happened, how it rates, and what the team says about it."""

    CSS_PATH = HERE / "debrief.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Short footer words (the tooltips are the help's text), the most used first and help
        # first, so that at 120 columns every key shows and at 80 the footer keeps ? in view.
        Binding("question_mark,f1", "help", "Help", tooltip="This help", key_display="?", id="debrief.help"),
        Binding("s", "focus_strength", "Strength", tooltip="Type a strength: what went well", id="debrief.strength"),
        Binding("i", "focus_improvement", "Improve", tooltip="Type an area for improvement", id="debrief.improvement"),
        Binding(
            "e", "edit_entry", "Edit", tooltip="Edit a hotwash entry (pick it, change the text)", id="debrief.edit"
        ),
        Binding("d", "remove_entry", "Remove", tooltip="Remove a hotwash entry (asks first)", id="debrief.remove"),
        Binding(
            "w", "write", "Report", tooltip="Write the report again (Markdown, HTML, scorecard)", id="debrief.write"
        ),
        Binding(
            "o",
            "override",
            "Override",
            tooltip="Override an objective's rating (P/S/M/U), with the reason",
            id="debrief.override",
        ),
        Binding("n", "note", "Note", tooltip="Write a debrief note into the journal and the report", id="debrief.note"),
        Binding("f", "feedback", "Feedback", tooltip="The participants' feedback form", id="debrief.feedback"),
        Binding("l", "launcher", "Launcher", tooltip="Back to the launcher", id="debrief.launcher"),
        Binding(
            "x",
            "discard",
            "Discard",
            tooltip="Discard this drill (asks first): its run folder moves to drills/.discarded/",
            id="debrief.discard",
        ),
        Binding("escape", "unfocus", "Leave field", show=False, id="debrief.unfocus"),
        Binding("q", "app.quit", "Quit", tooltip="Quit drillsim", show=False, id="debrief.quit"),
    ]

    def __init__(self, session: DrillSession, write_on_mount: bool = True) -> None:
        super().__init__()
        self.session = session
        self.drill = session.drill
        self.write_on_mount = write_on_mount
        self.card: Any | None = None
        self.par: Any | None = None
        self.par_pending = True
        self.findings: list[Any] = []
        self.report_files: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        with Horizontal(id="main"):
            with VerticalScroll(id="left"):
                objectives = Static(id="objectives")
                objectives.border_title = "Objectives (HSEEP P/S/M/U)"
                yield objectives
                score = Static(id="score")
                score.border_title = "Score, term by term"
                yield score
            with Vertical(id="right"):
                with VerticalScroll(id="findings-pane") as pane:
                    pane.border_title = "Findings"
                    yield Static(id="findings")
                with Vertical(id="hotwash") as hotwash:
                    hotwash.border_title = "Hotwash"
                    yield Label("Strength (s)")
                    yield Input(placeholder="what went well; Enter records it", id="strength", compact=True)
                    yield Label("Area for improvement (i)")
                    yield Input(placeholder="what to do better; Enter records it", id="improvement", compact=True)
                    yield Static(id="notes")
        yield Static(id="report-status")
        yield Footer(compact=True)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < 100, "compact")

    def on_mount(self) -> None:
        # the drill's toasts ("ending soon", "recorded") are about a drill that is over; at 80 columns they
        # would cover the summary that says how it ended
        self.app.clear_notifications()
        self.refresh_scores()
        self.show_notes()
        if self.session.run_dir is None:
            self.set_report_status(Text("In memory only: no run folder, so no report file.", "bold yellow"))
        elif self.write_on_mount:
            self.set_report_status(Text("Simulating par, then writing the report ...", "dim"))
        self.compute_par()

    @work(thread=True, exclusive=True, group="par")
    def compute_par(self) -> None:
        try:
            par = par_of(self.drill.records)
        except Exception:  # par is a comparison, never a reason to lose the debrief
            par = None
        self.post_message(ParReady(par))

    def on_par_ready(self, message: ParReady) -> None:
        self.par, self.par_pending = message.par, False
        self.refresh_scores()
        if self.session.run_dir is not None and (self.write_on_mount or self.report_files):
            self.action_write()

    # ------------------------------------------------------------------ content

    def refresh_scores(self) -> None:
        records = self.drill.records
        try:
            self.card = scorecard_of(records, self.par)
            self.findings = findings_of(records, self.card) if self.card is not None else []
        except Exception as exc:  # scoring must never cost the debrief
            self.card, self.findings = None, []
            self.notify(f"Scoring failed: {exc}", severity="error", timeout=10)
        self.query_one("#summary", Static).update(summary_text(self.session, self.card, self.par_pending))
        if self.card is not None:
            self.query_one("#objectives", Static).update(objectives_table(self.card))
            self.query_one("#score", Static).update(score_table(self.card))
        else:
            self.query_one("#objectives", Static).update(Text("Scoring is not available.", "dim"))
        self.query_one("#findings", Static).update(findings_text(self.findings))

    def hotwash_entries(self) -> list[dict[str, Any]]:
        """The hotwash as it stands: each entry's latest text, removed ones left out (see :func:`current_hotwash`)."""
        return current_hotwash(self.drill.records)

    def show_notes(self) -> None:
        text = Text()
        entries = {id(r) for r in self.hotwash_entries()}
        for record in self.drill.records:
            match record:
                case {"type": "hotwash"} if id(record) in entries:
                    strength = record.get("kind") == "strength"
                    text.append("✓ " if strength else "△ ", "bold green" if strength else "bold yellow")
                    text.append(str(record.get("text", "")))
                    text.append("\n")
                case {"type": "rating_override"}:
                    text.append("⚑ ", "bold magenta")
                    text.append(f"{record.get('objective')} → {record.get('rating')}: {record.get('reason')}\n")
                case {"type": "note", "t": t} if t >= self.drill.now:
                    text.append("✎ ", "bold blue")
                    text.append(str(record.get("text", "")))
                    text.append("\n")
        text.rstrip()
        self.query_one("#notes", Static).update(text)

    def set_report_status(self, text: Text) -> None:
        self.query_one("#report-status", Static).update(text)

    # ------------------------------------------------------------------ inputs

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        kind = "strength" if event.input.id == "strength" else "improvement"
        self.drill.debrief("hotwash", kind=kind, text=text)
        event.input.value = ""
        self.show_notes()
        self.after_input()

    def after_input(self) -> None:
        self.refresh_scores()
        if self.session.run_dir is not None:
            self.action_write()

    def _pick_entry(self, title: str, then: Any) -> None:
        entries = self.hotwash_entries()
        if not entries:
            self.notify("No hotwash entry yet: s records a strength, i an area for improvement.", timeout=4)
            return
        options: list[tuple[str, str | Text]] = [(str(r["seq"]), entry_label(r)) for r in entries]

        def picked(seq: str | None) -> None:
            chosen = next((r for r in entries if str(r["seq"]) == seq), None)
            if chosen is not None:
                then(chosen)

        self.app.push_screen(ChoiceScreen(title, options, highlighted=len(options) - 1), picked)

    def action_edit_entry(self) -> None:
        """Change a hotwash entry's text: journaled as a new entry that replaces it (the journal only grows)."""

        def edit(entry: dict[str, Any]) -> None:
            def done(text: str | None) -> None:
                if text and text != entry.get("text"):
                    self.drill.debrief("hotwash", kind=entry.get("kind"), text=text, replaces=entry["seq"])
                    self.show_notes()
                    self.after_input()

            kind = "Strength" if entry.get("kind") == "strength" else "Area for improvement"
            self.app.push_screen(
                TextScreen(f"Edit: {kind}", "ctrl+s saves, esc keeps it as it was.", str(entry.get("text", ""))), done
            )

        self._pick_entry("Edit which hotwash entry?", edit)

    def action_remove_entry(self) -> None:
        """Remove a hotwash entry (after a confirmation naming it): journaled as its removal, then the report follows."""

        def remove(entry: dict[str, Any]) -> None:
            def done(yes: bool | None) -> None:
                if yes:
                    self.drill.debrief("hotwash", kind=entry.get("kind"), text="", replaces=entry["seq"], removed=True)
                    self.show_notes()
                    self.after_input()

            self.app.push_screen(
                ConfirmScreen(
                    "Remove this hotwash entry?",
                    f"{entry_label(entry)}\nThe report is rewritten without it. Enter keeps it.",
                    yes="Remove the entry",
                    no="Keep it",
                ),
                done,
            )

        self._pick_entry("Remove which hotwash entry?", remove)

    def action_focus_strength(self) -> None:
        self.query_one("#strength", Input).focus()

    def action_focus_improvement(self) -> None:
        self.query_one("#improvement", Input).focus()

    def action_unfocus(self) -> None:
        self.set_focus(None)

    def action_override(self) -> None:
        objectives = [(o.id, o.text) for o in self.drill.scenario.objectives]
        if not objectives:
            self.notify("This scenario declares no objectives to rate.")
            return

        def done(result: RatingOverride | None) -> None:
            if result is not None:
                self.drill.debrief(
                    "rating_override", objective=result.objective, rating=result.rating, reason=result.reason
                )
                self.show_notes()
                self.after_input()

        self.app.push_screen(OverrideScreen(objectives), done)

    def action_note(self) -> None:
        def done(text: str | None) -> None:
            if text:
                self.drill.note(text)
                self.show_notes()
                self.after_input()

        self.app.push_screen(TextScreen("Debrief note", "Goes into the journal and the report."), done)

    def action_feedback(self) -> None:
        """One participant's feedback form (tui/screens/feedback.py), journaled and in the report's appendix."""
        from drillsim.tui.screens.feedback import FeedbackForm, FeedbackScreen

        participants = list((self.drill.records[0].get("participants") or {}).values())

        def done(form: FeedbackForm | None) -> None:
            if form is not None:
                self.drill.debrief("feedback", participant=form.participant, ratings=form.ratings, answers=form.answers)
                forms = sum(1 for r in self.drill.records if r["type"] == "feedback")
                self.notify(f"Feedback form saved ({forms} so far).", timeout=3)
                self.after_input()

        self.app.push_screen(FeedbackScreen(participants), done)

    def action_write(self) -> None:
        run_dir = self.session.run_dir
        if run_dir is None:
            self.notify("In memory only: there is no run folder to write the report into.", severity="warning")
            return
        self.set_report_status(Text(f"Writing the report into {short_path(run_dir)} ...", "dim"))
        # par still being simulated: write without it now, the par worker rewrites the report when it is done;
        # par failed: let the report try once more and say why it has none
        self.write_in_thread(run_dir, False if self.par_pending else (self.par or True))

    @work(thread=True, exclusive=False, group="report")
    def write_in_thread(self, run_dir: Path, par: Any) -> None:
        try:
            files = write_report(run_dir, par)
        except Exception as exc:
            self.post_message(ReportWritten(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(ReportWritten(run_dir, None, files))

    def on_report_written(self, message: ReportWritten) -> None:
        if message.error is not None:
            text = Text("Report failed: ", "bold red")
            text.append(message.error)
            self.set_report_status(text)
            return
        self.report_files = message.files
        text = Text("Report: ", "bold green")
        text.append(short_path(message.path))
        text.append("/report.html", "bold")
        text.append("  (also report.md, scorecard.json, figures/)", "dim")
        self.set_report_status(text)

    def action_launcher(self) -> None:
        self.post_message(LauncherRequested())

    def action_discard(self) -> None:
        """Discard an accidental drill: its run folder moves aside (to ``.discarded/``), then the launcher."""
        run_dir = self.session.run_dir
        where = short_path(run_dir) if run_dir is not None else "memory"
        detail = (
            f"Its run folder {where} moves to {short_path(run_dir.parent / DISCARDED)}/ (nothing is deleted; "
            "history and compare leave it out). Enter keeps it."
            if run_dir is not None
            else "It was never recorded (in memory only): it is simply dropped. Enter keeps it."
        )

        def done(yes: bool | None) -> None:
            if not yes:
                return
            if run_dir is not None:
                self.session.close()
                try:
                    with _REPORT_LOCK:  # not while a report is being written into it
                        moved = discard_run(run_dir)
                except SessionError as exc:
                    self.notify(str(exc), title="Cannot discard", severity="error", timeout=10)
                    return
                self.session.run_dir = None
                self.notify(f"Moved to {short_path(moved)}", title="Drill discarded", timeout=6)
            self.post_message(LauncherRequested())

        title = f"Discard this drill? ({self.drill.scenario.title}, {self.drill.team})"
        self.app.push_screen(ConfirmScreen(title, detail, yes="Discard the drill", no="Keep it"), done)

    def action_help(self) -> None:
        self.app.push_screen(
            HelpScreen(
                "Keys in the debrief",
                [
                    ("Debrief", keys.binding_rows(self)),
                    (
                        "Fields",
                        [
                            ("enter", "Record the strength or improvement typed"),
                            ("esc", "Leave the field (then e edits an entry, d removes one)"),
                        ],
                    ),
                    ("Anywhere", keys.app_binding_rows(self.app)),
                ],
            )
        )
