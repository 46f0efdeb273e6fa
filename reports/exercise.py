"""The exercise around a drill: the AAR/IP overview settings and the evaluation guide's critical tasks.

``ExerciseInfo`` holds what a planner sets for the after-action report and the handbooks
(exercise name and type, scope, mission area, threat, sponsor, participating
organisations, point of contact, the improvement plan's owners and dates). Every field is
optional and has a default drawn from the scenario, the roster and the drill; a planner
sets them in an ``exercise.yaml`` (``drillsim report RUN --exercise FILE`` copies one into
the run folder, ``drillsim handbook --exercise FILE`` reads one). docs/facilitator.md lists
the keys.

``critical_tasks(scenario)`` derives the exercise evaluation guide (EEG) from the scenario:
for each objective, the tasks that meet its measures (the actions that mark a measured
milestone, the metric condition that marks one, the stakeholder updates, the regulatory
notification) with the target each is held to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from drillsim.reports.lessons import lower_first
from drillsim.reports.scoring import CANONICAL_MILESTONES
from drillsim.simulator.durations import format_duration
from drillsim.simulator.model import Scenario
from drillsim.simulator.roles import role_title
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

EXERCISE_FILE = "exercise.yaml"
"""The run folder's overview settings (read by every report rewrite)."""

POETE = ("Planning", "Organization", "Equipment", "Training", "Exercises")
"""HSEEP's capability elements."""

Element = Literal["Planning", "Organization", "Equipment", "Training", "Exercises"]
Short = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Long = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]


class Owner(BaseModel):
    """Who answers for a role's corrective actions in the improvement plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: Short | None = None
    """Primary responsible organisation (default: the team)."""
    contact: Short | None = None
    """Organisation point of contact (default: the roster member holding the role)."""


class ExerciseInfo(BaseModel):
    """The AAR/IP overview and improvement-plan settings; every key is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Short | None = None
    """Exercise name (default: the scenario title and the drill label)."""
    type: Short | None = None
    """Exercise type (default: a timed tabletop exercise, HSEEP discussion-based with real-time pressure)."""
    scope: Long | None = None
    """Scope: duration, location, limits on play (default: built from the drill)."""
    location: Short | None = None
    """Where it was held."""
    mission_areas: list[Short] = []
    """HSEEP mission areas (default: Response)."""
    threat: Short | None = None
    """Threat or hazard (default: the scenario's category and severity)."""
    sponsor: Short | None = None
    """Sponsoring organisation (default: the team)."""
    participating_organisations: list[Short] = []
    """Organisations that took part (default: the team)."""
    point_of_contact: Short | None = None
    """Exercise point of contact (default: the crisis lead on the roster)."""
    ip_start_days: Annotated[int, Field(ge=0, le=3650)] = 1
    """Corrective actions start this many days after the drill (HSEEP: day 1 is the day after)."""
    ip_completion_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    """Completion this many days after the drill for every action (default: each rule's own due period)."""
    owners: dict[Short, Owner] = {}
    """Per role id: the responsible organisation and point of contact."""
    elements: dict[Short, Element] = {}
    """Per finding rule (``scenario:1``, ``slow-detection``): the capability element, overriding the default."""


class ExerciseError(ValueError):
    """An exercise file that cannot be read: one line naming the file and what is wrong."""


