"""Starting a drill for a person or a policy: resolve and load the scenario and roster, make the run folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drillsim.simulator.checks import check_roster_covers
from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import JOURNAL_NAME, JournalWriter, new_run_folder
from drillsim.simulator.library import DEFAULT_ROSTER, resolve_roster, resolve_scenario
from drillsim.simulator.loading import load_roster, load_scenario
from drillsim.simulator.model import Roster, Scenario


@dataclass
class Loaded:
    scenario: Scenario
    roster: Roster
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Which local copy of a built-in was used (``./scenarios/<id>.yaml`` shadowing the built-in)."""


def load_pair(scenario_arg: str, roster_arg: str | None = None) -> Loaded:
    """Load a scenario (path or built-in id) and a roster (path, id, or the scenario's default).

    Raises ``LibraryError`` for an unknown id and ``LoadError`` for an invalid file.
    """
    notes: list[str] = []
    scenario = load_scenario(resolve_scenario(scenario_arg, notes=notes))
    roster = load_roster(resolve_roster(roster_arg or scenario.default_roster or DEFAULT_ROSTER, notes=notes))
    warnings = [str(p) for p in check_roster_covers(scenario, roster)]
    return Loaded(scenario, roster, warnings, notes)


@dataclass
class Run:
    drill: Drill
    folder: Path | None
    writer: JournalWriter | None
    warnings: list[str]


def start_run(
    loaded: Loaded,
    *,
    seed: int,
    out: Path | None = None,
    team: str | None = None,
    label: str | None = None,
    speed: float = 1.0,
    participants: dict[str, str] | None = None,
    policy: str | None = None,
    in_memory: bool = False,
) -> Run:
    """Create the run folder and a journaled drill; if the folder cannot be written (or ``in_memory``), go on in memory."""
    warnings = list(loaded.warnings)
    folder: Path | None = None
    writer: JournalWriter | None = None
    team_name = team or loaded.roster.team
    if not in_memory:
        try:
            folder = new_run_folder(out or Path("drills"), team_name, loaded.scenario.id)
            writer = JournalWriter(folder / JOURNAL_NAME)
        except OSError as exc:
            warnings.append(
                f"cannot create a run folder in {out or Path('drills')}: {exc.strerror or exc}; "
                "the drill goes on in memory only"
            )
    if writer is not None and not writer.ok:
        warnings.extend(writer.warnings)
    drill = Drill(
        loaded.scenario,
        loaded.roster,
        seed,
        speed=speed,
        team=team_name,
        label=label,
        participants=participants,
        policy=policy,
        journal=writer,
    )
    return Run(drill, folder, writer, warnings)
