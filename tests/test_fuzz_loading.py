"""A fuzzer for hostile scenario and roster files: mutate valid YAML, never a traceback or a hang.

Every mutated file is either accepted or reported as problems, each naming the file, and
an error with a position only where the parser gave one. Alias bombs are refused fast.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

from drillsim.simulator.loading import check_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    (ROOT / "scenarios" / "flash-sale-latency.yaml").read_bytes(),
    (ROOT / "scenarios" / "rosters" / "crisis-team.yaml").read_bytes(),
]
TOKENS = [
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\t",
    b"\x00",
    b"\xff\xfe",
    b"\xc3\x28",
    b": ",
    b"- ",
    b"---\n",
    b"...\n",
    b"? ",
    b"|\n",
    b">\n",
    b"'",
    b'"',
    b"#",
    b"1e999",
    b"-.inf",
    b".nan",
    b"null",
    b"~",
    b"yes",
    b"0x1F",
    b"5 minutes",
    b"<<: *a\n",
    b"%YAML 1.1\n",
    b"\xef\xbb\xbf",
    "\u202e".encode(),
    b"\r",
    b"\n" * 3,
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate", "flip", "indent", "nest"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "duplicate":
            chunk = data[at : at + draw(st.integers(1, 200))]
            data[at:at] = bytes(chunk) * draw(st.integers(1, 5))
        elif op == "truncate":
            del data[at:]
        elif op == "flip":
            if data:
                data[at] = draw(st.integers(0, 255))
        elif op == "indent":
            data[at:at] = b"\n" + b" " * draw(st.integers(1, 12))
        else:
            depth = draw(st.integers(1, 400))
            data[at:at] = b"[" * depth + b"]" * depth
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=mutated())
def test_mutated_files_are_accepted_or_reported_never_raised(raw: bytes) -> None:
    start = time.perf_counter()
    model, problems = check_bytes(raw, "fuzz.yaml")
    assert time.perf_counter() - start < 5, "no hang"
    assert model is not None or problems, "a refused file says why"
    for problem in problems:
        assert problem.path == "fuzz.yaml"
        assert problem.message
        assert (problem.line is None) == (problem.col is None)
        if problem.line is not None:
            assert 1 <= problem.line <= raw.count(b"\n") + raw.count(b"\r") + 2  # YAML breaks lines at \r too


def test_alias_bomb_is_refused_in_under_a_second_within_a_memory_bound() -> None:
    bomb = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in range(1, 12):
        bomb += f"{chr(97 + level)}: &{chr(97 + level)} [".encode()
        bomb += b",".join([f"*{chr(96 + level)}".encode()] * 9) + b"]\n"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    model, problems = check_bytes(bomb, "bomb.yaml")
    elapsed = time.perf_counter() - start
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert model is None and problems
    assert elapsed < 1.0
    assert grown_kib < 100 * 1024


# --------------------------------------------------------------------------- hostile values (#15)
#
# The mutations above attack the YAML; these attack the values: every string field (keys too)
# gets a control character, every scalar a hostile number or duration. Whatever `validate`
# accepts must then play to its end with the random policy within a bound, with finite numbers.

import json  # noqa: E402
import math  # noqa: E402
from copy import deepcopy  # noqa: E402
from typing import Any  # noqa: E402

import yaml  # noqa: E402
from drillsim.simulator.journal import JournalWriter, read_journal  # noqa: E402
from drillsim.simulator.model import Roster, Scenario  # noqa: E402
from drillsim.simulator.policies import play  # noqa: E402
from drillsim.simulator.text import find_control  # noqa: E402

SCENARIO_DATA = yaml.safe_load(SOURCES[0])
ROSTER_DATA = yaml.safe_load(SOURCES[1])
CONTROL_CHARS = ["\x1b", "\x07", "\x00", "\x08", "\r", "\x7f", "\x9b", "\x9d", "\x85", "\u202e", "\u2066"]
PLAY_BOUND_S = 30.0


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """Every scalar of a document as ``(path, "value")`` and every mapping key as ``(path, "key")``."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.append(((*prefix, key), "key"))
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*prefix, index)))
    else:
        found.append((prefix, "value"))
    return found


SCENARIO_PATHS = _paths(SCENARIO_DATA)
ROSTER_PATHS = _paths(ROSTER_DATA)


