"""Durations as trainers write them."""

from __future__ import annotations

import math

import pytest
from drillsim.simulator.durations import Duration, format_clock, format_duration, parse_duration
from pydantic import BaseModel, ValidationError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45.0),
        ("5m", 300.0),
        ("1h30m", 5400.0),
        ("2d", 172800.0),
        ("1h 30m 15s", 5415.0),
        ("1.5m", 90.0),
        ("90", 90.0),
        (" 5M ", 300.0),
        (90, 90.0),
        (0, 0.0),
        (2.5, 2.5),
        ("8:00", 480.0),
        ("08:00", 480.0),
        ("0:30", 30.0),
        ("1:30:00", 5400.0),
        ("1:30.5", 90.5),
    ],
)
def test_parse_duration(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5 minutes", "'5 minutes' is not a duration"),
        ("", "is not a duration"),
        ("m", "is not a duration"),
        ("-5m", "is not a duration"),
        ("1:60", "is not a duration"),
        ("1:2:3:4", "is not a duration"),
        (-5, "cannot be negative"),
        (True, "got true/false"),
        (math.inf, "finite"),
        (math.nan, "finite"),
        ([1], "got list"),
        (None, "got NoneType"),
    ],
)
def test_parse_duration_refuses(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_duration(value)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (45, "45s"), (330, "5m30s"), (3600, "1h"), (5415, "1h30m15s"), (59.6, "1m"), (-90, "-1m30s")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize("seconds", [0, 45, 330, 3600, 5415, 86400 + 61])
def test_format_then_parse_round_trips(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


def test_format_clock() -> None:
    assert format_clock(0) == "00:00"
    assert format_clock(75.9) == "01:15"
    assert format_clock(3725) == "1:02:05"
    assert format_clock(-3) == "00:00"


def test_duration_field_type() -> None:
    class Model(BaseModel):
        d: Duration

    assert Model(d="2m").d == 120.0
    with pytest.raises(ValidationError):
        Model(d="soon")
    schema = Model.model_json_schema()["properties"]["d"]
    assert {"type": "number", "minimum": 0} in schema["anyOf"]


@pytest.mark.parametrize("written", ["8:00", '"8:00"', "08:00", "'0:08:00'", "480", "8m"])
def test_a_clock_time_means_the_same_quoted_or_not(written: str) -> None:
    """YAML reads an unquoted ``8:00`` as the number 480 (base 60) but ``08:00`` and ``"8:00"`` as text,
    which was refused: ``at: 8:00`` validated and ``at: "8:00"`` was 'not a duration'."""
    from drillsim.scenarios import library
    from drillsim.simulator.loading import load_scenario_text

    source = library().joinpath("flash-sale-latency.yaml").read_text(encoding="utf-8")
    assert "  - id: ceo-asks\n    at: 8m\n" in source
    scenario = load_scenario_text(
        source.replace("  - id: ceo-asks\n    at: 8m\n", f"  - id: ceo-asks\n    at: {written}\n")
    )
    assert next(i.at for i in scenario.injects if i.id == "ceo-asks") == 480.0


@pytest.mark.parametrize("scale", ["1e-300", "0.5", "0"])
def test_time_scale_below_one_is_refused(scale: str) -> None:
    """``time_scale: 1e-300`` validated, and the report then printed a 300-digit deadline; a drill minute
    never stands for less than a real minute."""
    from drillsim.scenarios import library
    from drillsim.simulator.loading import LoadError, load_scenario_text

    source = library().joinpath("flash-sale-latency.yaml").read_text(encoding="utf-8")
    with pytest.raises(LoadError, match=r"time_scale: must be at least 1\.0; got"):
        load_scenario_text(source.replace("\nduration: 45m\n", f"\nduration: 45m\ntime_scale: {scale}\n", 1))
