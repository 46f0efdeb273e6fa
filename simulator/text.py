"""The one sanitiser for text that reaches a terminal, a report or a CSV file.

Whatever its source (a scenario or roster file, a ``--team``/``--label`` flag, a journal, a
scorecard, a problem message quoting what the user wrote), text is held to one rule:

- *refused* where it enters (a file at load time, a flag on the command line) when it holds a
  control character: C0 (U+0000-U+001F) except tab and, where a text may span lines, newline;
  DEL (U+007F); C1 (U+0080-U+009F); and the bidirectional overrides and isolates
  (U+202A-U+202E, U+2066-U+2069), which make a terminal or a page show text in another order
  than it is stored;
- *shown escaped* (``\\x1b``, ``\\u202e``) where it must be quoted anyway: a problem line naming an
  unknown key, a scorecard's team name, a journal's note.

>>> escape("red\\x1b[2Jalert")
'red\\\\x1b[2Jalert'
>>> find_control("tab\\tand\\nnewline") is None
True
>>> find_control("a\\x9bb")
(1, '\\x9b')
"""

from __future__ import annotations

import re
from typing import Any

_BIDI = "\u202a-\u202e\u2066-\u2069\ud800-\udfff"  # and lone surrogates: bytes that were not UTF-8
CONTROL = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI}]")
"""Characters that must never reach a terminal raw (tab is allowed; newline only with ``lines``)."""
CONTROL_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
"""As ``CONTROL`` but allowing newline, for texts that may span lines (notes, descriptions)."""


def find_control(text: str, *, lines: bool = True) -> tuple[int, str] | None:
    """The first forbidden character of ``text`` as ``(index, character)``, or ``None``."""
    match = (CONTROL_LINES if lines else CONTROL).search(text)
    return (match.start(), match.group()) if match else None


def control_message(text: str, *, lines: bool = True) -> str | None:
    """A plain-English reason to refuse ``text``, or ``None`` when it is clean."""
    found = find_control(text, lines=lines)
    if found is None:
        return None
    index, char = found
    if "\ud800" <= char <= "\udfff":
        return f"contains bytes that are not UTF-8 text at position {index + 1}; write plain text"
    return f"contains a control character (U+{ord(char):04X}) at position {index + 1}; write plain text"


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape(text: str, *, lines: bool = False) -> str:
    """``text`` with every forbidden character written as ``\\xNN`` or ``\\uNNNN`` (newline kept with
    ``lines``, tab always kept). Clean text comes back unchanged (the same object)."""
    pattern = CONTROL_LINES if lines else CONTROL
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape_char, text)


def escape_all(value: Any, *, lines: bool = True) -> Any:
    """A JSON-like value with every string in it (keys too) escaped; clean values are returned as they are."""
    if isinstance(value, str):
        return escape(value, lines=lines)
    if isinstance(value, list):
        return [escape_all(v, lines=lines) for v in value]
    if isinstance(value, dict):
        return {
            (escape(k, lines=lines) if isinstance(k, str) else k): escape_all(v, lines=lines) for k, v in value.items()
        }
    return value


def plain_flag(value: str) -> str:
    """A command-line text value (``--team``, ``--label``): refused with a reason when it holds a
    control character (raises ``ValueError``); stripped of surrounding spaces otherwise."""
    message = control_message(value, lines=False)
    if message is not None:
        raise ValueError(message)
    return value.strip()
