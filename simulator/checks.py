"""Cross-reference checks of a scenario that validated against its model.

The models check each value on its own; here we check that the parts of a scenario
fit together: every metric, action, fault, milestone, clock and inject a scenario names
exists, ids are unique, times fall within the drill, and (as warnings) the roster
can play the scenario. Problems are located with the same :class:`SourceMap` as the
schema errors, so they read ``file:line:col: where: message``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from drillsim.simulator.durations import format_duration
from drillsim.simulator.model import (
    ActionCondition,
    ClockCondition,
    Condition,
    DecisionCondition,
    Effect,
    MetricCondition,
    MilestoneCondition,
    Roster,
    Scenario,
)
from drillsim.simulator.problems import Level, Problem, Problems, SourceMap, did_you_mean
from drillsim.simulator.roles import ROLES

Path = tuple[str | int, ...]

COMMUNICATION = "communication"
"""The word ``objectives[].measures`` uses for the communication targets."""


def _unknown(kind: str, name: str, known: Iterable[str]) -> str:
    """``unknown action 'x' (did you mean 'y'?)``, else the choices when there are few."""
    known = sorted(set(known))
    hint = did_you_mean(name, known)
    message = f"unknown {kind} '{name}'"
    if hint:
        return f"{message} (did you mean '{hint}'?)"
    if not known:
        return f"{message}: this scenario declares none"
    if len(known) <= 12:
        return f"{message}; choose from: {', '.join(known)}"
    return message


def conditions(scenario: Scenario) -> Iterator[tuple[Path, Condition]]:
    """Every condition in a scenario with its tree path."""
    for i, fault in enumerate(scenario.faults):
        if fault.when is not None:
            yield ("faults", i, "when"), fault.when
    for i, inject in enumerate(scenario.injects):
        if inject.when is not None:
            yield ("injects", i, "when"), inject.when
    for name, spec in scenario.scoring.milestones.items():
        if spec.when is not None:
            yield ("scoring", "milestones", name, "when"), spec.when
    for i, lesson in enumerate(scenario.lessons):
        yield ("lessons", i, "when"), lesson.when


def effects(scenario: Scenario) -> Iterator[tuple[Path, Effect]]:
    """Every metric effect in a scenario with its tree path."""
    for i, fault in enumerate(scenario.faults):
        for j, effect in enumerate(fault.effects):
            yield ("faults", i, "effects", j), effect
    for i, action in enumerate(scenario.actions):
        for j, effect in enumerate(action.effects):
            yield ("actions", i, "effects", j), effect
    for i, inject in enumerate(scenario.injects):
        if inject.decision is not None and inject.decision.on_timeout is not None:
            for j, effect in enumerate(inject.decision.on_timeout.effects):
                yield ("injects", i, "decision", "on_timeout", "effects", j), effect


def check_scenario(scenario: Scenario, *, source: SourceMap | None = None, path: str = "") -> list[Problem]:
    """Every cross-reference problem of a scenario (errors, and warnings for the doubtful)."""
    out = Problems(path, source)
    metrics = set(scenario.metrics)
    actions = [a.id for a in scenario.actions]
    faults = [f.id for f in scenario.faults]
    injects = [i.id for i in scenario.injects]
    clocks = [c.id for c in scenario.clocks]
    milestones = set(scenario.scoring.milestones)
    action_set = set(actions)

    # ids unique across their kind
    for kind, key, ids in (
        ("action", "actions", actions),
        ("fault", "faults", faults),
        ("inject", "injects", injects),
        ("clock", "clocks", clocks),
        ("objective", "objectives", [o.id for o in scenario.objectives]),
    ):
        first: dict[str, int] = {}
        for index, ident in enumerate(ids):
            if ident in first:
                line = out.source.locate((key, first[ident], "id"))[0]
                also = f" (first at {key}[{first[ident]}]" + (f", line {line})" if line else ")")
                out.at((key, index, "id"), f"duplicate {kind} id '{ident}'{also}")
            else:
                first[ident] = index

    def need(kind: str, name: str, known: Iterable[str], where: Path) -> None:
        known = list(known)
        if name not in known:
            out.at(where, _unknown(kind, name, known))

    # metrics
    for where, effect in effects(scenario):
        need("metric", effect.metric, metrics, (*where, "metric"))
    follows = scenario.business.follows
    if isinstance(follows, str):
        need("metric", follows, metrics, ("business", "follows"))
    elif isinstance(follows, list):
        for i, metric in enumerate(follows):
            need("metric", metric, metrics, ("business", "follows", i))
    elif follows is not None:
        for metric in follows:
            need("metric", metric, metrics, ("business", "follows", metric))
    for i, harm in enumerate(scenario.harm):
        need("metric", harm.metric, metrics, ("harm", i, "metric"))

    # conditions
    for where, condition in conditions(scenario):
        match condition:
            case MetricCondition():
                need("metric", condition.metric, metrics, (*where, "metric"))
            case ActionCondition():
                need("action", condition.action, actions, (*where, "action"))
            case MilestoneCondition():
                need("milestone", condition.milestone, milestones, (*where, "milestone"))
            case ClockCondition():
                need("clock", condition.clock, clocks, (*where, "clock"))
            case DecisionCondition() if condition.decision not in injects:
                out.at((*where, "decision"), _unknown("inject", condition.decision, injects))
            case DecisionCondition():
                inject = next(i for i in scenario.injects if i.id == condition.decision)
                if inject.decision is None:
                    out.at((*where, "decision"), f"inject '{condition.decision}' opens no decision")
        if condition.deadline is not None and condition.deadline > scenario.duration:
            out.at((*where, "not_by"), _beyond("not_by", condition.deadline, scenario.duration))

    # actions
    for i, action in enumerate(scenario.actions):
        for j, name in enumerate(action.requires):
            if name not in milestones and name not in action_set:
                out.at(
                    ("actions", i, "requires", j),
                    _unknown("milestone or action", name, milestones | action_set),
                )
            elif name in milestones and name in action_set:
                out.at(
                    ("actions", i, "requires", j),
                    f"'{name}' is both a milestone and an action; rename one of them",
                    level="warning",
                )
            if name == action.id:
                out.at(("actions", i, "requires", j), "an action cannot require itself")
        for j, name in enumerate(action.stops):
            need("fault", name, faults, ("actions", i, "stops", j))
        for j, name in enumerate(action.marks):
            if name not in milestones:
                out.at(
                    ("actions", i, "marks", j),
                    _unknown("milestone", name, milestones) + " (declare it under scoring.milestones)",
                )

    # decisions
    for i, inject in enumerate(scenario.injects):
        if inject.decision is not None:
            for j, name in enumerate(inject.decision.options):
                need("action", name, actions, ("injects", i, "decision", "options", j))
            timeout = inject.decision.on_timeout
            if timeout is not None and timeout.action is not None:
                need("action", timeout.action, actions, ("injects", i, "decision", "on_timeout", "action"))

            for name in inject.decision.quality:
                if name not in inject.decision.options:
                    out.at(
                        ("injects", i, "decision", "quality", name),
                        f"'{name}' is not one of this decision's options: {', '.join(inject.decision.options)}",
                        key=True,
                    )

    # the objective a penalty belongs to
    objective_ids = {o.id for o in scenario.objectives}
    penalised: list[tuple[Path, Any]] = [(("actions", i, "penalty"), a.penalty) for i, a in enumerate(scenario.actions)]
    penalised += [
        (("injects", i, "decision", "on_timeout", "penalty"), inject.decision.on_timeout.penalty)
        for i, inject in enumerate(scenario.injects)
        if inject.decision is not None and inject.decision.on_timeout is not None
    ]
    for where, penalty in penalised:
        if penalty is not None and penalty.objective is not None:
            need("objective", penalty.objective, objective_ids, (*where, "objective"))

    # forbids
    for i, action in enumerate(scenario.actions):
        for j, name in enumerate(action.forbids):
            need("action", name, actions, ("actions", i, "forbids", j))
            if name == action.id:
                out.at(
                    ("actions", i, "forbids", j), "an action cannot forbid itself (it is done once unless repeatable)"
                )

    # roles: the catalogue's and the scenario's own
    _check_roles(scenario, out)

    # clocks
    for i, clock in enumerate(scenario.clocks):
        if clock.starts_on not in milestones:
            need("action or milestone", clock.starts_on, [*actions, *milestones], ("clocks", i, "starts_on"))
        if clock.recorded_by is not None:
            need("action", clock.recorded_by, actions, ("clocks", i, "recorded_by"))
        need("action", clock.satisfied_by, actions, ("clocks", i, "satisfied_by"))

    # playbook
    for i, step in enumerate(scenario.playbook):
        need("action", step.action, actions, ("playbook", i, "action"))
        if step.at >= scenario.duration:
            out.at(("playbook", i, "at"), _beyond("at", step.at, scenario.duration))

    # times
    timed: list[tuple[Path, float | None]] = [(("faults", i, "at"), f.at) for i, f in enumerate(scenario.faults)]
    timed += [(("injects", i, "at"), inject.at) for i, inject in enumerate(scenario.injects)]
    for where, at in timed:
        if at is not None and at >= scenario.duration:
            out.at(where, _beyond("at", at, scenario.duration))

    # scoring
    for j, name in enumerate(scenario.scoring.end_on):
        need("milestone", name, milestones, ("scoring", "end_on", j))
    marked = {m for a in scenario.actions for m in a.marks}
    for name, spec in scenario.scoring.milestones.items():
        if spec.when is None and name not in marked:
            out.at(
                ("scoring", "milestones", name),
                f"milestone '{name}' can never be reached: no action marks it and it has no 'when'",
                key=True,
                level="warning",
            )
        if spec.target is not None and spec.target >= scenario.duration:
            out.at(
                ("scoring", "milestones", name, "target"),
                f"milestone '{name}' has a target of {format_duration(spec.target)}, not shorter than the drill "
                f"({format_duration(scenario.duration)}): measured from impact, it can never be late; shorten it",
                level="warning",
            )

    # objectives
    for i, objective in enumerate(scenario.objectives):
        for j, name in enumerate(objective.measures):
            if name == COMMUNICATION:
                if scenario.scoring.communication is None:
                    out.at(
                        ("objectives", i, "measures", j),
                        "'communication' is measured but scoring.communication sets no targets",
                        level="warning",
                    )
            elif name not in milestones and name not in clocks:
                out.at(
                    ("objectives", i, "measures", j),
                    _unknown("milestone or clock", name, [*milestones, *clocks, COMMUNICATION]),
                )

    # default roster
    if scenario.default_roster is not None:
        from drillsim.simulator.library import builtin_roster_ids

        known = builtin_roster_ids()
        if scenario.default_roster not in known:
            out.at(
                ("default_roster",),
                _unknown("built-in roster", scenario.default_roster, known),
                level="warning",
            )
    return out.items


def _check_roles(scenario: Scenario, out: Problems) -> None:
    """Roles are checked while the file validates (simulator.model); here only a needless declaration."""
    for role in scenario.roles:
        if role in ROLES:
            out.at(
                ("roles", role),
                f"'{role}' is already in the catalogue; remove it from 'roles:'",
                key=True,
                level="warning",
            )


def _beyond(key: str, value: float, duration: float) -> str:
    return (
        f"{key} {format_duration(value)} is not within the drill "
        f"(duration {format_duration(duration)}); it would never happen"
    )


def check_roster(roster: Roster, *, source: SourceMap | None = None, path: str = "") -> list[Problem]:
    """Problems of a roster on its own: member names must be unique."""
    out = Problems(path, source)
    first: dict[str, int] = {}
    for index, member in enumerate(roster.members):
        if member.name in first:
            out.at(
                ("members", index, "name"),
                f"duplicate member name '{member.name}' (first at members[{first[member.name]}])",
            )
        else:
            first[member.name] = index
    return out.items


def check_roster_covers(
    scenario: Scenario,
    roster: Roster,
    *,
    source: SourceMap | None = None,
    path: str = "",
    level: Level = "warning",
) -> list[Problem]:
    """Warnings for roles the scenario needs that nobody on the roster holds.

    With the scenario's ``source`` map, each warning points at the first action needing the role.
    Playbook steps done ``by`` a member who is not on the roster are reported too.
    """
    out = Problems(path, source)
    held = {role for member in roster.members for role in member.roles}
    for role in scenario.roles_needed:
        if role not in held:
            index = next(i for i, a in enumerate(scenario.actions) if a.role == role)
            out.at(
                ("actions", index, "role"),
                f"no one on roster '{roster.id}' holds the role '{role}' (others can act, slower and less reliably)",
                level=level,
            )
    names = {member.name for member in roster.members}
    for i, step in enumerate(scenario.playbook):
        if step.by is not None and step.by not in names:
            hint = did_you_mean(step.by, names)
            out.at(
                ("playbook", i, "by"),
                f"'{step.by}' is not a member of roster '{roster.id}'"
                + (f" (did you mean '{hint}'?)" if hint else f"; members: {', '.join(sorted(names))}"),
                level=level,
            )
    return out.items


def problems_at(problems: Sequence[Problem], level: Level) -> list[Problem]:
    return [p for p in problems if p.level == level]
