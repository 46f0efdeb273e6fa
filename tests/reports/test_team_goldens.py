"""Golden reports (#14): a good, an average and a bad team on flash-sale-latency and llm-pii-exposure.

The good team is the scenario's playbook; the average and bad teams are scripts under
tests/data/scripts/teams. Each drill is played with seed 0 and rendered without par and figures;
``UPDATE_GOLDEN=1`` rewrites tests/data/golden after a deliberate change (read the diff as a team would).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from drillsim.reports.render import render_report
from drillsim.reports.scoring import score
from drillsim.simulator.engine import Drill
from drillsim.simulator.policies import autoplay, make_policy

from tests.engine.helpers import load_builtin, load_builtin_roster

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "tests" / "data" / "scripts" / "teams"
GOLDEN = ROOT / "tests" / "data" / "golden"
WALL = "2026-11-22T10:00:00+00:00"
TEAMS = [(s, t) for s in ("flash-sale-latency", "llm-pii-exposure") for t in ("good", "average", "bad")]


def play(scenario_id: str, team: str) -> list[dict]:
    scenario = load_builtin(scenario_id)
    roster = load_builtin_roster(scenario.default_roster or "crisis-team")
    spec = "playbook" if team == "good" else str(SCRIPTS / f"{scenario_id}-{team}.yaml")
    policy = make_policy(spec, scenario, 0)
    drill = autoplay(Drill(scenario, roster, 0, policy=f"{team} team", wall=WALL), policy)
    for record in drill.records:  # inputs carry the wall clock of the machine that played them: fixed here
        if "wall" in record:
            record["wall"] = WALL
    return drill.records


@pytest.mark.parametrize(("scenario_id", "team"), TEAMS, ids=[f"{s}-{t}" for s, t in TEAMS])
def test_golden_team_report(scenario_id: str, team: str) -> None:
    md = render_report(play(scenario_id, team), figures=False).markdown
    golden = GOLDEN / f"{scenario_id}-{team}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(md, encoding="utf-8")
    assert md == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("scenario_id", ["flash-sale-latency", "llm-pii-exposure"])
def test_good_beats_average_beats_bad(scenario_id: str) -> None:
    totals = [score(play(scenario_id, team)).score.total for team in ("good", "average", "bad")]
    assert totals[0] > totals[1] > totals[2], totals
