"""Loading YAML: every invalid fixture gives the expected problem at the expected place, hostile input included."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from drillsim.simulator.library import builtin_rosters, builtin_scenarios
from drillsim.simulator.loading import (
    MAX_BYTES,
    LoadError,
    Problem,
    SourceMap,
    breadcrumb,
    check_file,
    check_text,
    did_you_mean,
    errors,
    load_roster,
    load_roster_text,
    load_scenario,
    load_scenario_text,
)
from drillsim.simulator.model import Roster, Scenario, dump

DATA = Path(__file__).parent / "data"
INVALID = sorted((DATA / "invalid").glob("*.yaml"))
VALID = sorted((DATA / "valid").glob("*.yaml"))
EXPECT = re.compile(rb"^# expect: (\d+|-):(\d+|-): (.*?): (.*)$", re.MULTILINE)


def expectations(path: Path) -> list[tuple[int | None, int | None, str, str]]:
    """The ``# expect: LINE:COL: WHERE: MESSAGE`` lines at the top of a fixture (``-`` for no position)."""
    found = []
    for line, col, where, message in EXPECT.findall(path.read_bytes()):
        found.append(
            (
                None if line == b"-" else int(line),
                None if col == b"-" else int(col),
                where.decode(),
                message.decode().rstrip("\r"),
            )
        )
    return found


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_fixture_reports_expected_problems(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' line"
    model, problems = check_file(path)
    assert model is None
    found = errors(problems)
    assert all(p.path == str(path) for p in found)
    for line, col, where, message in expected:
        matches = [p for p in found if (p.line, p.col, p.where) == (line, col, where) and message in p.message]
        assert matches, f"{path.name}: expected {line}:{col}: {where}: {message}\ngot:\n" + "\n".join(map(str, found))
    assert len(found) == len(expected), "\n".join(map(str, found))
    text = "\n".join(str(p) for p in found)
    assert "Traceback" not in text and "pydantic" not in text.lower()


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_fixture_has_no_problems(path: Path) -> None:
    model, problems = check_file(path)
    assert problems == []
    assert isinstance(model, (Scenario, Roster))


def test_every_invalid_fixture_names_its_file_in_str() -> None:
    for path in INVALID:
        _, problems = check_file(path)
        assert all(str(p).startswith(f"{path}:") for p in problems), path


def test_several_problems_are_all_reported() -> None:
    _, problems = check_file(DATA / "invalid" / "several_problems.yaml")
    assert len(errors(problems)) == 3
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)


def test_did_you_mean() -> None:
    _, problems = check_text("id: x\ntitel: A\n", "t.yaml")
    assert any(
        p.message == "unknown key 'titel' (did you mean 'title'?)" and (p.line, p.col) == (2, 1) for p in problems
    )
    assert did_you_mean("chanel", ["channel", "text"]) == "channel"
    assert did_you_mean("zzz", ["channel", "text"]) is None


def test_alias_keys_use_the_written_names() -> None:
    text = (DATA / "valid" / "tiny.yaml").read_text().replace("    from: CEO\n", "    form: CEO\n")
    _, problems = check_text(text, "t.yaml")
    assert [p.message for p in problems] == ["unknown key 'form' (did you mean 'from'?)"]
    text = (
        (DATA / "valid" / "tiny.yaml")
        .read_text()
        .replace("above: 300}\n    channel", "above: 300, fro: 1m}\n    channel")
    )
    _, problems = check_text(text, "t.yaml")
    assert [(p.where, p.message) for p in problems] == [("injects[0].when", "unknown key 'fro' (did you mean 'for'?)")]


def test_problem_str_omits_unknown_positions() -> None:
    assert str(Problem("a.yaml", None, None, "", "no such file")) == "a.yaml: no such file"
    assert str(Problem("a.yaml", 3, None, "id", "bad")) == "a.yaml:3: id: bad"
    assert str(Problem("a.yaml", 3, 5, "id", "odd", "warning")) == "a.yaml:3:5: id: warning: odd"


def test_breadcrumb() -> None:
    assert breadcrumb(("injects", 2, "decision", "options")) == "injects[2].decision.options"
    assert breadcrumb(()) == ""
    assert breadcrumb(("metrics", "a b")) == 'metrics["a b"]'


