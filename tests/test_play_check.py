"""`drillsim validate --play` and `drillsim new`: a scenario is winnable, and not by doing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillsim.main import main
from drillsim.simulator.library import builtin_scenarios, resolve_roster
from drillsim.simulator.lint import play_check
from drillsim.simulator.loading import check_text, load_roster, load_scenario
from drillsim.simulator.template import render_template


@pytest.mark.parametrize("scenario_id", [sid for sid, _ in builtin_scenarios()])
def test_every_builtin_scenario_passes_the_play_check(scenario_id: str) -> None:
    scenario = load_scenario(dict(builtin_scenarios())[scenario_id])
    roster = load_roster(resolve_roster(scenario.default_roster or "crisis-team"))
    report = play_check(scenario, roster)
    assert report.passed, [str(f) for f in report.findings]
    assert not [f for f in report.findings if f.level == "warning"], [str(f) for f in report.findings]


def test_a_scenario_won_by_doing_nothing_fails(tmp_path: Path) -> None:
    text = render_template("too-easy")
    for with_target, without in [
        ("acknowledged: {label: Acknowledged, target: 12m}", "acknowledged: {label: Acknowledged}"),
        ("contained: {label: Contained, target: 15m}", "contained: {label: Contained}"),
        ("recovered: {label: Recovered, target: 25m,", "recovered: {label: Recovered,"),
    ]:
        assert with_target in text
        text = text.replace(with_target, without)
    path = tmp_path / "too-easy.yaml"
    path.write_text(text)
    model, problems = check_text(text, str(path))
    assert model is not None, [str(p) for p in problems]
    assert main(["validate", str(path), "--play"]) == 1


def test_a_playbook_that_misses_its_target_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = render_template("too-slow").replace("{at: 7m, action: fallback-model}", "{at: 20m, action: fallback-model}")
    path = tmp_path / "too-slow.yaml"
    path.write_text(text)
    assert main(["validate", str(path), "--play"]) == 1
    out = capsys.readouterr().out
    assert "play check FAILS" in out and "misses milestone 'contained'" in out


def test_new_writes_a_valid_commented_scenario_that_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "churn-drift", "--dir", str(tmp_path), "--schema"]) == 0
    written = tmp_path / "churn-drift.yaml"
    assert written.read_text().startswith("# yaml-language-server: $schema=scenario.schema.json")
    assert (tmp_path / "scenario.schema.json").is_file()
    assert main(["validate", str(written), "--play"]) == 0
    assert main(["new", "churn-drift", "--dir", str(tmp_path)]) == 2  # never overwrites
    assert main(["new", "Bad Id", "--dir", str(tmp_path)]) == 2
    assert main(["new", "copy", "--from", "model-drift", "--dir", str(tmp_path)]) == 0
    copy = (tmp_path / "copy.yaml").read_text()
    assert "\nid: copy\n" in copy and "Started from the scenario 'model-drift'" in copy
    assert main(["validate", str(tmp_path / "copy.yaml")]) == 0
