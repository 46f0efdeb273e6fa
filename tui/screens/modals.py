"""Modal screens; each returns a typed result through ``dismiss`` (None when cancelled)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from drillsim.simulator.durations import format_clock
from drillsim.simulator.view import DecisionView, DrillView
from drillsim.tui.widgets import FeedFilter, MemberChoice, member_choice_text
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Mount, Unmount
from textual.screen import ModalScreen
from textual.signal import Signal
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

HERE = Path(__file__).parent
ResultT = TypeVar("ResultT")
CHANNELS = ("chat", "email", "phone", "pager", "alert", "ticket", "press", "regulator", "dashboard")


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question. The safe answer (``no``) has focus, so Enter never ends or discards anything;
    ``y`` or the named button (``yes``, e.g. "End the drill") does."""

    CSS_PATH = HERE / "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="modal")
        self.question, self.detail, self.yes, self.no = question, detail, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question, "bold"), classes="title")
            if self.detail:
                yield Static(Text(self.detail), classes="detail")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.no} (Enter, n)", variant="primary", id="no")
                yield Button(f"{self.yes} (y)", variant="error", id="yes")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class FormScreen(ModalScreen[ResultT]):
    """A form dialog: ctrl+s, the primary button or Enter in a one-line field submits it (``submit``);
    escape or Cancel dismisses it with None."""

    def submit(self) -> None:
        raise NotImplementedError

    def action_submit(self) -> None:
        self.submit()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.submit()


