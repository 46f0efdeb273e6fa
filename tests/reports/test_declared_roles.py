"""Roles a scenario or roster declares (``roles:``) are named by their title in the report and handbook (#20)."""

from __future__ import annotations

import copy

from drillsim.reports.handbook import handbook_context
from drillsim.reports.render import render_report
from drillsim.simulator.engine import Drill
from drillsim.simulator.model import Roster, Scenario
from drillsim.simulator.policies import ScriptedPolicy, autoplay

from tests.engine.helpers import tiny_roster, tiny_scenario


def _scenario() -> Scenario:
    data = copy.deepcopy(tiny_scenario().model_dump(mode="json", by_alias=True, exclude_defaults=True))
    data["roles"] = {
        "trust-safety-lead": "Head of trust and safety: decides on takedowns and customer redress",
        "ombudsman": "Customer ombudsman: speaks for the customers harmed",
    }
    data["actions"].append({"id": "takedown", "label": "Take the answers down", "role": "trust-safety-lead"})
    data["actions"].append({"id": "redress", "label": "Offer redress", "role": "ombudsman"})
    data["playbook"].append({"at": "2m", "action": "takedown"})
    return Scenario.model_validate(data, context={"roles": data["roles"]})


def _roster() -> Roster:
    data = tiny_roster().model_dump(mode="json", exclude_defaults=True)
    data["roles"] = {"trust-safety-lead": "Head of trust and safety: decides on takedowns"}
    data["members"].append({"name": "Dee", "roles": ["trust-safety-lead"]})
    return Roster.model_validate(data, context={"roles": data["roles"]})


def test_report_names_declared_roles_by_title() -> None:
    scenario, roster = _scenario(), _roster()
    drill = autoplay(Drill(scenario, roster, 0), ScriptedPolicy(scenario.playbook))
    md = render_report(drill.records, figures=False).markdown
    dee = next(line for line in md.splitlines() if line.startswith("| Dee |"))  # who played which role
    assert dee.startswith("| Dee | Head of trust and safety |") and "trust-safety-lead" not in dee
    # nobody holds the ombudsman role: the finding and its owner name it by title
    assert "Nobody on the roster is a Customer ombudsman" in md
    assert "Nobody on the roster is a ombudsman" not in md


def test_handbook_names_declared_roles_by_title() -> None:
    context = handbook_context(_scenario(), _roster())
    roles = next(r for r in context["roles"] if r["member"] == "Dee")
    assert roles["roles"] == "Head of trust and safety"
    steps = [s for s in context["playbook"] if s["action"] == "Take the answers down"]
    assert steps and steps[0]["role"] == "Head of trust and safety"