def _dump(data: Any) -> str:
    """YAML as a trainer's editor might write it: control characters as double-quoted escapes (``"\\e"``)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=False, sort_keys=False)


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _replaced(data: Any, path: tuple[Any, ...], what: str, new: Any) -> Any:
    """A deep copy of ``data`` with the value (or the key) at ``path`` replaced."""
    copy = deepcopy(data)
    parent = _get(copy, path[:-1])
    if what == "key":
        parent[new] = parent.pop(path[-1])
    else:
        parent[path[-1]] = new
    return copy


def _played_finite(
    model: Scenario, roster: Roster, tmp: Path, policy: str = "random", bound: float = PLAY_BOUND_S
) -> None:
    """A policy plays the accepted scenario to its end within the bound, its numbers finite, its journal whole."""
    tmp.mkdir(parents=True, exist_ok=True)
    journal = JournalWriter(tmp / "journal.jsonl")
    start = time.perf_counter()
    drill = play(model, roster, seed=1, policy=policy, journal=journal)
    journal.close()
    assert time.perf_counter() - start < bound, "an accepted scenario plays within the bound"
    assert drill.ended
    assert math.isfinite(drill.revenue_lost) and math.isfinite(drill.now)
    for record in drill.records:
        json.dumps(record, allow_nan=False)  # every number the engine produced is finite
    on_disk = read_journal(tmp / "journal.jsonl").records  # the drill keeps sample blocks as stubs in memory
    assert journal.complete and len(on_disk) == journal.written and on_disk[-1]["type"] == "drill_ended"


@st.composite
def control_text(draw: st.DrawFn, base: str) -> str:
    char = draw(st.sampled_from(CONTROL_CHARS))
    at = draw(st.integers(1, max(1, len(base) - 1))) if len(base) > 1 else 0
    return base[:at] + char + base[at:] if base else "a" + char + "b"


_STRING_TARGETS = [
    (doc, path, what)
    for doc, data, paths in (("scenario", SCENARIO_DATA, SCENARIO_PATHS), ("roster", ROSTER_DATA, ROSTER_PATHS))
    for path, what in paths
    if what == "key" or isinstance(_get(data, path), str)
]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(_STRING_TARGETS), data=st.data())
def test_a_control_character_in_any_text_is_refused_at_its_line(
    target: tuple[str, tuple[Any, ...], str], data: st.DataObject
) -> None:
    doc, path, what = target
    source = SCENARIO_DATA if doc == "scenario" else ROSTER_DATA
    old = str(path[-1]) if what == "key" else _get(source, path)
    hostile = data.draw(control_text(old))
    text = _dump(_replaced(source, path, what, hostile))
    model, problems = check_bytes(text.encode(), "hostile.yaml")
    shown = "\n".join(map(str, problems))
    assert model is None, f"{doc} {path} {what}: {hostile!r} accepted"
    assert any(p.line is not None for p in problems), shown
    assert find_control(shown) is None, "problems quote the text escaped"


HOSTILE_NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 1e13, 1e12, 10**400, -(10**400), 2**63, 10**19]),
    st.sampled_from(["9" * 400, "9" * 400 + "s", "1e999", "5d", "4d1s", "14d", "365d", "367d", "99999999d", "1e3"]),
    st.integers(-(10**30), 10**30),
)
_SCALAR_TARGETS = [(path, "value") for path, what in SCENARIO_PATHS if what == "value"]


@settings(
    max_examples=max(10, settings.default.max_examples // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(targets=st.lists(st.sampled_from(_SCALAR_TARGETS), min_size=1, max_size=3), values=st.data())
def test_hostile_numbers_are_refused_or_play_finite_within_a_bound(
    targets: list[tuple[tuple[Any, ...], str]], values: st.DataObject, tmp_path_factory: Any
) -> None:
    data = SCENARIO_DATA
    for path, _ in targets:
        data = _replace_value(data, path, values.draw(HOSTILE_NUMBERS))
    text = _dump(data)
    start = time.perf_counter()
    model, problems = check_bytes(text.encode(), "numbers.yaml")
    assert time.perf_counter() - start < 5, "no hang"
    assert model is not None or problems
    for problem in problems:
        assert (problem.line is None) == (problem.col is None)
    if isinstance(model, Scenario):
        roster = check_bytes(SOURCES[1], "roster.yaml")[0]
        assert isinstance(roster, Roster)
        _played_finite(model, roster, tmp_path_factory.mktemp("play"))


def _replace_value(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    copy = deepcopy(data)
    _get(copy, path[:-1])[path[-1]] = new
    return copy


def test_the_longest_drill_accepted_by_default_plays_within_the_bound(tmp_path: Path) -> None:
    """4 days of sim time and no end condition, the worst case `validate` lets through by default, ends
    (about 7 s and 110 MB on a shared CI core); a second more is refused at its line."""
    data = deepcopy(SCENARIO_DATA)
    data["duration"] = "4d"
    data["scoring"]["end_on"] = []
    model, problems = check_bytes(_dump(data).encode(), "long.yaml")
    assert isinstance(model, Scenario), problems
    roster = check_bytes(SOURCES[1], "roster.yaml")[0]
    assert isinstance(roster, Roster)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _played_finite(model, roster, tmp_path, policy="idle", bound=120.0)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 400 * 1024, "memory bounded"
    data["duration"] = "4d1s"
    model, problems = check_bytes(_dump(data).encode(), "long.yaml")
    assert model is None and "long_drill: true" in problems[0].message and problems[0].line is not None


@given(value=st.text(max_size=30))
def test_flag_text_refuses_exactly_the_texts_with_a_control_character(value: str) -> None:
    import argparse

    from drillsim.headless import flag_text

    if find_control(value, lines=False) is None:
        assert flag_text(value) == value.strip()
    else:
        try:
            flag_text(value)
        except argparse.ArgumentTypeError as exc:
            assert find_control(str(exc), lines=False) is None, "the refusal quotes the value escaped"
        else:
            raise AssertionError(f"{value!r} accepted")
