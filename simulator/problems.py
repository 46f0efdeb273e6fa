"""What is wrong with a file, and where: the problem types shared by simulator/loading.py (parsing and
validating a file) and simulator/checks.py (cross-reference checks of a validated model).

Both import this module; neither imports the other's problem types (no import circle).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from drillsim.simulator.text import escape

Level = Literal["error", "warning"]
Position = tuple[int | None, int | None]
TreePath = tuple[str | int, ...]

NO_POSITION: Position = (None, None)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as precisely as the parser allows.

    ``line`` and ``col`` are 1-based and ``None`` where no position is known (a missing
    file, a check on a model built in code): a position is never invented.
    """

    path: str
    """The file, as the user named it."""
    line: int | None
    col: int | None
    where: str
    """Breadcrumb into the document: ``injects[2].decision.options``; empty for the whole file."""
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        location = self.path
        if self.line is not None:
            location += f":{self.line}"
            if self.col is not None:
                location += f":{self.col}"
        text = f"{location}: "
        if self.where:
            text += f"{self.where}: "
        if self.level == "warning":
            text += "warning: "
        # a problem quotes what the user wrote (an unknown key, an id, the file name): never raw
        return escape(text + self.message, lines=True)

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class LoadError(Exception):
    """A file could not be loaded; ``problems`` says everything that is wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """Only the error-level problems."""
    return [p for p in problems if p.level == "error"]


def breadcrumb(path: Sequence[str | int]) -> str:
    """``("injects", 2, "decision", "options")`` -> ``injects[2].decision.options``."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", str(part)):
            text += f".{part}" if text else str(part)
        else:
            text += f"[{json.dumps(str(part))}]"
    return text


class SourceMap:
    """Positions (1-based line, column) of the keys and values of a YAML document by tree path."""

    def __init__(self) -> None:
        self.values: dict[TreePath, tuple[int, int]] = {}
        self.keys: dict[TreePath, tuple[int, int]] = {}

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> Position:
        """Where ``path`` is written: its key with ``key=True`` (else its value).

        A path that is not in the file (a default value) falls back to its nearest
        ancestor that is; an empty map gives no position at all.
        """
        tpath = tuple(path)
        if key and tpath in self.keys:
            return self.keys[tpath]
        while True:
            if tpath in self.values:
                return self.values[tpath]
            if tpath in self.keys:
                return self.keys[tpath]
            if not tpath:
                return NO_POSITION
            tpath = tpath[:-1]


class Problems:
    """Collects problems for one file."""

    def __init__(self, name: str, source: SourceMap | None = None) -> None:
        self.name = name
        self.source = source or SourceMap()
        self.items: list[Problem] = []

    def add(
        self,
        message: str,
        position: Position = NO_POSITION,
        where: str = "",
        level: Level = "error",
    ) -> None:
        self.items.append(Problem(self.name, position[0], position[1], where, message, level))

    def at(self, path: Sequence[str | int], message: str, *, key: bool = False, level: Level = "error") -> None:
        self.add(message, self.source.locate(path, key=key), breadcrumb(path), level)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice to a misspelt word, if any is close."""
    import difflib  # only for a misspelt word: validating good files never pays for it

    choices = list(choices)
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if match:
        return match[0]
    lowered = word.lower()
    prefixed = [c for c in choices if len(lowered) >= 3 and (c.startswith(lowered) or lowered.startswith(c))]
    return prefixed[0] if len(prefixed) == 1 else None
