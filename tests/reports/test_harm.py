"""Harm beyond revenue (#14): a breach's records exposed cost more than the revenue containment loses."""

from __future__ import annotations

import pytest
from drillsim.reports.render import render_report
from drillsim.reports.scoring import score
from drillsim.simulator.policies import play

from tests.engine.helpers import load_builtin, load_builtin_roster


@pytest.mark.parametrize("scenario_id", ["prompt-injection-rag", "llm-pii-exposure"])
def test_doing_nothing_in_a_breach_is_never_cheaper_than_containing_it(scenario_id: str) -> None:
    scenario = load_builtin(scenario_id)
    roster = load_builtin_roster(scenario.default_roster or "crisis-team")
    costs = {}
    for policy in ("playbook", "reference", "idle"):
        business = score(play(scenario, roster, seed=0, policy=policy).records).business
        (harm,) = business.harm
        assert harm.cost == pytest.approx(harm.amount * scenario.harm[0].cost_per_unit, abs=0.5)
        assert business.total_cost == pytest.approx(business.revenue_lost + harm.cost, abs=0.01)
        costs[policy] = business
    assert costs["idle"].harm[0].amount > 2 * costs["playbook"].harm[0].amount  # containing stops the exposure
    assert costs["idle"].total_cost > costs["playbook"].total_cost
    assert costs["idle"].total_cost > costs["reference"].total_cost


def test_the_report_shows_harm_and_the_total_cost() -> None:
    scenario = load_builtin("prompt-injection-rag")
    roster = load_builtin_roster(scenario.default_roster or "crisis-team")
    md = render_report(play(scenario, roster, seed=0, policy="idle").records, figures=False).markdown
    line = next(line for line in md.splitlines() if line.startswith("Revenue lost:"))
    assert "Customer records sent off-platform **4,000 records** (680,000 USD)" in line
    assert "Total cost: **680,000 USD**" in line
