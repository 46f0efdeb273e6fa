"""The journal's records, one ``TypedDict`` per type: the contract between the engine and everything after it.

``journal.jsonl`` holds one JSON object a line (docs/architecture.md, "The journal"). Each object is
one of the records below: the engine writes them as plain dicts (the hot path builds no objects),
and every reader matches on ``type`` (``match record: case {"type": "milestone"}: ...``; on the hot
path ``match record["type"]: case "milestone": ...``), so the types here are the one place a field's
name and meaning are written down (tests/engine/test_records.py holds the engine to them).

Every record has ``seq`` (0, 1, 2, ... with no gaps), ``t`` (sim seconds) and ``type``; inputs carry
``input: true`` and a ``wall`` clock time (``drill_started`` has ``wall`` too).
"""

from typing import Any, Literal, NotRequired, TypedDict

RATING = Literal["P", "S", "M", "U"]


class _Record(TypedDict):
    seq: int
    t: float
    """Sim seconds when it happened."""


class _Input(_Record):
    input: Literal[True]
    wall: NotRequired[str]
    """ISO-8601 wall-clock time (ignored when a replay is compared)."""


class DrillStarted(_Record):
    """Always first: everything needed to rebuild the drill."""

    type: Literal["drill_started"]
    format: NotRequired[int]
    """The journal format (3; 2 wrote a block of samples before every record); absent in format 1."""
    version: str
    seed: int
    speed: float
    team: str | None
    label: str | None
    scenario: dict[str, Any]
    """The scenario's full dump."""
    scenario_hash: str
    roster: dict[str, Any]
    roster_hash: str
    participants: dict[str, str]
    """Member name -> the participant playing them."""
    policy: str | None
    """The autoplay policy; None when people play."""
    wall: str


class ImpactStarted(_Record):
    """The first fault with ``impact: true`` started: ground-truth impact start."""

    type: Literal["impact_started"]
    fault: str


class FaultStarted(_Record):
    type: Literal["fault_started"]
    fault: str
    impact: bool


class FaultStopped(_Record):
    """An action stopped a fault (the label names the root cause: the controller's)."""

    type: Literal["fault_stopped"]
    fault: str
    fault_label: NotRequired[str]
    action: str
    member: str


MetricSamples = TypedDict(
    "MetricSamples",
    {
        "seq": int,
        "t": float,
        "type": Literal["metric_samples"],
        "from": float,  # time of the first sample
        "every": float,  # 5.0
        "values": dict[str, list[float]],  # the samples by column, at from, from + every, ...
        "revenue_lost": float,  # cumulative up to t
        "outside_slo": dict[str, float],  # metric -> cumulative seconds
        "range": dict[str, list[float]],  # metric -> [lowest, highest] sample so far
    },
)
"""Formats 2 and 3: the samples since the previous block, written just before a real record (format 3: once
they are ``BLOCK_MIN`` or more, and at the end; format 2: before every real record with samples before it)."""


class MetricSample(_Record):
    """Format 1 only: one record every 5 sim seconds from t=0."""

    type: Literal["metric_sample"]
    values: dict[str, float]
    revenue_lost: float
    outside_slo: dict[str, float]


class MetricBreach(_Record):
    """The true value left its SLO (format 2: at the exact moment; format 1: at the next sample)."""

    type: Literal["metric_breach"]
    metric: str
    value: float
    bound: Literal["min", "max"]


class MetricRestored(_Record):
    type: Literal["metric_restored"]
    metric: str
    value: float


class DecisionOption(TypedDict):
    action: str
    label: str


class DecisionAsked(TypedDict):
    prompt: str
    options: list[DecisionOption]
    deadline_at: float


Inject = TypedDict(
    "Inject",
    {
        "seq": int,
        "t": float,
        "type": Literal["inject"],
        "inject": str,
        "channel": str,
        "from": str | None,
        "to": str,
        "text": str,
        "discussion": list[str],
        "alert": bool,
        "red_herring": bool,
        "decision": DecisionAsked | None,
    },
)
"""An inject arrived."""

FacilitatorInject = TypedDict(
    "FacilitatorInject",
    {
        "seq": int,
        "t": float,
        "type": Literal["facilitator_inject"],
        "input": Literal[True],
        "wall": NotRequired[str],
        "text": str,
        "to": str,
        "channel": str,
        "from": str,
    },
)
"""Input: an ad-hoc inject."""


class Page(_Record):
    """A member was paged (by an alert to their role, or to do an action)."""

    type: Literal["page"]
    member: str
    reason: str
    available_at: float


class MemberAvailable(_Record):
    type: Literal["member_available"]
    member: str


class ActionSubmitted(_Record):
    """Input (a person's or a policy's; ``source`` says which)."""

    type: Literal["action_submitted"]
    input: NotRequired[Literal[True]]
    wall: NotRequired[str]
    action: str
    by: str | None
    source: Literal["participant", "policy", "decision"]
    took: NotRequired[float]
    """A duration the submission fixed (a scripted replay of a real timeline)."""


class ActionRejected(_Record):
    type: Literal["action_rejected"]
    action: str
    reason: str


