"""Finding scenarios and rosters: the built-in library (package data) and the user's own files.

The built-in files are found through :func:`scenarios.library` and :func:`scenarios.rosters`
(``importlib.resources``), so they are found after a regular ``pip install .`` as well as
from a checkout. A built-in file's id is its file name without ``.yaml``.

A SCENARIO argument on the command line is either a path to a YAML file or the id of a
built-in scenario; ``--roster`` works the same way for rosters.
"""

from __future__ import annotations

import os
from importlib.abc import Traversable
from pathlib import Path

from drillsim import scenarios

DEFAULT_SCENARIO = "flash-sale-latency"
"""The scenario the launcher offers first."""
DEFAULT_ROSTER = "crisis-team"
"""The roster used when neither the user nor the scenario names one."""

YAML_SUFFIXES = (".yaml", ".yml")


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


def _looks_like_path(arg: str) -> bool:
    return os.sep in arg or "/" in arg or arg.endswith(YAML_SUFFIXES) or arg.startswith(".")


def _resolve(arg: str | os.PathLike[str], kind: str, builtins: list[tuple[str, Path]]) -> Path:
    text = os.fspath(arg)
    path = Path(text).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        raise LibraryError(f"{text}: is a folder; name a {kind} file or the id of a built-in {kind}")
    if _looks_like_path(text):
        raise LibraryError(f"{text}: no such file")
    by_id = dict(builtins)
    if text in by_id:
        return by_id[text]
    ids = list(by_id)
    import difflib  # only when an id is unknown: validate never pays for it otherwise

    close = difflib.get_close_matches(text, ids, n=3, cutoff=0.5)
    close += [i for i in ids if text and text in i and i not in close]
    message = f"unknown {kind} '{text}': no such file and no built-in {kind} with that id"
    if close:
        message += f" (did you mean {', '.join(repr(c) for c in close[:3])}?)"
    elif ids:
        message += f"; built-in {kind}s: {', '.join(ids)} (see 'drillsim list')"
    raise LibraryError(message)


def resolve_scenario(arg: str | os.PathLike[str]) -> Path:
    """The scenario file named by ``arg``: a path to a YAML file, or a built-in scenario's id."""
    return _resolve(arg, "scenario", builtin_scenarios())


def resolve_roster(arg: str | os.PathLike[str]) -> Path:
    """The roster file named by ``arg``: a path to a YAML file, or a built-in roster's id."""
    return _resolve(arg, "roster", builtin_rosters())