class TextScreen(FormScreen[str | None]):
    """One line or a few of text: a facilitator note."""

    CSS_PATH = HERE / "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="text.cancel"),
        Binding("ctrl+s", "submit", "Save", id="text.save"),
    ]

    def __init__(self, title: str, hint: str = "", initial: str = "") -> None:
        super().__init__(classes="modal")
        self.title_text, self.hint, self.initial = title, hint, initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, "bold"), classes="title")
            if self.hint:
                yield Static(Text(self.hint, "dim"), classes="detail")
            yield TextArea(self.initial, id="text", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def submit(self) -> None:
        text = self.query_one(TextArea).text.strip()
        self.dismiss(text or None)


@dataclass(frozen=True)
class InjectRequest:
    text: str
    to: str
    channel: str
    sender: str


class InjectScreen(FormScreen[InjectRequest | None]):
    """An ad-hoc inject: text, addressee (a role or everyone), channel and sender."""

    CSS_PATH = HERE / "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="inject.cancel"),
        Binding("ctrl+s", "submit", "Send", id="inject.send"),
    ]

    def __init__(self, roles: list[str]) -> None:
        super().__init__(classes="modal")
        self.roles = roles

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Ad-hoc inject", "bold"), classes="title")
            yield Input(placeholder="What happens? e.g. The CFO calls: is customer data affected?", id="inject-text")
            with Horizontal(classes="fields"):
                yield Select(
                    [("everyone", "everyone"), *((r, r) for r in self.roles)],
                    value="everyone",
                    allow_blank=False,
                    id="inject-to",
                    prompt="to",
                )
                yield Select([(c, c) for c in CHANNELS], value="chat", allow_blank=False, id="inject-channel")
                yield Input("Facilitator", placeholder="from", id="inject-from")
            with Horizontal(classes="buttons"):
                yield Button("Send (ctrl+s)", variant="primary", id="send")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#inject-text", Input).focus()

    def submit(self) -> None:
        text = self.query_one("#inject-text", Input).value.strip()
        if not text:
            self.notify("Type what happens first.", severity="warning")
            return
        to = self.query_one("#inject-to", Select).value
        channel = self.query_one("#inject-channel", Select).value
        sender = self.query_one("#inject-from", Input).value.strip() or "Facilitator"
        self.dismiss(InjectRequest(text, str(to), str(channel), sender))


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of a few options (by number, arrows + Enter, or a click)."""

    CSS_PATH = HERE / "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
        *(Binding(str(n), f"pick({n - 1})", f"Option {n}", show=False, id=f"choice.{n}") for n in range(1, 10)),
    ]

    def __init__(
        self, title: str, options: list[tuple[str, str | Text]], detail: str = "", highlighted: int = 0
    ) -> None:
        super().__init__(classes="modal")
        self.title_text, self.options, self.detail = title, options, detail
        self.highlighted = highlighted

    @staticmethod
    def prompt(n: int, label: str | Text) -> Text:
        if isinstance(label, Text):  # keep its wrapping: a multi-line label may cut its lines instead
            return Text(f"{n}. ", no_wrap=label.no_wrap, overflow=label.overflow).append_text(label)
        return Text(f"{n}. {label}")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, "bold"), classes="title", id="choice-title")
            if self.detail:
                yield Static(Text(self.detail), classes="detail", id="choice-detail")
            yield OptionList(
                *(Option(self.prompt(n, label), id=value) for n, (value, label) in enumerate(self.options, 1)),
                id="choices",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if 0 <= self.highlighted < len(self.options):
            options.highlighted = self.highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.options):
            self.dismiss(self.options[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class DecisionScreen(ChoiceScreen):
    """Answer an open decision; the countdown keeps running (the drill does not pause).

    ``views``: the signal its screen or app publishes with each new view (``DrillScreen.view_changed``,
    ``SeatApp.view_changed``); the dialog subscribes to it while mounted and its countdown follows the
    decision in each view (no one reaches into the dialog from outside).
    """

    def __init__(self, decision: DecisionView, views: Signal[DrillView] | None = None) -> None:
        sender = f"{decision.sender}: " if decision.sender else ""
        super().__init__(
            f"Decision, {format_clock(decision.time_left)} left",
            [(o.action, o.label) for o in decision.options],
            detail=sender + decision.prompt,
        )
        self.decision = decision
        self.views = views

    @on(Mount)
    def _follow_views(self) -> None:
        if self.views is not None:
            self.views.subscribe(self, self.follow, immediate=True)

    @on(Unmount)
    def _stop_following(self) -> None:
        if self.views is not None:
            self.views.unsubscribe(self)

    def follow(self, view: DrillView) -> None:
        """A new view: the countdown of this decision, while it is still open."""
        live = next((d for d in view.decisions if d.inject == self.decision.inject), None)
        if live is not None:
            self.update_time(live)

    def update_time(self, decision: DecisionView) -> None:
        self.decision = decision
        self.query_one("#choice-title", Static).update(
            Text(f"Decision, {format_clock(decision.time_left)} left", "bold")
        )


class MemberScreen(ChoiceScreen):
    """Who does an action: the members who could, with their status; drillsim's own pick highlighted.

    The participants' dialog, like the decision's: it does not hold the clock, and the
    statuses stay live while it is open (``update``).
    """

    def __init__(self, action_id: str, action_label: str, choices: Sequence[MemberChoice], now: float) -> None:
        default = next((i for i, c in enumerate(choices) if c.default), 0)
        super().__init__(
            f"Who does it? {action_label}",
            [(c.member.name, member_choice_text(c, now)) for c in choices],
            detail="Enter: drillsim's pick (highlighted) · a number, or arrows and Enter: someone else",
            highlighted=default,
        )
        self.add_class("member-chooser")
        self.action_id = action_id

    def update(self, choices: Sequence[MemberChoice], now: float) -> None:
        """New statuses; the highlight follows drillsim's pick unless the participant moved it."""
        options = self.query_one(OptionList)
        for n, choice in enumerate(choices, 1):
            if n <= options.option_count and options.get_option_at_index(n - 1).id == choice.member.name:
                options.replace_option_prompt_at_index(n - 1, self.prompt(n, member_choice_text(choice, now)))
        default = next((i for i, c in enumerate(choices) if c.default), self.highlighted)
        if default != self.highlighted and options.highlighted == self.highlighted:
            options.highlighted = default
        self.highlighted = default


