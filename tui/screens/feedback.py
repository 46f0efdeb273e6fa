"""The participant feedback form after the hotwash: the rated statements (1-5) and the free-text
questions of reports.aar, one form per participant. Opened with f on the debrief; each form is
journaled and aggregated in the AAR/IP's feedback appendix (``drillsim handbook`` prints the same
form on paper)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from drillsim.reports.aar import FEEDBACK_QUESTIONS, FEEDBACK_TEXT, SCALE
from drillsim.tui.screens.modals import FormScreen
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

HERE = Path(__file__).parent
NOT_ANSWERED = 0


@dataclass(frozen=True)
class FeedbackForm:
    participant: str
    ratings: dict[str, int] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)


class FeedbackScreen(FormScreen[FeedbackForm | None]):
    """One participant's feedback form."""

    CSS_PATH = HERE / "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="feedback.cancel"),
        Binding("ctrl+s", "submit", "Save", id="feedback.save"),
    ]

    def __init__(self, participants: list[str]) -> None:
        super().__init__(classes="modal")
        self.participants = participants

    def compose(self) -> ComposeResult:
        scale: list[tuple[Text | str, int]] = [
            (Text("not answered", "dim"), NOT_ANSWERED),
            *((f"{n}  {label}", n) for n, label in enumerate(SCALE, 1)),
        ]
        with Vertical(classes="dialog feedback"):
            yield Static(Text("Participant feedback form", "bold"), classes="title")
            with VerticalScroll(classes="form"):
                yield Label("Participant (optional)")
                yield Input(
                    placeholder=", ".join(self.participants) if self.participants else "name",
                    id="feedback-participant",
                )
                for question, text in FEEDBACK_QUESTIONS:
                    yield Label(text)
                    yield Select(scale, value=NOT_ANSWERED, allow_blank=False, id=f"feedback-{question}")
                for question, label in FEEDBACK_TEXT:
                    yield Label(label)
                    yield Input(id=f"feedback-{question}")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#feedback-participant", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field (a form has many); ctrl+s or Save submits."""
        event.stop()
        self.focus_next()

    def submit(self) -> None:
        ratings = {}
        for question, _text in FEEDBACK_QUESTIONS:
            value = self.query_one(f"#feedback-{question}", Select).value
            if isinstance(value, int) and value != NOT_ANSWERED:
                ratings[question] = value
        answers = {}
        for question, _label in FEEDBACK_TEXT:
            value = self.query_one(f"#feedback-{question}", Input).value.strip()
            if value:
                answers[question] = value
        if not ratings and not answers:
            self.notify("The form is empty: rate a statement or write an answer first.", severity="warning")
            return
        participant = self.query_one("#feedback-participant", Input).value.strip() or "anonymous"
        self.dismiss(FeedbackForm(participant, ratings, answers))