class ActionQueued(_Record):
    """The chosen member is busy or not yet responding."""

    type: Literal["action_queued"]
    action: str
    member: str
    ahead: int


class ActionStarted(_Record):
    type: Literal["action_started"]
    action: str
    member: str
    role_match: bool
    duration: float
    waited: float
    """Seconds since submission."""


class ActionFinished(_Record):
    type: Literal["action_finished"]
    action: str
    member: str
    success: bool
    text: str


class ActionCancelled(_Record):
    """The drill ended while the action was queued or running, or (``forbidden_by``) an action that
    forbids it succeeded while it waited."""

    type: Literal["action_cancelled"]
    action: str
    member: str
    forbidden_by: NotRequired[list[str]]


class Milestone(_Record):
    """First time only."""

    type: Literal["milestone"]
    milestone: str
    by: str
    """``action:ID`` or ``condition``."""


class Penalty(_Record):
    type: Literal["penalty"]
    points: int
    reason: str
    source: str
    """``action:ID`` or ``decision:INJECT``."""


class ClockStarted(_Record):
    type: Literal["clock_started"]
    clock: str
    regime: str
    due_at: float


class ClockMet(_Record):
    type: Literal["clock_met"]
    clock: str
    regime: str


class ClockMissed(_Record):
    type: Literal["clock_missed"]
    clock: str
    regime: str


class ClockRecorded(_Record):
    """The team recorded a clock that started on evidence (``recorded_by``)."""

    type: Literal["clock_recorded"]
    clock: str
    regime: str
    action: str
    delay: float
    """Drill seconds since the clock started."""


class DecisionAnswered(_Input):
    """Input; the chosen action is then submitted with source ``decision``."""

    type: Literal["decision_answered"]
    inject: str
    action: str


class DecisionResolved(_Record):
    """What the team did answered the decision (one of its options done or underway)."""

    type: Literal["decision_resolved"]
    inject: str
    action: str
    done: bool
    text: str


class DecisionTimedOut(_Record):
    """The deadline passed unanswered; the consequence was applied."""

    type: Literal["decision_timed_out"]
    inject: str
    text: str


class Note(_Input):
    """Input: a facilitator's or scribe's note."""

    type: Literal["note"]
    text: str
    author: str


class Paused(_Input):
    type: Literal["paused"]


class Resumed(_Input):
    type: Literal["resumed"]


class SpeedChanged(_Input):
    type: Literal["speed_changed"]
    speed: float


class DrillEnded(_Record):
    """The last record of the drill itself (an input when the facilitator ended it)."""

    type: Literal["drill_ended"]
    input: NotRequired[Literal[True]]
    wall: NotRequired[str]
    reason: Literal["time_limit", "resolved", "facilitator"]
    summary: dict[str, float]
    """Milestones reached: their times."""


class RatingOverride(_Input):
    """Debrief input after ``drill_ended``."""

    type: Literal["rating_override"]
    objective: str
    rating: RATING
    reason: str


class Hotwash(_Input):
    """Debrief input after ``drill_ended``; ``replaces`` (an earlier entry's seq) edits it, with ``removed`` takes it away."""

    type: Literal["hotwash"]
    kind: Literal["strength", "improvement"]
    text: str
    replaces: NotRequired[int]
    removed: NotRequired[bool]


class Observation(_Input):
    """Input during or after the drill: an evaluator's observation; never in the feed."""

    type: Literal["observation"]
    objective: str
    task: str | None
    """A critical task: ``action:ID``, ``milestone:ID``, ``communication``, ``clock:ID``, or None."""
    text: str
    rating: RATING | None
    author: str


class Feedback(_Input):
    """Input after ``drill_ended``: one participant's feedback form."""

    type: Literal["feedback"]
    participant: str
    ratings: dict[str, int]
    answers: dict[str, str]


Record = (
    DrillStarted
    | ImpactStarted
    | FaultStarted
    | FaultStopped
    | MetricSamples
    | MetricSample
    | MetricBreach
    | MetricRestored
    | Inject
    | FacilitatorInject
    | Page
    | MemberAvailable
    | ActionSubmitted
    | ActionRejected
    | ActionQueued
    | ActionStarted
    | ActionFinished
    | ActionCancelled
    | Milestone
    | Penalty
    | ClockStarted
    | ClockMet
    | ClockMissed
    | ClockRecorded
    | DecisionAnswered
    | DecisionResolved
    | DecisionTimedOut
    | Note
    | Paused
    | Resumed
    | SpeedChanged
    | DrillEnded
    | RatingOverride
    | Hotwash
    | Observation
    | Feedback
)
"""Any journal record."""


def current_hotwash(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hotwash entries as they stand: an entry with ``replaces`` takes the place of that one (an
    edit), one that is also ``removed`` takes it away; the journal itself only grows."""
    entries: list[dict[str, Any]] = []
    for record in records:
        match record:
            case {"type": "hotwash", "replaces": replaces} if replaces is not None:
                at = next((i for i, entry in enumerate(entries) if entry.get("seq") == replaces), None)
                if at is not None and record.get("removed"):
                    entries.pop(at)
                elif at is not None:
                    entries[at] = record
            case {"type": "hotwash"}:
                entries.append(record)
    return entries