def filter_options(channels: list[str], roles: list[str]) -> list[tuple[str, str]]:
    return (
        [("all", "Everything")]
        + [(f"channel:{c}", f"Channel: {c}") for c in channels]
        + [(f"role:{r}", f"Addressed to: {r} (and everyone)") for r in roles]
    )


def parse_filter(value: str | None) -> FeedFilter | None:
    if value is None:
        return None
    if value.startswith("channel:"):
        return FeedFilter(channel=value.split(":", 1)[1])
    if value.startswith("role:"):
        return FeedFilter(role=value.split(":", 1)[1])
    return FeedFilter()


class FilterScreen(ModalScreen[FeedFilter | None]):
    """Filter the feed (and the action menu) by channel or by role."""

    CSS_PATH = HERE / "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="filter.cancel")]

    def __init__(self, channels: list[str], roles: list[str]) -> None:
        super().__init__(classes="modal")
        self.choices = filter_options(channels, roles)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Show in the feed", "bold"), classes="title")
            yield OptionList(*(Option(label, id=value) for value, label in self.choices), id="filters")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(parse_filter(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class RatingOverride:
    objective: str
    rating: str
    reason: str


RATINGS = (
    ("P", "P: performed without challenges"),
    ("S", "S: performed with some challenges"),
    ("M", "M: performed with major challenges"),
    ("U", "U: unable to be performed"),
)


class OverrideScreen(FormScreen[RatingOverride | None]):
    """Override an objective's rating, with a reason (HSEEP P/S/M/U)."""

    CSS_PATH = HERE / "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="override.cancel"),
        Binding("ctrl+s", "submit", "Save", id="override.save"),
    ]

    def __init__(self, objectives: list[tuple[str, str]], selected: str | None = None) -> None:
        super().__init__(classes="modal")
        self.objectives = objectives
        self.selected = selected or (objectives[0][0] if objectives else None)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Override a rating", "bold"), classes="title")
            yield Label("Objective")
            yield Select(
                [(Text(label), ident) for ident, label in self.objectives],
                value=self.selected,
                allow_blank=False,
                id="override-objective",
            )
            yield Label("Rating")
            yield Select([(label, r) for r, label in RATINGS], value="S", allow_blank=False, id="override-rating")
            yield Label("Why (goes into the report)")
            yield Input(placeholder="e.g. the rollback was late because the pipeline was down", id="override-reason")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#override-reason", Input).focus()

    def submit(self) -> None:
        reason = self.query_one("#override-reason", Input).value.strip()
        if not reason:
            self.notify("Say why: the report shows the reason next to the rating.", severity="warning")
            return
        objective = self.query_one("#override-objective", Select).value
        rating = self.query_one("#override-rating", Select).value
        self.dismiss(RatingOverride(str(objective), str(rating), reason))


class HelpScreen(ModalScreen[None]):
    """Every key of the screen below, with what it does."""

    CSS_PATH = HERE / "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(self, title: str, sections: list[tuple[str, list[tuple[str, str]]]], note: str = "") -> None:
        super().__init__(classes="modal")
        self.title_text, self.sections, self.note = title, sections, note

    def compose(self) -> ComposeResult:
        text = Text()
        for heading, rows in self.sections:
            text.append(f"{heading}\n", "bold underline")
            for key, description in rows:
                text.append(f"  {key:>14}  ", "bold cyan")
                text.append(f"{description}\n")
            text.append("\n")
        text.rstrip()
        with Vertical(classes="dialog help"):
            yield Static(Text(self.title_text, "bold"), classes="title")
            if self.note:
                yield Static(Text(self.note), classes="detail", id="help-note")
            with VerticalScroll():
                yield Static(text, id="help-text")
            yield Static(Text("esc closes", "dim"), classes="detail")

    def action_close(self) -> None:
        self.dismiss(None)
