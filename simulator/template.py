"""The commented scenario that ``drillsim new ID`` writes for a trainer to start from."""

from __future__ import annotations

import re

TEMPLATE = """# yaml-language-server: $schema=scenario.schema.json
# A new drillsim scenario. Every key is explained in docs/authoring.md; the JSON Schema
# beside this file (`drillsim schema > scenario.schema.json`) gives your editor completion.
# Check it with:   drillsim validate {id}.yaml --play
# Try it with:     drillsim autoplay {id}.yaml --policy playbook   (and --policy idle)

id: {id}
title: {title}
category: model-drift          # model-drift, data-pipeline, infrastructure, security, privacy, human-in-the-loop, third-party, capacity
severity: SEV3                 # SEV1 (critical, public) .. SEV5
summary: >-
  One or two sentences for the launcher: what fails and what the business sees.
briefing: >-
  The situation read out before the drill: time of day, what the system does, who is on call.
duration: 30m                  # the time limit in sim time: 45s, 5m, 1h30m or seconds
default_roster: crisis-team

objectives:
  - id: contain
    text: Contain the impact quickly.
    capability: Operational Coordination
    target: Fallback in place within 15 minutes of impact
    measures: [contained]      # milestone ids (or clock ids, or `communication`)

references:                    # the real incident, technique or standard this draws on
  - title: Describe the incident or standard here
    kind: incident

metrics:                       # what the team watches; all start at their baseline
  accuracy_pct: {{label: Model accuracy, baseline: 93, unit: "%", slo: {{min: 88}}, noise: 0.005}}
  orders_per_min: {{label: Orders, baseline: 400, unit: /min, slo: {{min: 360}}, noise: 0.02}}
business: {{revenue_per_minute: 5000, follows: orders_per_min, currency: USD}}

faults:                        # what goes wrong (players see symptoms, not this)
  - id: drift
    label: The input distribution shifts after a competitor's promotion
    at: 0s
    effects:
      - {{metric: accuracy_pct, ramp: {{to: 75, over: 10m}}}}
      - {{metric: orders_per_min, ramp: {{to: 320, over: 12m}}, after: 2m}}

injects:                       # what reaches the players, at a time or on a condition
  - id: accuracy-alert
    when: {{metric: accuracy_pct, below: 88}}
    channel: pager             # alert and pager count as alerts and page the on-call role
    from: Monitoring
    to: ml-engineer
    text: "Model accuracy on the live sample fell below 88%."
    discussion:
      - Who decides whether to fall back to the previous model?
  - id: exec-asks
    at: 8m
    from: CEO
    to: crisis-lead
    text: Orders are down. What is going on?
    decision:
      options: [exec-brief]
      deadline: 3m
      on_timeout:
        text: The CEO escalates to the whole leadership team.
        penalty: {{points: 5, reason: Executive question left unanswered}}
  - id: still-broken
    when: {{milestone: contained, not_by: 15m}}     # a contingency inject
    from: Head of sales
    to: everyone
    text: Customers are complaining. Why is this still broken?

actions:                       # the menu: playbook steps, distractors and don'ts
  - id: acknowledge
    label: Acknowledge the alert and open an incident
    role: ml-engineer
    duration: 30s
    requires: [detected]
    marks: [acknowledged]
    pages: [crisis-lead]
  - id: fallback-model
    label: Fall back to the previous model version
    role: ai-ops-engineer
    duration: {{min: 2m, mode: 3m, max: 6m}}
    success: 0.9
    requires: [acknowledged]
    stops: [drift]
    effects:
      - {{metric: accuracy_pct, ramp: {{to: baseline, over: 2m}}}}
      - {{metric: orders_per_min, ramp: {{to: baseline, over: 5m}}}}
    marks: [contained]
  - id: exec-brief
    label: Brief the executives with facts and the next update time
    role: crisis-lead
    duration: 1m
    communication: internal
    repeatable: true
  - id: promise-fix
    label: Promise a fix within the hour
    role: crisis-lead
    duration: 15s
    requires: [detected]            # a don't needs a signal first, like everything the team does
    communication: external
    penalty: {{points: 10, reason: Over-promised a recovery time without a clear technical path}}

scoring:
  milestones:
    detected: {{label: Detected, target: 10m, when: {{metric: accuracy_pct, below: 88}}}}
    acknowledged: {{label: Acknowledged, target: 12m}}
    contained: {{label: Contained, target: 15m}}
    recovered: {{label: Recovered, target: 25m, when: {{metric: orders_per_min, at_least: 390, for: 1m}}}}
  communication: {{first_update: 15m, cadence: 30m}}
  end_on: [recovered]

playbook:                      # the reference response: par, and the play check
  - {{at: 5m, action: acknowledge}}
  - {{at: 7m, action: fallback-model}}
  - {{at: 9m, action: exec-brief}}

lessons:                       # findings the report raises when their condition holds
  - when: {{milestone: contained, not_by: 15m}}
    finding: The fallback came late.
    corrective_action: Automate the fallback to the previous model behind a feature flag.
    owner: ai-ops-engineer
"""


def render_template(scenario_id: str) -> str:
    """The commented template with the id and a title filled in."""
    title = scenario_id.replace("-", " ").replace("_", " ").capitalize()
    return TEMPLATE.format(id=scenario_id, title=title)


def from_existing(text: str, old_id: str, new_id: str) -> str:
    """A copy of an existing scenario's YAML with its id replaced (comments kept)."""
    header = f"# Started from the scenario '{old_id}' with `drillsim new {new_id} --from {old_id}`.\n"
    replaced, count = re.subn(r"(?m)^id:\s*.*$", f"id: {new_id}", text, count=1)
    if count == 0:
        replaced = f"id: {new_id}\n" + text
    lines = replaced.splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server"):
        return lines[0] + header + "".join(lines[1:])
    return header + replaced
