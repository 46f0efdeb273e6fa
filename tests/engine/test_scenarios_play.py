"""The built-in flash-sale scenario against the seed guide's response timeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillsim.simulator.engine import Drill
from drillsim.simulator.metrics import samples_of
from drillsim.simulator.policies import ScriptedPolicy, autoplay, load_script, make_policy

from tests.engine.helpers import ROOT, load_builtin, load_builtin_roster

SEED_SCRIPT = ROOT / "tests" / "data" / "scripts" / "seed-flash-sale-timeline.yaml"


def milestones(drill: Drill) -> dict[str, float]:
    return {r["milestone"]: r["t"] for r in drill.records if r["type"] == "milestone"}


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_seed_flash_sale_timeline_reproduces_the_seed_outcome(seed: int) -> None:
    scenario = load_builtin("flash-sale-latency")
    drill = autoplay(
        Drill(scenario, load_builtin_roster("crisis-team"), seed), ScriptedPolicy(load_script(SEED_SCRIPT))
    )
    reached = milestones(drill)
    first_alert = next(r["t"] for r in drill.records if r["type"] == "inject" and r["alert"])
    assert first_alert == 0.0  # 00:00 alert triggered: latency > 5x baseline
    assert reached["detected"] == 0.0
    assert reached["declared"] == 150.0  # 00:02 crisis lead activates the playbook (30 s)
    rollback = next(r for r in drill.records if r["type"] == "action_started" and r["action"] == "rollback-model")
    assert (rollback["t"], rollback["duration"]) == (300.0, 30.0)  # 00:05 rollback taking 30 seconds
    assert reached["contained"] == 330.0
    status = next(r for r in drill.records if r["type"] == "action_finished" and r["action"] == "status-page")
    assert status["t"] == 420.0  # 00:07 status page posted
    assert reached["recovered"] <= 12 * 60  # 00:12 stable
    conversion = [r["values"]["conversion_pct"] for r in samples_of(drill.records) if r["t"] == 720.0]
    assert conversion and conversion[0] >= 0.98 * 3.1 * 0.98  # 98% of baseline (within display noise)
    assert drill.metrics["conversion_pct"].at(720.0) >= 0.98 * 3.1
    assert reached["postmortem"] == 1800.0  # 00:30 post-mortem scheduled
    assert reached["identified"] == 1800.0  # 00:30 root cause identified
    assert drill.end_reason == "resolved"


def test_playbook_beats_idle_on_the_flash_sale() -> None:
    scenario = load_builtin("flash-sale-latency")
    roster = load_builtin_roster("crisis-team")
    for seed in range(5):
        best = autoplay(Drill(scenario, roster, seed), make_policy("playbook", scenario, seed))
        idle = autoplay(Drill(scenario, roster, seed), make_policy("idle", scenario, seed))
        targets = {m: spec.target for m, spec in scenario.scoring.milestones.items() if spec.target is not None}
        reached = milestones(best)
        assert all(m in reached and reached[m] <= target for m, target in targets.items()), reached
        assert set(milestones(idle)) == {"detected"}
        assert best.revenue_lost < idle.revenue_lost / 3


def test_script_file_errors_are_clear(tmp_path: Path) -> None:
    scenario = load_builtin("flash-sale-latency")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {at: 2m, action: launch-rockets}\n")
    with pytest.raises(ValueError, match="no action 'launch-rockets'"):
        make_policy(str(bad), scenario, 0)
    with pytest.raises(ValueError, match="unknown policy 'nope'"):
        make_policy("nope", scenario, 0)
