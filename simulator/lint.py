"""The play check: is a scenario winnable, and does every part of it ever come into play?

A scenario passes when its playbook reaches every milestone that has a target within that
target (in every seed played) and doing nothing (the idle policy) does not. It also reports
injects that never fired, actions whose requirements nothing can meet, milestones nothing
marks and clocks that never started, in any of the plays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drillsim.simulator.durations import format_clock, format_duration
from drillsim.simulator.engine import Drill
from drillsim.simulator.model import Roster, Scenario
from drillsim.simulator.policies import autoplay, make_policy

PLAY_SEEDS = 5
"""Seeds the playbook is played with; the check must hold in each."""


@dataclass(frozen=True)
class Finding:
    level: str
    """``error`` (the scenario fails the play check) or ``warning``."""
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"


@dataclass
class PlayReport:
    scenario: str
    roster: str
    findings: list[Finding] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(f.level == "error" for f in self.findings)


def _reached(drill: Drill) -> dict[str, float]:
    """Milestones reached, measured from impact start."""
    origin = drill.impact_started or 0.0
    return {m: t - origin for m, t in drill.milestones.items()}


def static_findings(scenario: Scenario) -> list[Finding]:
    """What can never happen, read from the scenario alone."""
    out: list[Finding] = []
    marked = {m for a in scenario.actions for m in a.marks}
    marked |= {mid for mid, spec in scenario.scoring.milestones.items() if spec.when is not None}
    for mid in scenario.scoring.milestones:
        if mid not in marked:
            out.append(Finding("warning", f"milestone '{mid}': no action marks it and it has no 'when' condition"))
    action_ids = {a.id for a in scenario.actions}
    for action in scenario.actions:
        missing = [r for r in action.requires if r not in marked and r not in action_ids]
        if missing:
            out.append(Finding("warning", f"action '{action.id}': nothing enables it (requires {', '.join(missing)})"))
    return out


def play_check(scenario: Scenario, roster: Roster, seeds: int = PLAY_SEEDS) -> PlayReport:
    """Play the scenario with the playbook (several seeds), idle and random, and judge it."""
    report = PlayReport(scenario.id, roster.id, static_findings(scenario))
    targets = {m: s.target for m, s in scenario.scoring.milestones.items() if s.target is not None}
    plays: list[Drill] = []
    misses: dict[str, list[str]] = {}
    for seed in range(seeds):
        drill = autoplay(Drill(scenario, roster, seed), make_policy("playbook", scenario, seed))
        plays.append(drill)
        reached = _reached(drill)
        for mid, target in targets.items():
            at = reached.get(mid)
            if at is None:
                misses.setdefault(mid, []).append(f"seed {seed}: never")
            elif at > target:
                misses.setdefault(mid, []).append(f"seed {seed}: {format_clock(at)}")
    if not scenario.playbook:
        report.findings.append(Finding("error", "the scenario has no playbook, so par and the play check are empty"))
    for mid, where in misses.items():
        report.findings.append(
            Finding(
                "error",
                f"the playbook misses milestone '{mid}' (target {format_duration(targets[mid])}) in "
                f"{len(where)} of {seeds} plays ({'; '.join(where[:3])})",
            )
        )
    idle = autoplay(Drill(scenario, roster, 0), make_policy("idle", scenario, 0))
    plays.append(idle)
    idle_reached = _reached(idle)
    free = [m for m, target in targets.items() if m in idle_reached and idle_reached[m] <= target]
    if targets and set(free) == set(targets):
        report.findings.append(Finding("error", "doing nothing (idle) meets every target: the drill cannot be lost"))
    elif free:
        detect_like = {"detected", "first_alert"}
        for mid in free:
            level = "warning" if mid not in detect_like else "info"
            if level == "warning":
                report.findings.append(Finding("warning", f"milestone '{mid}' is met on time even when nobody acts"))
    for seed in range(2):
        plays.append(autoplay(Drill(scenario, roster, seed), make_policy("random", scenario, seed)))
    fired = {r["inject"] for d in plays for r in d.records if r["type"] == "inject"}
    for inject in scenario.injects:
        if inject.id not in fired:
            report.findings.append(Finding("warning", f"inject '{inject.id}' never fired in {len(plays)} plays"))
    started = {r["clock"] for d in plays for r in d.records if r["type"] == "clock_started"}
    for clock in scenario.clocks:
        if clock.id not in started:
            report.findings.append(Finding("warning", f"clock '{clock.id}' never started in {len(plays)} plays"))
    taken = {r["action"] for d in plays for r in d.records if r["type"] == "action_started"}
    never = [a.id for a in scenario.actions if a.id not in taken]
    if never:
        report.findings.append(
            Finding("info", f"actions no policy took (distractors are fine here): {', '.join(never)}")
        )
    best = plays[0]
    report.summary.append(
        f"playbook: ended {best.end_reason} at {format_clock(best.now)}, "
        f"revenue lost {best.revenue_lost:,.0f}, penalties {best.penalty_points}"
    )
    report.summary.append(
        f"idle: ended {idle.end_reason} at {format_clock(idle.now)}, revenue lost {idle.revenue_lost:,.0f}, "
        f"milestones {', '.join(sorted(idle.milestones)) or 'none'}"
    )
    return report
