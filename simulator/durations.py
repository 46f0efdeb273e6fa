"""Durations as trainers write them: ``45s``, ``5m``, ``1h30m``, ``2d``, plain seconds, or ``8:00`` and
``1:30:00`` as the drill clock reads (minutes:seconds, hours:minutes:seconds).

>>> parse_duration("1h30m")
5400.0
>>> parse_duration(90)
90.0
>>> format_duration(330)
'5m30s'
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from drillsim.simulator.text import control_message
from pydantic import BeforeValidator, WithJsonSchema

_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_PATTERN = re.compile(
    r"^\s*(?:(\d+(?:\.\d+)?)\s*d)?\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m)?\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*$"
)
MAX_DURATION = 366 * 86400.0
"""The longest duration written anywhere (a year and a day): a clock deadline, a lesson's due date.
The drill itself is bounded more tightly (``simulator.model.DRILL_LIMIT``)."""
_CLOCK = r"\d+(?::[0-5]?\d){1,2}(?:\.\d+)?"
"""``8:00`` (minutes:seconds) or ``1:30:00`` (hours:minutes:seconds), as the drill clock reads. YAML 1.1 reads
an unquoted ``1:30`` as the number 90 already (base 60) but ``0:30``, ``08:00`` and a quoted ``"1:30"`` as
text: the text is read the same way, so every spelling of a clock time means the same."""
DURATION_REGEX = (
    r"^\s*(\d+(\.\d+)?\s*d)?\s*(\d+(\.\d+)?\s*h)?\s*(\d+(\.\d+)?\s*m)?\s*(\d+(\.\d+)?\s*s)?\s*$"
    rf"|^\s*{_CLOCK}\s*$"
)


def parse_duration(value: Any) -> float:
    """Return seconds for a duration written as a number or as ``1h30m``-style text.

    Raises ``ValueError`` with a message a trainer can act on.
    """
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or text like '45s', '5m', '1h30m'; got true/false")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("a duration must be a finite number of seconds")
        if value < 0:
            raise ValueError(f"a duration cannot be negative; got {_shown(value)}")
        return _bounded(value, value)
    if isinstance(value, str):
        refused = control_message(value)
        if refused is not None:
            raise ValueError(refused)
        text = value.strip().lower()
        if len(text) > 64:
            raise ValueError(f"'{value[:20]}...' is too long for a duration; write it like '45s', '5m', '1h30m'")
        if text and re.fullmatch(r"\d+(\.\d+)?", text):
            return _bounded(float(text), value)
        if re.fullmatch(_CLOCK, text):
            *whole, last = text.split(":")
            return _bounded(
                sum(int(part) * 60 ** (len(whole) - i) for i, part in enumerate(whole)) + float(last), value
            )
        match = _PATTERN.match(text) if text else None
        if match and any(match.groups()):
            total = 0.0
            for amount, unit in zip(match.groups(), "dhms", strict=True):
                if amount is not None:
                    total += float(amount) * _UNITS[unit]
            return _bounded(total, value)
        raise ValueError(f"'{value}' is not a duration; write it like '45s', '5m', '1h30m' or a number of seconds")
    raise ValueError(f"a duration is a number of seconds or text like '45s', '5m', '1h30m'; got {type(value).__name__}")


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 20 else f"a {len(text)}-digit number"


def _bounded(seconds: int | float, written: Any) -> float:
    """Seconds as a float, refused beyond ``MAX_DURATION`` (a 400-digit number never reaches ``float()``)."""
    if isinstance(seconds, int) and seconds > MAX_DURATION:
        seconds = math.inf
    seconds = float(seconds)
    if not math.isfinite(seconds) or seconds > MAX_DURATION:
        raise ValueError(f"a duration can be at most 366 days; got {_shown(written)}")
    return seconds


def format_duration(seconds: float) -> str:
    """Short human form: ``5m30s``, ``1h``, ``45s``; fractions of a second are rounded."""
    if not math.isfinite(seconds):
        return "∞" if seconds > 0 else "-∞" if seconds < 0 else "?"
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
    """The running sim clock, ``MM:SS`` below an hour and ``H:MM:SS`` above: whole seconds elapsed
    (``59.7`` reads ``00:59``, as a clock would), never negative."""
    total = int(seconds) if seconds >= 0 and math.isfinite(seconds) else 0
    return _hms(total)


def format_time(seconds: float | None, *, none: str = "—", pad: bool = True) -> str:
    """A moment or a span in a report, ``mm:ss`` (``h:mm:ss`` past an hour), rounded to the nearest
    second and signed; ``none`` for None or an infinite time; ``pad=False`` writes ``1:05``, not ``01:05``.

    >>> format_time(59.7), format_time(-5), format_time(3725, pad=False), format_time(None)
    ('01:00', '-00:05', '1:02:05', '—')
    """
    if seconds is None or not math.isfinite(seconds):
        return none
    total = round(seconds)
    return ("-" if total < 0 else "") + _hms(abs(total), pad)


def _hms(total: int, pad: bool = True) -> str:
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}" if pad else f"{minutes}:{secs:02d}"


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": DURATION_REGEX},
            ],
            "examples": ["45s", "5m", "1h30m", "8:00", 90],
        }
    ),
]
"""A pydantic field type: seconds, accepting ``45s``/``5m``/``1h30m``/``8:00`` text or numbers."""
