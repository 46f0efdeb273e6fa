"""The custom messages of the TUI: children post these to their screen ("attributes down, messages up")."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from drillsim.simulator.model import Roster, Scenario
    from drillsim.tui.session import DrillSession, Settings


class ActionRequested(Message):
    """A participant chose an action from the menu, a shortcut or the command palette."""

    def __init__(self, action_id: str) -> None:
        super().__init__()
        self.action_id = action_id


class DecisionAnswered(Message):
    """A participant answered an open decision with one of its options."""

    def __init__(self, inject_id: str, action_id: str) -> None:
        super().__init__()
        self.inject_id = inject_id
        self.action_id = action_id


class InputRequested(Message):
    """A seat screen asks its app to send an input to the host (``kind`` and its fields, as the protocol has them)."""

    def __init__(self, kind: str, fields: dict[str, Any]) -> None:
        super().__init__()
        self.kind = kind
        self.fields = fields


class ReportWritten(Message):
    """The report worker finished: the run folder it wrote into, or the error that stopped it."""

    def __init__(self, path: Path | None, error: str | None = None, files: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.path = path
        self.error = error
        self.files = files


class DrillFinished(Message):
    """The drill screen's drill ended (time limit, resolved, or the facilitator): the app goes on to the debrief."""

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session


class QuitRequested(Message):
    """A screen asks the app to quit (the app asks first during a drill and says where the journal is)."""


class BriefingRequested(Message):
    """The launcher chose a scenario, a roster and settings: the app opens its briefing."""

    def __init__(self, scenario: Scenario, roster_id: str, settings: Settings) -> None:
        super().__init__()
        self.scenario = scenario
        self.roster_id = roster_id
        self.settings = settings


class DrillStartRequested(Message):
    """The briefing starts the drill (``participants``: who plays each member): the app opens its run folder and
    journal and shows the drill in place of the briefing."""

    def __init__(self, scenario: Scenario, roster: Roster, settings: Settings, participants: dict[str, str]) -> None:
        super().__init__()
        self.scenario = scenario
        self.roster = roster
        self.settings = settings
        self.participants = participants


class LauncherRequested(Message):
    """The debrief is done (or the drill was discarded): the app closes the session and shows the launcher."""
