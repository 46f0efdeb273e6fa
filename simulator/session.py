"""Starting a drill for a person or a policy: resolve and load the scenario and roster, make the run folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drillsim.simulator.checks import check_roster_covers
from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import (
    JOURNAL_NAME,
    JournalError,
    JournalWriter,
    atomic_write,
    encode,
    new_run_folder,
    read_journal,
)
from drillsim.simulator.library import DEFAULT_ROSTER, resolve_roster, resolve_scenario
from drillsim.simulator.loading import load_roster, load_scenario
from drillsim.simulator.model import Roster, Scenario
from drillsim.simulator.replay import ReplayError, first_difference, located, rebuild


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


class RunFolderError(Exception):
    """The run folder of a drill that must have one cannot be created; the message says where and why."""


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
    memory_fallback: bool = True,
) -> Run:
    """Create the run folder and a journaled drill; if the folder cannot be written (or ``in_memory``), go on in
    memory, or with ``memory_fallback=False`` raise ``RunFolderError`` (a headless drill kept only in memory
    is lost: nothing else is left of it)."""
    warnings = list(loaded.warnings)
    folder: Path | None = None
    writer: JournalWriter | None = None
    team_name = team or loaded.roster.team
    if not in_memory:
        try:
            folder = new_run_folder(out or Path("drills"), team_name, loaded.scenario.id)
            writer = JournalWriter(folder / JOURNAL_NAME)
        except OSError as exc:
            reason = f"cannot create a run folder in {out or Path('drills')}: {exc.strerror or exc}"
            if not memory_fallback:
                raise RunFolderError(reason) from None
            warnings.append(f"{reason}; the drill goes on in memory only")
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


class ResumeError(Exception):
    """A run that cannot be resumed; the message is for the facilitator (nothing was changed)."""


def resume_run(run: Path) -> Run:
    """Continue an interrupted drill from its run folder (or journal file), paused.

    Read the journal (a torn last line is dropped with a warning), rebuild the drill from its
    inputs, check the rebuild reproduces the journal, rewrite the journal atomically from the
    rebuilt records (keeping the original wall times) and keep appending to it.
    """
    run = Path(run)
    path = run if run.is_file() else run / JOURNAL_NAME
    try:
        read = read_journal(path)
    except JournalError as exc:
        raise ResumeError(str(exc)) from None
    try:
        drill = rebuild(read.records)
    except (ReplayError, ValueError, KeyError) as exc:
        raise ResumeError(located(path, f"{exc}; the drill cannot be rebuilt from its journal")) from None
    difference = first_difference(read.records, drill.records)
    if difference is not None:
        raise ResumeError(
            f"{path}: the journal does not replay to the same drill ({difference}); "
            "it may come from another drillsim version. Nothing was changed."
        )
    for original, rebuilt in zip(read.records, drill.records, strict=False):
        if "wall" in original:  # keep when things really happened, not when they were replayed
            rebuilt["wall"] = original["wall"]
    try:
        atomic_write(path, "".join(encode(r) + "\n" for r in drill.records))
    except OSError as exc:
        raise ResumeError(f"{path}: cannot rewrite the journal: {exc.strerror or exc}") from None
    writer = JournalWriter(path, append=True)
    warnings = [*read.warnings, *writer.warnings]
    drill.journal = writer if writer.ok else None
    if not drill.ended and not drill.paused:
        drill.pause()
    return Run(drill, path.parent, drill.journal, warnings)
