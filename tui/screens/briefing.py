"""The briefing: the situation, the objectives and their targets, and who plays which role.

Focus lands on the first participant's name, where the text says to type. Enter in a name
field moves to the next one and, after the last, to the Start button: typing names never
starts the drill by itself (Enter on Start, ctrl+s or a click does).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from drillsim.reports.exercise import GROUND_RULES
from drillsim.simulator.durations import format_duration
from drillsim.simulator.model import Roster, Scenario
from drillsim.tui import keys
from drillsim.tui.messages import DrillStartRequested
from drillsim.tui.screens.modals import HelpScreen
from drillsim.tui.session import Settings, format_speed
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

HERE = Path(__file__).parent


def briefing_text(scenario: Scenario, settings: Settings) -> Text:
    text = Text()
    text.append(scenario.title, "bold")
    text.append("\n")
    text.append(
        f"{scenario.severity} · {scenario.category} · {format_duration(scenario.duration)} of sim time · "
        f"speed {format_speed(settings.speed)}",
        "dim",
    )
    if settings.label:
        text.append(f" · {settings.label}", "dim")
    text.append("\n\n")
    text.append("Situation\n", "bold underline")
    text.append((scenario.briefing or scenario.summary).strip())
    text.append("\n")
    if scenario.objectives:
        text.append("\nObjectives\n", "bold underline")
        for o in scenario.objectives:
            text.append("• ")
            text.append(o.text)
            text.append("\n  ")
            text.append(f"{o.capability}: ", "italic")
            text.append(o.target, "cyan")
            text.append("\n")
    targets = [(m.label or mid, m.target) for mid, m in scenario.scoring.milestones.items() if m.target is not None]
    if targets:
        text.append("\nTargets\n", "bold underline")
        for label, target in targets:
            text.append(f"• {label}: ")
            text.append(f"within {format_duration(target or 0)}", "cyan")
            text.append("\n")
    comm = scenario.scoring.communication
    if comm is not None:
        text.append(
            f"• First update within {format_duration(comm.first_update)}, then every {format_duration(comm.cadence)}\n"
        )
    for clock in scenario.clocks:
        text.append(f"• {clock.regime}: {format_duration(clock.deadline)} once started\n")
    text.append("\nGround rules (read them to the room; Start acknowledges them)\n", "bold underline")
    for number, rule in enumerate(GROUND_RULES, start=1):
        text.append(f"{number}. {rule}\n")
    text.rstrip()
    return text


class BriefingScreen(Screen[None]):
    """Read the situation aloud, assign people to roles, start."""

    CSS_PATH = HERE / "briefing.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "start",
            "Start drill",
            tooltip="Start the drill (the ground rules have been read)",
            priority=True,
            id="briefing.start",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the launcher (nothing is recorded)", id="briefing.back"),
        Binding("question_mark,f1", "help", "Help", tooltip="This help", key_display="?", id="briefing.help"),
        # A priority binding runs as the app takes the key, before it hands the next keys to the field that
        # has focus: "Ana⏎Ben⏎" typed in one burst puts "Ben" in the second field, not after "Ana".
        Binding(
            "enter",
            "next_name",
            "Next name",
            tooltip="Next name; on Start, start the drill",
            show=False,
            priority=True,
            id="briefing.next_name",
        ),
    ]

    def __init__(self, scenario: Scenario, roster: Roster, settings: Settings, can_go_back: bool = True) -> None:
        super().__init__()
        self.scenario = scenario
        self.roster = roster
        self.settings = settings
        self.can_go_back = can_go_back

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with VerticalScroll(id="situation") as situation:
                situation.border_title = "Briefing"
                yield Static(briefing_text(self.scenario, self.settings), id="briefing-text")
            with Vertical(id="people"):
                with VerticalScroll(id="roles") as roles:
                    roles.border_title = f"Who plays whom: {self.settings.team or self.roster.team}"
                    for index, member in enumerate(self.roster.members):
                        with Vertical(classes="member"):
                            label = Text()
                            label.append(member.name, "bold")
                            label.append("  ")
                            label.append(", ".join(member.roles), "dim")
                            if not member.on_call:
                                label.append("  (off call)", "yellow")
                            yield Label(label, classes="member-label")
                            yield Input(
                                placeholder=f"who plays {member.name}?",
                                id=f"participant-{index}",
                                classes="participant",
                                compact=True,
                            )
                with Horizontal(id="start-row"):
                    yield Button("Start the drill: rules read (ctrl+s)", variant="success", id="start")
                    if self.can_go_back:
                        yield Button("Back (esc)", id="back")
        yield Footer()

    def on_mount(self) -> None:
        fields = list(self.query(".participant").results(Input))
        (fields[0] if fields else self.query_one("#start", Button)).focus()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < 100, "compact")

    def participants(self) -> dict[str, str]:
        names = {}
        for index, member in enumerate(self.roster.members):
            value = self.query_one(f"#participant-{index}", Input).value.strip()
            if value:
                names[member.name] = value
        return names

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.action_start()
        else:
            self.action_back()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_name":  # Enter elsewhere (on Start, on Back) is the focused widget's own
            return isinstance(self.focused, Input) and self.focused.has_class("participant")
        return True

    def action_next_name(self) -> None:
        """Enter in a name field moves to the next one; after the last, to Start. The focus moves at once
        (``Widget.focus`` would move it only after the keys already typed had gone to this field)."""
        inputs = list(self.query(".participant").results(Input))
        position = inputs.index(self.focused) if self.focused in inputs else -1
        target: Input | Button = (
            inputs[position + 1] if 0 <= position < len(inputs) - 1 else self.query_one("#start", Button)
        )
        self.set_focus(target)

    def action_start(self) -> None:
        self.post_message(DrillStartRequested(self.scenario, self.roster, self.settings, self.participants()))

    def action_back(self) -> None:
        if self.can_go_back:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_help(self) -> None:
        self.app.push_screen(
            HelpScreen(
                "Keys in the briefing",
                [
                    ("Briefing", keys.binding_rows(self)),
                    ("Fields", [("tab", "Next field")]),
                    ("Anywhere", keys.app_binding_rows(self.app)),
                ],
            )
        )
