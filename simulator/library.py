"""Finding scenarios and rosters: the built-in library (package data) and the user's own files.

This module is the one discovery that the launcher, ``drillsim list``, ``run ID``,
``autoplay ID``, ``validate ID`` and ``simulate ID`` share.

The built-in files are found through :func:`scenarios.library` and :func:`scenarios.rosters`
(``importlib.resources``), so they are found after a regular ``pip install .`` as well as
from a checkout. The user's own files are ``./scenarios/*.yaml`` and
``./scenarios/rosters/*.yaml`` of the current folder (where ``drillsim new`` writes). A
file's id is its file name without ``.yaml``.

A local file whose id equals a built-in's is a *local copy*: it is chosen over the built-in,
and :attr:`LibraryEntry.note` says that it shadows it. A local file that *is* the built-in
(the same file, as in a checkout with an editable install, or the same bytes, as in a
checkout with a regular install) is the built-in, listed once.

A SCENARIO argument on the command line is either a path to a YAML file or the id of a
discovered scenario; ``--roster`` works the same way for rosters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.abc import Traversable
from pathlib import Path

from drillsim import scenarios

DEFAULT_SCENARIO = "flash-sale-latency"
"""The scenario the launcher offers first."""
DEFAULT_ROSTER = "crisis-team"
"""The roster used when neither the user nor the scenario names one."""

YAML_SUFFIXES = (".yaml", ".yml")

BUILT_IN = "built-in"
LOCAL = "local"
LOCAL_SCENARIOS = Path("scenarios")
"""The user's own scenarios, relative to the current folder (``drillsim new`` writes here)."""
LOCAL_ROSTERS = LOCAL_SCENARIOS / "rosters"
"""The user's own rosters, relative to the current folder."""


class LibraryError(Exception):
    """A scenario or roster argument names neither a file nor a built-in id."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _as_path(item: Traversable) -> Path:
    # Package data installed by pip (editable or not) lives on the file system.
    return Path(str(item))


def _yaml_files(folder: Traversable) -> list[tuple[str, Path]]:
    found = []
    for item in folder.iterdir():
        name = item.name
        if item.is_file() and name.endswith(YAML_SUFFIXES) and not name.startswith("."):
            found.append((name.rsplit(".", 1)[0], _as_path(item)))
    return sorted(found)


def builtin_scenarios() -> list[tuple[str, Path]]:
    """``(id, path)`` of every built-in scenario, sorted by id."""
    return _yaml_files(scenarios.library())


def builtin_rosters() -> list[tuple[str, Path]]:
    """``(id, path)`` of every built-in roster, sorted by id."""
    return _yaml_files(scenarios.rosters())


def builtin_scenario_ids() -> list[str]:
    return [ident for ident, _ in builtin_scenarios()]


def builtin_roster_ids() -> list[str]:
    return [ident for ident, _ in builtin_rosters()]


@dataclass(frozen=True)
class LibraryEntry:
    """One scenario or roster file that discovery found: built-in, or the user's local one."""

    id: str
    path: Path
    source: str
    """:data:`BUILT_IN` or :data:`LOCAL`."""
    kind: str = "scenario"
    shadows: Path | None = None
    """For a local copy of a built-in: the built-in file it is chosen over."""

    @property
    def label(self) -> str:
        """``built-in``, ``local``, or ``local copy, shadows the built-in``."""
        return "local copy, shadows the built-in" if self.shadows is not None else self.source

    @property
    def note(self) -> str | None:
        """For a local copy of a built-in, the line telling the user which file is used."""
        if self.shadows is None:
            return None
        return (
            f"using the local copy {self.path} of the built-in {self.kind} '{self.id}' "
            f"(it shadows the built-in; rename or remove it to use the built-in)"
        )


