"""What a screen may ask of the app around it, as a :class:`Protocol`.

Screens type ``self.app`` as :class:`Shell` instead of importing the app class, so no screen
imports ``drillsim.tui.app`` (which imports the screens): the TUI's modules have no import
circle (tests/test_layering.py checks it). A screen that wants to quit posts
``messages.QuitRequested`` (the app asks first during a drill); key help comes from
``tui.keys``, built from the screens' ``BINDINGS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from drillsim.simulator.model import Roster, Scenario
    from drillsim.tui.session import DrillSession, RosterEntry, Settings


class Shell(Protocol):
    """The flow between screens: launcher -> briefing -> drill -> debrief -> launcher."""

    session: DrillSession | None

    @property
    def rosters(self) -> list[RosterEntry]: ...

    def open_briefing(self, scenario: Scenario, roster_id: str, settings: Settings) -> None: ...

    def start(self, scenario: Scenario, roster: Roster, settings: Settings, participants: dict[str, str]) -> None: ...

    def drill_finished(self, session: DrillSession) -> None: ...

    def back_to_launcher(self) -> None: ...
