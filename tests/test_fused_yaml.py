"""The fused YAML walk (one pass: limits, duplicate keys, data, source map) gives what the steps one by one give.

``parse_yaml`` walks a libyaml tree once (``_fused_walk``); ``_parse_yaml(..., fused=False)`` is the path it
replaced: ``_plain_tree``, ``_duplicate_keys``, PyYAML's safe constructor and ``_source_map``, each a walk of
its own. Both must give the same data (same types too: an int stays an int, a date a date), the same positions
for every key and value, and the same problems, in the same order, for every built-in file, every invalid
fixture and hostile or odd text the fused walk hands back to the steps.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from drillsim.simulator import loading
from drillsim.simulator.library import builtin_rosters, builtin_scenarios
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DATA = Path(__file__).parent / "data"
FILES = (
    [path for _, path in builtin_scenarios() + builtin_rosters()]
    + sorted((DATA / "invalid").glob("*.yaml"))
    + sorted((DATA / "valid").glob("*.yaml"))
)


def typed(value: object) -> object:
    """``value`` with the type of every part spelled out (``1 == 1.0 == True`` in Python, not in a scenario)."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, repr(value))


def both(text: str, name: str = "t.yaml") -> tuple[object, object]:
    results = []
    for fused in (True, False):
        data, source, problems = loading._parse_yaml(text, name, fused=fused)
        results.append((typed(data), source.values, source.keys, [(str(p), p.level) for p in problems]))
    return results[0], results[1]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_answer_for_every_file(path: Path) -> None:
    text, problems = loading.read_text(path)
    if text is None:  # a fixture refused before YAML (binary, not UTF-8): nothing to walk
        assert problems
        return
    fused, stepwise = both(text, str(path))
    assert fused == stepwise


def test_builtin_files_take_the_fused_walk() -> None:
    """Every built-in scenario and roster is the common case (else the speed-up would not reach validate)."""
    for _, path in builtin_scenarios() + builtin_rosters():
        loader, root = loading._fast_compose(path.read_text(encoding="utf-8"))
        try:
            data, source = loading._fused_walk(loader, root)
        finally:
            loader.dispose()
        assert isinstance(data, dict) and source.values[("id",)]


ODD_TEXTS = [
    "a: 1\na: 2\n",  # a key written twice
    "a: {b: 1, b: 2}\nc: [1, {d: 1, d: 1}]\n",
    "1: one\n01: two\n",  # int keys: not plain text, the steps build them
    "true: x\n~: y\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",  # a merge key and an alias
    "x: !!binary aGVsbG8=\n",
    "x: !custom 3\n",
    "x: !!set {a, b}\n",
    "x: !!omap [a: 1]\n",
    "x: " + "9" * 50 + "\n",  # a number too long
    "x: [" + "1" * 45 + ", " + "[" * 70 + "]" * 70 + "]\n",  # too long and too deep: too deep wins
    "a: 1\na: 2\nb: " + "[" * 70 + "]" * 70 + "\n",  # written twice and too deep
    "[" * 65 + "]" * 65 + "\n",
    "[" * 64 + "]" * 64 + "\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: &x 1\nb: *x\n",
    "? [a, b]\n: 1\n",  # a key that is a list
    "? {a: 1}\n: 1\n",
    "= : 1\n",
    "d: 2024-05-01\nt: 2024-05-01 10:00:00\nf: .inf\ng: -.NaN\nh: 0x1F\ni: 0o17\nj: 1_000\nk: 1e3\nn: null\n",
    "s: 'quoted: yes'\nt: \"no\"\nu: yes\nv: NO\nw: ''\n",
    "just text\n",
    "- 1\n- two\n- [3]\n- {four: 4}\n",
    "a: [" + ", ".join(["1"] * 49_990) + "]\n",  # at the MAX_NODES limit
    "a: [" + ", ".join(["1"] * 50_000) + "]\n",  # above it
]


@pytest.mark.parametrize("text", ODD_TEXTS, ids=range(len(ODD_TEXTS)))
def test_same_answer_for_odd_text(text: str) -> None:
    fused, stepwise = both(text)
    assert fused == stepwise


def test_values_are_the_safe_constructors() -> None:
    data, _, problems = loading.parse_yaml("d: 2024-05-01\nn: ~\nb: on\ni: 0x10\nf: 1.5\ns: '1'\n", "t.yaml")
    assert problems == []
    assert data == {"d": datetime.date(2024, 5, 1), "n": None, "b": True, "i": 16, "f": 1.5, "s": "1"}


_SCALARS = st.sampled_from(
    ["1", "-2", "1.5", "true", "no", "~", "null", "''", "'x: y'", "2024-01-02", "abc", "0x1f", ".nan", "*a", "!!str 5"]
)
_KEYS = st.sampled_from(["a", "b", "c", "1", "true", "<<", "'a'", "~"])


@st.composite
def _documents(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 3 or draw(st.booleans()):
        return str(draw(_SCALARS))
    if draw(st.booleans()):
        items = draw(st.lists(_documents(depth + 1), max_size=4))
        return "[" + ", ".join(items) + "]"
    pairs = draw(st.lists(st.tuples(_KEYS, _documents(depth + 1)), max_size=4))
    anchor = "&a " if draw(st.booleans()) else ""
    return anchor + "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_same_answer_for_generated_text(text: str) -> None:
    fused, stepwise = both("top: " + text + "\n")
    assert fused == stepwise
