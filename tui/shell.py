"""What a screen may read of the app around it, as a :class:`Protocol`.

Attributes down, messages up: a screen reads the app's shared data through :class:`Shell` (typed
so, no screen imports ``drillsim.tui.app``, which imports the screens: the TUI's modules have no
import circle, tests/test_layering.py checks it), and asks the app to move on by posting a message
of ``tui.messages``: ``BriefingRequested`` (launcher), ``DrillStartRequested`` (briefing),
``DrillFinished`` (drill), ``LauncherRequested`` (debrief), ``QuitRequested`` (any; the app asks
first during a drill). Key help comes from ``tui.keys``, built from the screens' ``BINDINGS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from drillsim.tui.session import RosterEntry


class Shell(Protocol):
    """The app's data a screen reads: the library's rosters (loaded once, on first use)."""

    @property
    def rosters(self) -> list[RosterEntry]: ...