def test_source_map_falls_back_to_the_nearest_written_ancestor() -> None:
    source = SourceMap()
    source.values[("a",)] = (2, 3)
    assert source.locate(("a", "b", 0)) == (2, 3)
    assert source.locate(("z",)) == (None, None)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    _, problems = check_file(tmp_path / "nope.yaml")
    assert [str(p) for p in problems] == [f"{tmp_path / 'nope.yaml'}: no such file"]
    _, problems = check_file(tmp_path)
    assert [p.message for p in problems] == ["this is a folder, not a file"]
    assert problems[0].line is None


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    _, problems = check_file(big)
    assert len(problems) == 1 and "too large" in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "a: " + "{b: " * 10_000 + "1" + "}" * 10_000 + "\n",
        "".join("  " * i + "-\n" for i in range(2_000)),
        "a: " + "[" * 500_000 + "\n",
    ],
    ids=["flow-lists", "flow-mappings", "block-lists", "unclosed"],
)
def test_deep_nesting_is_refused_quickly(text: str) -> None:
    start = time.process_time()  # CPU time, with room: a refusal that did not stop early would take minutes
    _, problems = check_text(text, "deep.yaml")
    assert time.process_time() - start < 10.0
    assert len(problems) == 1 and "nested too deeply" in problems[0].message
    assert problems[0].line is not None


def test_alias_bomb_is_refused_in_well_under_a_second() -> None:
    start = time.process_time()  # CPU time, with room: an expanded bomb would take far longer and GBs
    _, problems = check_file(DATA / "invalid" / "alias_bomb.yaml")
    assert time.process_time() - start < 10.0
    assert "aliases" in problems[0].message


def test_too_many_values_is_refused() -> None:
    # How fast it is refused is a figure for bench/, not a timed test (it failed under load).
    _, problems = check_text("a: [" + "1," * 60_000 + "]\n", "wide.yaml")
    assert "too many values" in problems[0].message


def test_many_aliases_are_refused() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 600) + "]\n"
    _, problems = check_text(text, "aliases.yaml")
    assert "too many aliases" in problems[0].message


def test_aliases_that_multiply_long_texts_are_refused() -> None:
    """Under the file, alias and value limits, 150 aliases to a list of 200 long texts expanded an 800 KB file
    to 120 MB of text (a 200 MB run folder, 600 MB of memory)."""
    texts = "".join(f"  - {'x' * 3_900}\n" for _ in range(200))
    text = f"long: &L\n{texts}uses:\n" + "".join("  - *L\n" for _ in range(150))
    assert len(text) < 1024 * 1024
    _, problems = check_text(text, "texts.yaml")
    assert "too large once its aliases ('*name') are expanded (more than 4,194,304 characters of text)" in (
        problems[0].message
    )
    few = f"long: &L\n{texts}uses:\n" + "".join("  - *L\n" for _ in range(3))  # 3 MB of text: a scenario's own
    assert not any("too large" in p.message for p in check_text(few, "few.yaml")[1])


def test_load_raises_load_error_with_every_error() -> None:
    with pytest.raises(LoadError) as info:
        load_scenario(DATA / "invalid" / "several_problems.yaml")
    assert len(info.value.problems) == 3
    assert "several_problems.yaml:7:11: severity:" in str(info.value)
    with pytest.raises(LoadError, match="this is a roster file"):
        load_scenario(DATA / "valid" / "roster.yaml")
    with pytest.raises(LoadError, match="this is a scenario file"):
        load_roster(DATA / "valid" / "tiny.yaml")
    with pytest.raises(LoadError, match="no such file"):
        load_roster("does-not-exist.yaml")


def test_load_scenario_text_and_roster_text() -> None:
    scenario = load_scenario_text((DATA / "valid" / "tiny.yaml").read_text(), "tiny")
    assert scenario.id == "tiny"
    assert scenario.duration == 1800
    roster = load_roster_text((DATA / "valid" / "roster.yaml").read_text())
    assert [m.name for m in roster.members] == ["Ana", "Bo"]
    with pytest.raises(LoadError) as info:
        load_scenario_text("id: x\n", "x.yaml")
    assert all(p.path == "x.yaml" for p in info.value.problems)


def test_roster_detected_by_members_or_team() -> None:
    model, _ = check_file(DATA / "valid" / "roster.yaml")
    assert isinstance(model, Roster)
    _, problems = check_text("team: A\n", "r.yaml")
    assert {p.message for p in problems} == {"missing required key 'id'", "missing required key 'members'"}


def test_anchors_and_merge_keys_are_plain_yaml() -> None:
    model = load_scenario(DATA / "valid" / "anchors.yaml")
    assert model.metrics["queue_ms"].baseline == 10
    assert model.metrics["queue_ms"].unit == "ms"
    assert model.actions[1].role == "platform-engineer"


