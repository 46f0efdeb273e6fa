"""Headless play: policies that choose actions, and ``autoplay`` that runs a drill as fast as the CPU allows.

- ``playbook``: the scenario's reference response (``playbook:`` steps), to the second;
- ``reference``: the playbook played by a realistic, competent team: every step starts a seeded
  random moment late (hesitation, handover, reading the screen: 0 to 3 minutes, most often 45 s).
  Par is this team's distribution;
- ``idle``: does nothing, the baseline a scenario must not pass;
- ``random``: every 30-120 sim seconds picks an available action with its own seeded generator;
- a FILE: a scripted response, a YAML or JSON list of ``{at, action, by?}`` (a past incident's real timeline).

A step is taken at its ``at`` or, if its requirements are not met yet, retried every
``RETRY`` sim seconds until it can be taken or the drill ends. A retry looks before it submits: the
refusal is journaled once, at the step's own time, not again every ten seconds (a report's timeline
would read as a wall of refusals, and the drill would write two records a retry).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import JournalWriter
from drillsim.simulator.model import PlaybookStep, Roster, Scenario

RETRY = 10.0
"""Sim seconds between retries of a step whose requirements are not met yet."""

POLICY_NAMES = ("playbook", "reference", "idle", "random")

REFERENCE_DELAY = (0.0, 45.0, 180.0)
"""The reference team's delay on each playbook step: (min, mode, max) seconds of a triangular draw."""


class PolicyError(ValueError):
    """A policy name or script that cannot be used."""


class Policy:
    """Chooses actions. ``next_time`` says when it wants to act next; ``act`` submits at that time."""

    name = "policy"

    def next_time(self, drill: Drill) -> float | None:
        return None

    def act(self, drill: Drill) -> None:
        return None


class IdlePolicy(Policy):
    name = "idle"


