"""What the TUI needs besides widgets: the scenario library, starting and resuming a drill, the sim clock.

Nothing here imports Textual, so it is tested (and reasoned about) without an event loop.

- :func:`discover_scenarios` / :func:`discover_rosters`: the built-in library plus the
  user's own ``./scenarios/*.yaml`` and ``./scenarios/rosters/*.yaml``.
- :func:`start_drill`: a run folder under ``out`` with a journal, or a drill in memory
  (with a warning) when the folder cannot be written.
- :func:`resume_drill`: read the journal (a torn last line is dropped), rebuild the drill
  from its inputs, check the rebuild reproduces the journal, rewrite the journal
  atomically from the rebuilt records and keep appending to it. The drill starts paused.
- :class:`SimClock` (re-exported from ``host.clock``, its one home): sim time = wall time x
  speed from monotonic clock deltas, frozen while paused, and held (without the drill
  knowing) while a facilitator dialog is open.
"""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillsim.host.clock import MAX_GAP, MAX_STEP_WALL, SimClock  # noqa: F401  (re-export: the one clock, in host)
from drillsim.simulator.journal import (
    JOURNAL_NAME,
    JournalWriter,
)

if TYPE_CHECKING:  # the launcher imports this module before its first paint: no pydantic, no engine here
    from drillsim.simulator.engine import Drill
    from drillsim.simulator.model import Roster, Scenario

SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
"""The speeds ``+`` and ``-`` step through."""


class SessionError(Exception):
    """A drill that cannot be started or resumed; the message is for the facilitator."""


def faster(speed: float) -> float:
    """The next speed up from ``speed`` (the fastest stays)."""
    return next((s for s in SPEEDS if s > speed), SPEEDS[-1])


def slower(speed: float) -> float:
    """The next speed down from ``speed`` (the slowest stays)."""
    return next((s for s in reversed(SPEEDS) if s < speed), SPEEDS[0])


def format_speed(speed: float) -> str:
    return f"x{speed:g}"


# ---------------------------------------------------------------------------- library


@dataclass(frozen=True)
class ScenarioEntry:
    """A scenario the launcher offers: loaded, the reason it could not be, or not loaded yet."""

    id: str
    path: Path
    source: str
    """``built-in`` or ``local``."""
    scenario: Scenario | None
    error: str | None = None
    shadows: Path | None = None
    """For a local copy of a built-in (``./scenarios/<built-in id>.yaml``): the built-in it is chosen over."""

    @property
    def loaded(self) -> bool:
        return self.scenario is not None or self.error is not None

    @property
    def label(self) -> str:
        return "local copy, shadows the built-in" if self.shadows is not None else self.source


@dataclass(frozen=True)
class RosterEntry:
    id: str
    path: Path
    source: str
    roster: Roster | None
    error: str | None = None
    shadows: Path | None = None


def _load_error(exc: Exception) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0][:300]


def load_scenario_entry(entry: ScenarioEntry) -> ScenarioEntry:
    """The entry with its scenario loaded, or with the reason it does not load (never raises)."""
    from dataclasses import replace

    from drillsim.simulator.loading import load_scenario

    if entry.loaded:
        return entry
    try:
        return replace(entry, scenario=load_scenario(entry.path))
    except Exception as exc:  # a broken local file must not stop the launcher
        return replace(entry, error=_load_error(exc))


def discover_scenarios(cwd: Path | None = None, *, load: bool = True) -> list[ScenarioEntry]:
    """The library's scenarios (:func:`drillsim.simulator.library.scenario_entries`), loaded unless ``load=False``."""
    from drillsim.simulator.library import scenario_entries

    entries = [ScenarioEntry(e.id, e.path, e.source, None, shadows=e.shadows) for e in scenario_entries(cwd)]
    return [load_scenario_entry(e) for e in entries] if load else entries


def discover_rosters(cwd: Path | None = None) -> list[RosterEntry]:
    """The library's rosters (built-in, and ``./scenarios/rosters/*.yaml``), loaded."""
    from drillsim.simulator.library import roster_entries
    from drillsim.simulator.loading import load_roster

    found = []
    for e in roster_entries(cwd):
        try:
            found.append(RosterEntry(e.id, e.path, e.source, load_roster(e.path), shadows=e.shadows))
        except Exception as exc:  # a broken local file must not stop the launcher
            found.append(RosterEntry(e.id, e.path, e.source, None, _load_error(exc), shadows=e.shadows))
    return found


def default_roster_id(scenario: Scenario) -> str:
    from drillsim.simulator.library import DEFAULT_ROSTER

    return scenario.default_roster or DEFAULT_ROSTER


# ---------------------------------------------------------------------------- the journal, off the frame path