BUILTIN = builtin_scenarios()


@pytest.mark.parametrize(("ident", "path"), BUILTIN, ids=[i for i, _ in BUILTIN])
def test_builtin_scenario_round_trip(ident: str, path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.id == ident
    again = Scenario.model_validate(dump(scenario))
    assert again == scenario
    assert again.content_hash() == scenario.content_hash() == load_scenario(path).content_hash()


@pytest.mark.parametrize(("ident", "path"), builtin_rosters(), ids=[i for i, _ in builtin_rosters()])
def test_builtin_roster_round_trip(ident: str, path: Path) -> None:
    roster = load_roster(path)
    assert roster.id == ident
    assert Roster.model_validate(dump(roster)) == roster


def test_a_journals_flat_copy_of_conditions_and_effects_loads_and_dumps_flat() -> None:
    """Journals store each condition and effect with every key (``null`` where unused): such a copy loads
    as the kind it is, and a dump keeps that shape, so a new journal reads like an old one."""
    flat_effect = "{metric: latency_ms, set: null, scale: null, ramp: {to: baseline, over: 1m}, after: 0}"
    text = (
        (DATA / "valid" / "tiny.yaml")
        .read_text()
        .replace("{metric: latency_ms, ramp: {to: baseline, over: 1m}}", flat_effect)
    )
    assert flat_effect in text
    scenario = load_scenario_text(text)
    effect = dump(scenario)["actions"][0]["effects"][0]
    assert list(effect) == ["metric", "set", "scale", "ramp", "after"] and effect["set"] is None
    condition = dump(scenario)["injects"][0]["when"]
    assert list(condition)[:6] == ["metric", "above", "below", "at_least", "at_most", "for"]
    assert load_scenario_text(json.dumps(dump(scenario))) == scenario


def _loader_outcomes(paths: list[Path]) -> list[tuple[str, list[str], str | None]]:
    """Per file: every problem as printed (file:line:col: where: message) and the model's dump; then the
    hostile texts' problems (too deep, too wide, too many aliases)."""
    out = []
    for path in paths:
        model, problems = check_file(path)
        out.append((path.name, [str(p) for p in problems], None if model is None else json.dumps(dump(model))))
    if paths is not INVALID:
        for n, text in enumerate(HOSTILE):
            out.append((f"hostile-{n}", [str(p) for p in check_text(text, "hostile.yaml")[1]], None))
    return out


HOSTILE = [
    "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "a: " + "{b: " * 100 + "1" + "}" * 100 + "\n",
    "".join("  " * i + "-\n" for i in range(200)),
    "a: [" + "1," * 60_000 + "]\n",
    "a: &a 1\nb: [" + ", ".join(["*a"] * 600) + "]\n",
    "a: &a [1, 2]\nb: *a\nc: {x: 1, x: 2}\n",
]


def test_libyaml_composer_gives_what_the_limited_composer_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml's own composer (the fast path) and PyYAML's composer with the limits it falls back to, both on
    libyaml's parser: the same models and the same problems at the same file:line:col, for every invalid and
    valid fixture, the library and hostile texts."""
    import drillsim.simulator.loading as loading
    import yaml

    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml: there is no libyaml composer to compare")
    assert loading._fast_compose("id: x\n") is not None, "the libyaml composer is not used"
    paths = [*INVALID, *VALID, *(p for _, p in builtin_scenarios()), *(p for _, p in builtin_rosters())]
    fast = _loader_outcomes(paths)
    monkeypatch.setattr(loading, "_fast_compose", lambda text: None)
    assert _loader_outcomes(paths) == fast


def test_pure_python_loader_places_every_invalid_fixtures_problem_where_libyaml_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without libyaml (the pure-Python loader) every problem of the invalid fixtures is the same, at the same
    file:line:col; only the parser's own words after 'this is not valid YAML:' may differ (PyYAML's Python
    parser words two of them differently)."""
    import drillsim.simulator.loading as loading

    def shape(problems: list[str]) -> list[str]:
        return [re.sub(r"(this is not valid YAML: ).*?( \(YAML indents|$)", r"\1...\2", p) for p in problems]

    libyaml = [(name, shape(problems)) for name, problems, _ in _loader_outcomes(INVALID)]
    monkeypatch.setattr(loading, "_fast_compose", lambda text: None)
    monkeypatch.setattr(loading, "_new_loader", loading._PySafeLoader)
    assert [(name, shape(problems)) for name, problems, _ in _loader_outcomes(INVALID)] == libyaml