@dataclass
class ScriptedPolicy(Policy):
    """Takes each step at its time, as a reference team would.

    A step whose requirements are not met yet is retried every ``RETRY`` sim seconds (submitted once its
    requirements are met, ``Drill.why_not``; the first refusal is the one journaled); a step
    that is an option of an open decision answers that decision; an action that fails is
    taken again. A step whose action was already done (once-only) is dropped.
    """

    steps: Sequence[PlaybookStep]
    name: str = "script"
    _due: list[tuple[float, int, str, PlaybookStep]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self._due = sorted((step.at, i, "take", step) for i, step in enumerate(self.steps))  # a heap

    def next_time(self, drill: Drill) -> float | None:
        return self._due[0][0] if self._due else None

    def act(self, drill: Drill) -> None:
        now = drill.now
        due = self._due
        ready = []
        while due and due[0][0] <= now:  # in time order, then playbook order
            ready.append(heapq.heappop(due))
        for _, index, what, step in ready:
            if what == "watch":
                if drill.in_progress(step.action):
                    heapq.heappush(due, (_next_look(drill, step.action, now), index, "watch", step))
                elif step.action not in drill.done_actions:  # it failed: take it again
                    self._take(drill, now, index, step)
            else:
                self._take(drill, now, index, step, retry=what == "retry")

    def _take(self, drill: Drill, now: float, index: int, step: PlaybookStep, retry: bool = False) -> None:
        deciding = drill.decisions and [
            d for d in drill.decisions.values() if d.inject.decision and step.action in d.inject.decision.options
        ]
        if deciding:  # a step that is an option of an open decision answers it
            result = drill.answer(deciding[0].inject.id, step.action)
        else:
            if retry and (why := drill.why_not(step.action, step.by)) is not None and why[0] == "requires":
                heapq.heappush(self._due, (now + RETRY, index, "retry", step))  # still waiting: look again later
                return
            result = drill.submit(step.action, step.by, source="policy", took=step.took)
        if result.ok:
            heapq.heappush(self._due, (now + RETRY, index, "watch", step))
        elif result.code == "requires":
            heapq.heappush(self._due, (now + RETRY, index, "retry", step))


def _next_look(drill: Drill, action_id: str, now: float) -> float:
    """The next of the looks every ``RETRY`` seconds at an action in progress that can find it over.

    While it runs, it cannot be over before its finish time, so the looks before that are skipped (a look
    at ``p`` sees what happened before ``p``); while it waits for its member, every look counts."""
    look = now + RETRY
    finish = drill.running_until(action_id)
    if finish is not None:
        while look <= finish:
            look += RETRY
    return look


@dataclass
class RandomPolicy(Policy):
    """Picks an available action every 30-120 sim seconds and answers open decisions at random."""

    seed: int
    name: str = "random"
    _rng: random.Random = field(init=False)
    _next: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(f"random-policy-{self.seed}")
        self._next = self._rng.uniform(30, 120)

    def next_time(self, drill: Drill) -> float | None:
        return self._next

    def act(self, drill: Drill) -> None:
        view = drill.view(feed_limit=0)
        if view.decisions and self._rng.random() < 0.5:
            decision = view.decisions[0]
            drill.answer(decision.inject, self._rng.choice(decision.options).action)
        else:
            choices = [a.id for a in drill.availability() if a.available]
            if choices:
                drill.submit(self._rng.choice(choices), source="policy")
        self._next = drill.now + self._rng.uniform(30, 120)


def reference_policy(scenario: Scenario, seed: int) -> ScriptedPolicy:
    """The playbook with each step a seeded random moment late: a competent team, not a perfect one."""
    rng = random.Random(f"reference-policy-{seed}")
    low, mode, high = REFERENCE_DELAY
    steps = [
        step.model_copy(update={"at": round(step.at + rng.triangular(low, high, mode), 3)})
        for step in scenario.playbook
    ]
    return ScriptedPolicy(steps, name="reference")


def load_script(path: Path) -> list[PlaybookStep]:
    """Read a scripted response: a YAML or JSON list of ``{at, action, by?}``."""
    from drillsim.simulator.loading import errors, parse_yaml, read_text

    text, problems = read_text(path)
    data = None
    if text is not None:
        data, _, problems = parse_yaml(text, str(path))
    if errors(problems):
        raise PolicyError("\n".join(str(p) for p in errors(problems)))
    if isinstance(data, dict) and "steps" in data:
        data = data["steps"]
    if not isinstance(data, list):
        raise PolicyError(f"{path}: a script is a list of steps like '- {{at: 2m, action: rollback-model}}'")
    steps = []
    for number, item in enumerate(data):
        try:
            steps.append(PlaybookStep.model_validate(item))
        except ValueError as exc:
            first = str(exc).splitlines()
            raise PolicyError(f"{path}: step {number + 1}: {first[-1].strip() if first else exc}") from None
    return steps


def make_policy(spec: str, scenario: Scenario, seed: int) -> Policy:
    """``playbook``, ``reference``, ``idle``, ``random`` or a path to a script file."""
    if spec == "playbook":
        return ScriptedPolicy(scenario.playbook, name="playbook")
    if spec == "reference":
        return reference_policy(scenario, seed)
    if spec == "idle":
        return IdlePolicy()
    if spec == "random":
        return RandomPolicy(seed)
    path = Path(spec)
    if not path.exists():
        raise PolicyError(
            f"unknown policy '{spec}': use playbook, reference, idle, random or the path of a script file"
        )
    steps = load_script(path)
    unknown = [s.action for s in steps if s.action not in {a.id for a in scenario.actions}]
    if unknown:
        raise PolicyError(f"{path}: no action {', '.join(repr(u) for u in unknown)} in scenario '{scenario.id}'")
    return ScriptedPolicy(steps, name=f"script:{path.name}")


def autoplay(drill: Drill, policy: Policy) -> Drill:
    """Run the drill to its end with a policy choosing actions, as fast as the CPU allows."""
    end = drill.scenario.duration
    while not drill.ended:
        wake = policy.next_time(drill)
        if wake is None or wake > end:
            drill.advance_to(end + 1.0)
            break
        drill.advance_to(wake)
        if drill.ended:
            break
        policy.act(drill)
    if not drill.ended:  # pragma: no cover - the time-limit process always ends it
        drill.end("time_limit")
    return drill


def play(
    scenario: Scenario,
    roster: Roster,
    seed: int = 0,
    policy: str = "playbook",
    journal: JournalWriter | None = None,
    **kwargs: Any,
) -> Drill:
    """Build a drill and autoplay it with a named policy; returns the ended drill."""
    chosen = make_policy(policy, scenario, seed)
    drill = Drill(scenario, roster, seed, policy=chosen.name, journal=journal, **kwargs)
    return autoplay(drill, chosen)