def load_exercise(path: str | Path) -> ExerciseInfo:
    """Read an ``exercise.yaml``; raises ``ExerciseError`` with a one-line message."""
    import yaml

    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ExerciseError(f"{file}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ExerciseError(f"{file}: not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ExerciseError(f"{file}{where}: not valid YAML ({problem})") from None
    if data is None:
        return ExerciseInfo()
    if not isinstance(data, dict):
        raise ExerciseError(
            f"{file}: expected a mapping of exercise keys (name, sponsor, ...), found {type(data).__name__}"
        )
    try:
        return ExerciseInfo.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        keys = ", ".join(ExerciseInfo.model_fields)
        hint = f"; known keys: {keys}" if first["type"] == "extra_forbidden" else ""
        raise ExerciseError(f"{file}: {where}: {first['msg']}{hint}") from None


def run_exercise(run_dir: str | Path | None, warnings: list[str] | None = None) -> ExerciseInfo:
    """The run folder's ``exercise.yaml`` (defaults when there is none; a bad one is a warning, not a lost report)."""
    if run_dir is None:
        return ExerciseInfo()
    file = Path(run_dir) / EXERCISE_FILE
    if not file.exists():
        return ExerciseInfo()
    try:
        return load_exercise(file)
    except ExerciseError as exc:
        if warnings is not None:
            warnings.append(f"exercise settings ignored: {exc}")
        return ExerciseInfo()


# ---------------------------------------------------------------------------- the EEG


@dataclass(frozen=True)
class CriticalTask:
    """One task an evaluator watches for under an objective."""

    id: str
    """``action:ID``, ``milestone:ID``, ``communication`` or ``clock:ID``: stable, journaled with observations."""
    text: str
    target: str
    observe: str
    """What the evaluator looks for."""


def critical_tasks(scenario: Scenario) -> dict[str, list[CriticalTask]]:
    """Per objective id, its critical tasks, from its measures (milestones, clocks, communication)."""
    milestones = scenario.scoring.milestones
    measured = {m: True for o in scenario.objectives for m in o.measures}
    out: dict[str, list[CriticalTask]] = {}
    for objective in scenario.objectives:
        tasks: list[CriticalTask] = []
        seen: set[str] = set()

        def add(task: CriticalTask, _seen: set[str] = seen, _tasks: list[CriticalTask] = tasks) -> None:
            if task.id not in _seen:
                _seen.add(task.id)
                _tasks.append(task)

        for measure in objective.measures:
            if measure == "communication":
                comm = scenario.scoring.communication
                target = (
                    f"first update within {format_duration(comm.first_update)} of impact, "
                    f"then at least every {format_duration(comm.cadence)}"
                    if comm is not None
                    else objective.target
                )
                add(
                    CriticalTask(
                        "communication",
                        "Keep stakeholders informed with factual updates",
                        target,
                        "who sends the first update and when; whether each update states facts only and the next update time",
                    )
                )
                continue
            clock = next((c for c in scenario.clocks if c.id == measure), None)
            if clock is not None:
                add(
                    CriticalTask(
                        f"clock:{clock.id}",
                        f"Assess and notify under {clock.regime}",
                        f"notify within {format_duration(clock.deadline)} of the clock starting",
                        "whether the team recognises the obligation, who decides it and who files the notification",
                    )
                )
                continue
            spec = milestones.get(measure)
            label = (spec.label if spec and spec.label else measure.replace("-", " ").capitalize()) if spec else measure
            target = f"within {format_duration(spec.target)} of impact" if spec and spec.target is not None else "—"
            marking = [a for a in scenario.actions if measure in a.marks and a.penalty is None]
            for action in marking:
                add(
                    CriticalTask(
                        f"action:{action.id}",
                        action.label,
                        f"{label} {target}" if target != "—" else label,
                        _what_to_observe(scenario, action.role),
                    )
                )
            if (spec is not None and spec.when is not None) or not marking:
                add(
                    CriticalTask(
                        f"milestone:{measure}",
                        f"Reach: {label}",
                        target,
                        "what the team watches to know it has got there, and whether it says so",
                    )
                )
        # a timed milestone no objective measures belongs to the objective that names its verb ("Identify the root cause")
        for milestone, spec in milestones.items():
            verb = CANONICAL_MILESTONES.get(milestone)
            if (
                verb
                and spec.target is not None
                and not measured.get(milestone)
                and re.search(rf"\b{verb}", objective.text, re.I)
            ):
                for action in (a for a in scenario.actions if milestone in a.marks and a.penalty is None):
                    add(
                        CriticalTask(
                            f"action:{action.id}",
                            action.label,
                            f"{spec.label or milestone} within {format_duration(spec.target)} of impact",
                            _what_to_observe(scenario, action.role),
                        )
                    )
        out[objective.id] = tasks
    return out


def _what_to_observe(scenario: Scenario, role: str) -> str:
    """An action's critical task, for the evaluator: "when the ML engineer starts it, ..." (the role's short
    title in a sentence; its id, "ml engineer", lost the capitals)."""
    title = lower_first(role_title(role, scenario.roles).split(" / ", 1)[0])
    return f"when the {title} starts it, who decides it and on what evidence"


def task_label(scenario: Scenario, objective_id: str | None, task_id: str | None) -> str:
    """The critical task's text for an observation (its id when the scenario no longer has it)."""
    if not task_id:
        return "—"
    for task in critical_tasks(scenario).get(str(objective_id), []):
        if task.id == task_id:
            return task.text
    return task_id


def plain(data: Any) -> Any:
    """A model or dataclass tree as plain JSON data."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    return data


# ---------------------------------------------------------------------------- the pre-brief

GROUND_RULES = (
    "No fault: the drill tests our plans, tools and habits, not people. Nothing said here goes into anyone's review.",
    "The clock is real: sim time runs while you talk. The facilitator pauses for discussion questions.",
    "Act as you would on a real incident, within your role. Say out loud what you do and who you tell.",
    "Everything is simulated: the systems, metrics, customers, executives, press and regulators. "
    "Nothing you do here changes a real system or sends a real message.",
    "Ask the controller (the facilitator) when something is unclear: what you can see, whether a tool exists, "
    "what a simulated person would say. The controller answers as the world would.",
    "Decisions have deadlines: an unanswered question gets its consequence.",
    "Evaluators watch and take notes; they do not play. Talk to the team, not to them.",
    "Afterwards comes the hotwash (what went well, what to improve) and a short feedback form.",
)
"""The pre-brief's ground rules: shown on the briefing (acknowledged before the start) and in the Situation Manual."""
