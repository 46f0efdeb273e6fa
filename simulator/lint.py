"""The play check: is a scenario winnable, and does every part of it ever come into play?

A scenario passes when its playbook reaches every milestone that has a target within that
target (in every seed played) and doing nothing (the idle policy) does not. It also reports
injects that never fired, actions whose requirements nothing can meet, milestones nothing
marks and clocks that never started, in any of the plays.
"""

from __future__ import annotations

import itertools
import re
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
    origin = drill.impact_started_at or 0.0
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


# --------------------------------------------------------------------------- authoring pitfalls

_STOP = frozenset(
    """a an and are as at be been but by for from has have in into is it its of on one or our that the
    their there this to was were when where which while who will with after before about above below
    every each all any not no new old same now then than them they makes make made goes going gets uses
    used using two three four five six ten some more most less only also just still very""".split()  # noqa: SIM905
)
"""Words too common to give a root cause away."""


def _words(text: str) -> list[str]:
    """The significant words of a text, in order: lower case, stop words dropped (``int64``, ``schema``)."""
    return [w for w in re.findall(r"[a-z0-9][a-z0-9_+.-]*[a-z0-9]|[a-z0-9]", text.lower()) if w not in _STOP]


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(words))


def names_root_cause(text: str, label: str) -> tuple[str, str] | None:
    """Two significant words of a fault's label that a text repeats side by side (``schema change``), or None.

    The heuristic behind the play check's "names the root cause" warning: a label is the root cause in a
    few words, so a text quoting two of its words together most likely gives it away."""
    found = _pairs(_words(text)) & _pairs(_words(label))
    return min(found) if found else None


def _found_at(scenario: Scenario, drill: Drill, fault_id: str) -> float | None:
    """When the team has found a fault: it was stopped, or the root cause was identified."""
    times = [drill.fault_stopped.get(fault_id), drill.milestones.get("identified")]
    known = [t for t in times if t is not None]
    return min(known) if known else None


def pitfall_findings(scenario: Scenario, plays: list[Drill], idle: Drill) -> list[Finding]:
    """Warnings for the authoring pitfalls docs/authoring.md lists that the plays can show."""
    out: list[Finding] = []
    # 1. a metric outside its SLO at t=0: detection is instant and cannot be trained
    for record in idle.records:
        if record["type"] == "metric_breach" and record["t"] == 0:
            out.append(
                Finding(
                    "warning",
                    f"metric '{record['metric']}' is outside its SLO at t=0 (value {record['value']:g}): detection "
                    "is instant; start from the baseline and ramp, so the signal has to be noticed",
                )
            )
    # 2. a don't available before any signal
    first_signal = min((r["t"] for r in idle.records if r["type"] == "inject"), default=None)
    for action in scenario.actions:
        if action.penalty is not None and not action.requires and (first_signal is None or first_signal > 0):
            options = {o for i in scenario.injects if i.decision for o in i.decision.options}
            if action.id in options:
                continue  # offered by a decision: it is a choice once that inject arrives
            when = (
                "no inject ever arrives"
                if first_signal is None
                else f"the first inject is at {format_clock(first_signal)}"
            )
            out.append(
                Finding(
                    "warning",
                    f"don't '{action.id}' can be taken before any signal ({when}): give it 'requires' "
                    "(a milestone such as detected, or an action)",
                )
            )
    # 3. a decision that can become moot: every option already done (once only) or ruled out when it opens
    forbidden_by: dict[str, list[str]] = {}
    for action in scenario.actions:
        for target in action.forbids:
            forbidden_by.setdefault(target, []).append(action.id)
    moot: dict[str, str] = {}
    for drill in plays:
        done: dict[str, float] = {}
        for record in drill.records:
            if record["type"] == "action_finished" and record["success"]:
                done.setdefault(record["action"], record["t"])
            elif record["type"] == "inject" and record.get("decision") and record["inject"] not in moot:
                inject = next(i for i in scenario.injects if i.id == record["inject"])
                assert inject.decision is not None
                gone = []
                for option in inject.decision.options:
                    spec = scenario.action(option)
                    if (option in done and not spec.repeatable) or any(f in done for f in forbidden_by.get(option, ())):
                        gone.append(option)
                if len(gone) == len(inject.decision.options):
                    moot[inject.id] = (
                        f"at {format_clock(record['t'])} every option ({', '.join(gone)}) was already done or ruled out"
                    )
    for inject_id, why in moot.items():
        out.append(
            Finding(
                "warning",
                f"decision '{inject_id}' can become moot ({why}): make an option repeatable, or deliver the "
                "inject only while it matters (when: {action: X, not_by: T})",
            )
        )
    # 4. a clock that can never be missed
    for clock in scenario.clocks:
        span = scenario.scaled(clock.deadline)
        starts = [d.clocks[clock.id].started_at for d in plays if d.clocks[clock.id].started_at is not None]
        earliest = min((t for t in starts if t is not None), default=0.0)
        if earliest + span >= scenario.duration:
            scale = f" at time_scale {scenario.time_scale:g}" if scenario.time_scale != 1 else ""
            out.append(
                Finding(
                    "warning",
                    f"clock '{clock.id}' can never be missed: its {format_duration(clock.deadline)} deadline is "
                    f"{format_duration(span)} of drill time{scale} and it starts at {format_clock(earliest)} at the "
                    f"earliest in a {format_duration(scenario.duration)} drill; set time_scale "
                    f"(real time per drill time) so the deadline falls within the drill",
                )
            )
    # 5. text that names the root cause before it is found
    if plays:
        drill = plays[0]
        briefing = scenario.briefing or scenario.summary
        for fault in scenario.faults:
            if not fault.impact:
                continue
            for where, text in (("title", scenario.title), ("briefing", briefing)):
                pair = names_root_cause(text, fault.label)
                if pair:
                    out.append(
                        Finding(
                            "warning",
                            f"the {where} names fault '{fault.id}' ('{' '.join(pair)}' from its label) before anyone "
                            "investigates: describe symptoms, not the cause",
                        )
                    )
            started = drill.fault_started.get(fault.id)
            if started is None:
                continue
            found = _found_at(scenario, drill, fault.id)
            for record in drill.records:
                if record["type"] != "inject" or record["t"] < started:
                    continue
                if found is not None and record["t"] >= found:
                    continue
                pair = names_root_cause(record["text"], fault.label)
                if pair:
                    out.append(
                        Finding(
                            "warning",
                            f"inject '{record['inject']}' names fault '{fault.id}' ('{' '.join(pair)}' from its "
                            f"label) at {format_clock(record['t'])}, before the team has found it: describe symptoms, "
                            "and let an investigating action's outcome reveal the cause",
                        )
                    )
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
    report.findings.extend(pitfall_findings(scenario, plays, idle))
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
