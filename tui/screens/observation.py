"""The evaluator's observation: against an objective and one of its critical tasks, with an optional
P/S/M/U rating and what was seen. Opened with ctrl+o on the drill screen (the clock holds while it is
open); journaled with the sim time it was seen and the wall clock, shown to the controller only: it
never reaches the feed, it goes into the AAR/IP's analysis and its appendix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from drillsim.reports.exercise import critical_tasks
from drillsim.simulator.durations import format_clock
from drillsim.simulator.model import Scenario
from drillsim.tui.screens.modals import FormScreen
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, TextArea

HERE = Path(__file__).parent
NO_TASK = "-"
NO_RATING = "-"
RATINGS = (
    (NO_RATING, "no rating (a note only)"),
    ("P", "P  performed without challenges"),
    ("S", "S  with some challenges"),
    ("M", "M  with major challenges"),
    ("U", "U  unable to be performed"),
)


@dataclass(frozen=True)
class Observation:
    objective: str
    task: str | None
    rating: str | None
    text: str
    author: str


class ObservationScreen(FormScreen[Observation | None]):
    """Record what an evaluator saw; the critical tasks follow the objective chosen."""

    CSS_PATH = HERE / "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="observation.cancel"),
        Binding("ctrl+s", "submit", "Save", id="observation.save"),
    ]
    last_author: ClassVar[str] = "evaluator"
    """The evaluator's name, kept for the next observation."""

    def __init__(self, scenario: Scenario, t: float) -> None:
        super().__init__(classes="modal")
        self.scenario = scenario
        self.t = t
        self.tasks = critical_tasks(scenario)

    def task_options(self, objective: str) -> list[tuple[Text, str]]:
        return [
            (Text("(the objective as a whole)"), NO_TASK),
            *((Text(t.text), t.id) for t in self.tasks.get(objective, [])),
        ]

    def compose(self) -> ComposeResult:
        objectives = self.scenario.objectives
        first = objectives[0].id
        with Vertical(classes="dialog"):
            yield Static(Text(f"Evaluator observation at {format_clock(self.t)}", "bold"), classes="title")
            yield Static(
                Text("Controller only: journaled and in the AAR/IP, never on the players' feed.", "dim"),
                classes="detail",
            )
            yield Label("Objective")
            yield Select(
                [(Text(f"{o.capability}: {o.text}"), o.id) for o in objectives],
                value=first,
                allow_blank=False,
                id="observation-objective",
            )
            yield Label("Critical task")
            yield Select(self.task_options(first), value=NO_TASK, allow_blank=False, id="observation-task")
            with Horizontal(classes="fields"):
                yield Select(
                    [(label, r) for r, label in RATINGS], value=NO_RATING, allow_blank=False, id="observation-rating"
                )
                yield Input(self.last_author, placeholder="evaluator", id="observation-author")
            yield TextArea(id="observation-text", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#observation-text", TextArea).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "observation-objective" and isinstance(event.value, str):
            tasks = self.query_one("#observation-task", Select)
            tasks.set_options(self.task_options(event.value))
            tasks.value = NO_TASK

    def submit(self) -> None:
        text = self.query_one("#observation-text", TextArea).text.strip()
        if not text:
            self.notify("Write what you saw first.", severity="warning")
            return
        objective = str(self.query_one("#observation-objective", Select).value)
        task = str(self.query_one("#observation-task", Select).value)
        rating = str(self.query_one("#observation-rating", Select).value)
        author = self.query_one("#observation-author", Input).value.strip() or "evaluator"
        ObservationScreen.last_author = author
        self.dismiss(
            Observation(
                objective, None if task == NO_TASK else task, None if rating == NO_RATING else rating, text, author
            )
        )