def _local_yaml(folder: Path) -> list[tuple[str, Path]]:
    try:
        files = sorted(
            p for p in folder.iterdir() if p.name.endswith(YAML_SUFFIXES) and not p.name.startswith(".") and p.is_file()
        )
    except OSError:  # no folder, not a folder, unreadable: no local files
        return []
    found: dict[str, Path] = {}
    for path in files:
        found.setdefault(path.name.rsplit(".", 1)[0], path)  # x.yaml before x.yml
    return list(found.items())


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _entries(kind: str, builtins: list[tuple[str, Path]], local: Path) -> list[LibraryEntry]:
    entries = {ident: LibraryEntry(ident, path, BUILT_IN, kind) for ident, path in builtins}
    for ident, path in _local_yaml(local):
        builtin = entries.get(ident)
        if builtin is None:
            entries[ident] = LibraryEntry(ident, path, LOCAL, kind)
        elif not _same_file(path, builtin.path):
            entries[ident] = LibraryEntry(ident, path, LOCAL, kind, shadows=builtin.path)
    return list(entries.values())


def scenario_entries(cwd: Path | None = None) -> list[LibraryEntry]:
    """Every scenario: the built-ins (local copies in their place), then the other local ones."""
    return _entries("scenario", builtin_scenarios(), LOCAL_SCENARIOS if cwd is None else cwd / LOCAL_SCENARIOS)


def roster_entries(cwd: Path | None = None) -> list[LibraryEntry]:
    """Every roster: the built-ins (local copies in their place), then the other local ones."""
    return _entries("roster", builtin_rosters(), LOCAL_ROSTERS if cwd is None else cwd / LOCAL_ROSTERS)


def _looks_like_path(arg: str) -> bool:
    """``arg`` is meant as a path (has a slash, starts with a dot, ends in .yaml), not as an id."""
    return os.sep in arg or "/" in arg or arg.endswith(YAML_SUFFIXES) or arg.startswith(".")


def _resolve(
    arg: str | os.PathLike[str], kind: str, entries: list[LibraryEntry], notes: list[str] | None = None
) -> Path:
    text = os.fspath(arg)
    path = Path(text).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        raise LibraryError(f"{text}: is a folder; name a {kind} file or the id of a built-in {kind}")
    if _looks_like_path(text):
        raise LibraryError(f"{text}: no such file")
    by_id = {entry.id: entry for entry in entries}
    if text in by_id:
        entry = by_id[text]
        if entry.note is not None and notes is not None:
            notes.append(entry.note)
        return entry.path
    ids = list(by_id)
    import difflib  # only when an id is unknown: validate never pays for it otherwise

    local = (LOCAL_SCENARIOS if kind == "scenario" else LOCAL_ROSTERS).as_posix()
    close = difflib.get_close_matches(text, ids, n=3, cutoff=0.5)
    close += [i for i in ids if text and text in i and i not in close]
    message = f"unknown {kind} '{text}': no such file and no {kind} with that id (built-in or in ./{local}/)"
    if close:
        message += f" (did you mean {', '.join(repr(c) for c in close[:3])}?)"
    elif ids:
        message += f"; built-in {kind}s: {', '.join(e.id for e in entries if e.source == BUILT_IN or e.shadows)}"
        mine = [e.id for e in entries if e.source == LOCAL]
        message += f"; local: {', '.join(mine)}" if mine else ""
        message += " (see 'drillsim list')"
    raise LibraryError(message)


def resolve_scenario(arg: str | os.PathLike[str], *, cwd: Path | None = None, notes: list[str] | None = None) -> Path:
    """The scenario file named by ``arg``: a path to a YAML file, or a discovered scenario's id.

    A local copy of a built-in is chosen over it; its :attr:`LibraryEntry.note` goes to ``notes``.
    """
    return _resolve(arg, "scenario", scenario_entries(cwd), notes)


def resolve_any(arg: str, *, cwd: Path | None = None, notes: list[str] | None = None) -> Path:
    """A path that exists, else a scenario id, else a roster id (``drillsim validate ID``)."""
    if Path(arg).expanduser().exists() or _looks_like_path(arg):
        return Path(arg).expanduser()
    try:
        return resolve_scenario(arg, cwd=cwd, notes=notes)
    except LibraryError:
        if arg in {entry.id for entry in roster_entries(cwd)}:
            return resolve_roster(arg, cwd=cwd, notes=notes)
        raise


def resolve_roster(arg: str | os.PathLike[str], *, cwd: Path | None = None, notes: list[str] | None = None) -> Path:
    """The roster file named by ``arg``: a path to a YAML file, or a discovered roster's id."""
    return _resolve(arg, "roster", roster_entries(cwd), notes)
