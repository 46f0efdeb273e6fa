"""Durations as trainers write them: ``45s``, ``5m``, ``1h30m``, ``2d`` or plain seconds.

>>> parse_duration("1h30m")
5400.0
>>> parse_duration(90)
90.0
>>> format_duration(330)
'5m30s'
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_PATTERN = re.compile(
    r"^\s*(?:(\d+(?:\.\d+)?)\s*d)?\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m)?\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*$"
)
DURATION_REGEX = r"^\s*(\d+(\.\d+)?\s*d)?\s*(\d+(\.\d+)?\s*h)?\s*(\d+(\.\d+)?\s*m)?\s*(\d+(\.\d+)?\s*s)?\s*$"


def parse_duration(value: Any) -> float:
    """Return seconds for a duration written as a number or as ``1h30m``-style text.

    Raises ``ValueError`` with a message a trainer can act on.
    """
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or text like '45s', '5m', '1h30m'; got true/false")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("a duration must be a finite number of seconds")
        if value < 0:
            raise ValueError(f"a duration cannot be negative; got {value}")
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text and re.fullmatch(r"\d+(\.\d+)?", text):
            return float(text)
        match = _PATTERN.match(text) if text else None
        if match and any(match.groups()):
            total = 0.0
            for amount, unit in zip(match.groups(), "dhms", strict=True):
                if amount is not None:
                    total += float(amount) * _UNITS[unit]
            return total
        raise ValueError(f"'{value}' is not a duration; write it like '45s', '5m', '1h30m' or a number of seconds")
    raise ValueError(f"a duration is a number of seconds or text like '45s', '5m', '1h30m'; got {type(value).__name__}")


def format_duration(seconds: float) -> str:
    """Short human form: ``5m30s``, ``1h``, ``45s``; fractions of a second are rounded."""
    total = round(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs or not parts:
        parts.append(f"{secs}s")
    return sign + "".join(parts)


def format_clock(seconds: float) -> str:
    """A sim clock reading, ``MM:SS`` below an hour and ``H:MM:SS`` above."""
    total = int(seconds) if seconds >= 0 else 0
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": DURATION_REGEX},
            ],
            "examples": ["45s", "5m", "1h30m", 90],
        }
    ),
]
"""A pydantic field type: seconds, accepting ``45s``/``5m``/``1h30m`` text or numbers."""