class BackgroundJournal:
    """The drill's journal for the TUI: writes go to the OS at once, fsyncs happen in a thread.

    The engine asks for an fsync after every input; done in the key handler that wait shows as
    lag (tens of ms on a busy disk). Here ``write`` hands the record to the OS straight away (a
    killed drillsim loses nothing written) and a background thread fsyncs it; ``synced`` is the
    highest seq known to be on disk (the drill host, ``host.core.HostCore``, acknowledges an input
    once ``synced`` reaches it: the drill screen's "recorded"), and ``on_synced(seq)``, if set, is
    called from that thread after each fsync. Only a power cut in the few milliseconds between
    the write and the fsync can cost the last input, and it was never acknowledged.
    """

    def __init__(self, writer: JournalWriter, on_synced: Callable[[int], None] | None = None) -> None:
        import threading

        self.writer = writer
        self.on_synced = on_synced
        self.synced = -1
        self._wanted = -1
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="journal-fsync", daemon=True)
        self._thread.start()

    @property
    def path(self) -> Path:
        return self.writer.path

    @property
    def ok(self) -> bool:
        return self.writer.ok

    @property
    def warnings(self) -> list[str]:
        return self.writer.warnings

    def write(self, record: dict[str, Any], sync: bool = False) -> None:
        with self._lock:
            self.writer.write(record)
            file = self.writer._file
            if file is not None:
                try:
                    file.flush()  # to the OS: survives the process being killed
                except OSError as exc:
                    self.writer._fail(exc)
            if sync:
                self._wanted = max(self._wanted, int(record.get("seq", 0)))
                self._wake.set()

    def write_all(self, records: Any) -> None:
        for record in records:
            self.write(record)
        self.sync()

    def sync(self) -> None:
        """Flush and fsync now (the end of a drill, closing)."""
        with self._lock:
            self.writer.sync()
            self.synced = max(self.synced, self._wanted)

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closed:
                return
            with self._lock:  # every record up to ``wanted`` is already with the OS (write flushes)
                wanted = self._wanted
                file = self.writer._file
                fd = file.fileno() if file is not None else None
            if fd is None:
                continue
            try:
                os.fsync(fd)  # outside the lock: the screen's writes never wait for the disk
            except OSError as exc:
                if self._closed:  # closed meanwhile: close() synced it
                    return
                with self._lock:
                    self.writer._fail(exc)
                continue
            self.synced = max(self.synced, wanted)
            if self.on_synced is not None and wanted >= 0:
                with contextlib.suppress(Exception):  # the screen may be gone; the record is on disk all the same
                    self.on_synced(wanted)

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        with self._lock:
            self.writer.close()
            self.synced = max(self.synced, self._wanted)


def background_journal(drill: Drill) -> None:
    """Put the drill's journal behind a :class:`BackgroundJournal` (once)."""
    journal = drill.journal
    if isinstance(journal, JournalWriter):
        drill.journal = BackgroundJournal(journal)


# ---------------------------------------------------------------------------- settings and sessions


@dataclass
class Settings:
    """What the launcher's settings form (or the command line) chose."""

    team: str | None = None
    label: str | None = None
    speed: float = 1.0
    seed: int | None = None
    out: Path = Path("drills")
    in_memory: bool = False
    """Keep the journal in memory only (tests, snapshots); the facilitator is told."""

    def resolved_seed(self) -> int:
        if self.seed is None:
            self.seed = random.SystemRandom().randrange(1, 100_000)
        return self.seed


@dataclass
class DrillSession:
    """A drill and where it is recorded."""

    drill: Drill
    run_dir: Path | None
    warnings: list[str] = field(default_factory=list)
    resumed: bool = False

    @property
    def journal_path(self) -> Path | None:
        return None if self.run_dir is None else self.run_dir / JOURNAL_NAME

    @property
    def recording(self) -> bool:
        journal = self.drill.journal
        return journal is not None and journal.ok

    def journal_warnings(self) -> list[str]:
        journal = self.drill.journal
        return list(journal.warnings) if journal is not None else []

    def close(self) -> None:
        if self.drill.journal is not None:
            self.drill.journal.close()


def find_roster(roster_id: str, rosters: list[RosterEntry] | None = None) -> Roster:
    """A roster by id (local ``./scenarios/rosters`` first, then built-in) or by path."""
    from drillsim.simulator.library import resolve_roster
    from drillsim.simulator.loading import load_roster

    for entry in rosters or []:
        if entry.id == roster_id and entry.roster is not None:
            return entry.roster
    return load_roster(resolve_roster(roster_id))


def start_drill(
    scenario: Scenario,
    roster: Roster,
    settings: Settings,
    participants: dict[str, str] | None = None,
) -> DrillSession:
    """Create the run folder and its journal, then the drill; in memory (with a warning) if the disk refuses."""
    from drillsim.simulator.checks import check_roster_covers
    from drillsim.simulator.session import Loaded, start_run

    participants = {k: v.strip() for k, v in (participants or {}).items() if v.strip()}
    team = settings.team or roster.team
    coverage = [str(p) for p in check_roster_covers(scenario, roster)]
    run = start_run(
        Loaded(scenario, roster, coverage),
        seed=settings.resolved_seed(),
        out=settings.out,
        team=team,
        label=settings.label or None,
        speed=settings.speed,
        participants=participants,
        in_memory=settings.in_memory,
    )
    recording = run.writer is not None and run.writer.ok
    background_journal(run.drill)
    return DrillSession(run.drill, run.folder if recording else None, list(run.warnings))


def resume_drill(run: Path) -> DrillSession:
    """Continue an interrupted drill from its run folder (or journal file); it starts paused
    (``simulator.session.resume_run``, with the UI's fsync off the frame path)."""
    from drillsim.simulator.session import ResumeError, resume_run

    try:
        resumed = resume_run(Path(run))
    except ResumeError as exc:
        raise SessionError(str(exc)) from None
    background_journal(resumed.drill)
    return DrillSession(resumed.drill, resumed.folder, resumed.warnings, resumed=True)


DISCARDED = ".discarded"
"""Where a discarded run folder goes, beside the other run folders (history and compare skip dot-folders)."""


def discard_run(run_dir: Path) -> Path:
    """Move an unwanted drill's run folder aside to ``<drills>/.discarded/<name>`` (never deleted); returns where."""
    run_dir = Path(run_dir)
    target_dir = run_dir.parent / DISCARDED
    target = target_dir / run_dir.name
    n = 2
    while target.exists():
        target = target_dir / f"{run_dir.name}-{n}"
        n += 1
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        run_dir.rename(target)
    except OSError as exc:
        raise SessionError(f"{run_dir}: cannot move it aside: {exc.strerror or exc}") from None
    return target
