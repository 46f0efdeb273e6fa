"""The scenario and roster formats as pydantic v2 models.

Trainers write these as YAML (see docs/authoring.md); every field's docstring becomes
its JSON Schema description, so editors can complete and explain fields. The models
check each value on its own; cross-references between parts of a scenario (an inject
naming an action, an action stopping a fault) are checked in ``simulator.checks``.

It is long because it is the whole format in one place, read top to bottom like docs/authoring.md;
the condition and effect kinds (a tagged union each) sit with the models that hold them.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, ClassVar, Literal, Protocol

from drillsim.simulator.durations import Duration, format_duration
from drillsim.simulator.problems import did_you_mean
from drillsim.simulator.roles import ROLE_IDS, known_roles
from drillsim.simulator.text import control_message
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    StringConstraints,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
"""A lower-case id: letters, digits, ``-`` and ``_``, starting with a letter or digit."""

DRILL_LIMIT = 4 * 86400.0
"""The longest drill (``duration``) accepted by default: 4 days of sim time."""
LONG_DRILL_LIMIT = 14 * 86400.0
"""The longest drill with ``long_drill: true``: 14 days of sim time."""

EPS = 1e-9
"""Seconds (and relative value) below which two times or a value and a threshold count as equal."""

MAX_NUMBER = 1e12
"""The largest magnitude of any number in a scenario or roster (a metric, a threshold, a factor):
well beyond any real metric, far enough from float overflow that the engine's arithmetic stays finite."""


def _role_checker(*extra: str) -> Any:
    """A validator: the value is a catalogue role, one of ``extra``, or a role the file declares under ``roles:``.

    The declared roles come from the validation context (``{"roles": {...}}``, which ``simulator.loading``
    passes); without a context (a journal's copy of a scenario read back) any id is accepted."""

    def check(value: str, info: ValidationInfo) -> str:
        context = info.context
        if not isinstance(context, dict) or "roles" not in context:
            return value
        declared = context["roles"] if isinstance(context["roles"], dict) else {}
        known = [*known_roles({str(k): "" for k in declared}), *extra]
        if value in known:
            return value
        hint = did_you_mean_role(value, known)
        what = (
            "a role in the catalogue"
            if not extra or extra == ("everyone",)
            else " or ".join([*(f"'{e}'" for e in extra), "a role"])
        )
        head = f"'{value}' is not {what}" + (f" (did you mean '{hint}'?)" if hint else "")
        raise ValueError(f"{head}; expected one of: {', '.join(known)} (or declare it under 'roles:')")

    return AfterValidator(check)


def did_you_mean_role(word: str, choices: list[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if match:
        return match[0]
    prefixed = [c for c in choices if len(word) >= 3 and (c.startswith(word) or word.startswith(c))]
    return prefixed[0] if len(prefixed) == 1 else None


_ROLE_SCHEMA = WithJsonSchema({"anyOf": [{"enum": list(ROLE_IDS)}, {"type": "string", "pattern": ID_PATTERN}]})
_RoleText = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
RoleId = Annotated[_RoleText, _role_checker(), _ROLE_SCHEMA]
"""A role id: one of the catalogue (simulator.roles) or one the file declares under ``roles:``."""
Addressee = Annotated[
    _RoleText,
    _role_checker("everyone"),
    WithJsonSchema({"anyOf": [{"enum": ["everyone", *ROLE_IDS]}, {"type": "string", "pattern": ID_PATTERN}]}),
]
"""A role id or ``everyone``."""
Visibility = Annotated[
    _RoleText,
    _role_checker("everyone", "controller"),
    WithJsonSchema(
        {"anyOf": [{"enum": ["everyone", "controller", *ROLE_IDS]}, {"type": "string", "pattern": ID_PATTERN}]}
    ),
]
"""Who sees a thing: ``everyone``, ``controller`` or a role id."""


def _plain_text(value: str) -> str:
    """Refuse control characters (a YAML ``"\\e[2J"`` would reach the terminal as an escape sequence)."""
    message = control_message(value)
    if message is not None:
        raise ValueError(message)
    return value


def _checked_value(value: Any) -> Any:
    """Every text in a value (list items and mapping keys included) free of control characters, every
    number finite and within ``MAX_NUMBER``; raises ``ValueError`` naming the item."""
    if isinstance(value, str):
        return _plain_text(value)
    if isinstance(value, float) and not (math.isfinite(value) and abs(value) <= MAX_NUMBER):
        raise ValueError(f"must be a finite number no larger than {MAX_NUMBER:g} either way; got {value:g}")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        raise ValueError(
            f"must be a number no larger than {MAX_NUMBER:g} either way; got a {len(str(abs(value)))}-digit number"
        )
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            try:
                _checked_value(item)
            except ValueError as exc:
                raise ValueError(f"item {index + 1} {exc}") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            try:
                _checked_value(key)
                _checked_value(item)
            except ValueError as exc:
                raise ValueError(f"entry {key!r}: {exc}") from None
    return value


Text = Annotated[str, StringConstraints(min_length=1, max_length=4000), AfterValidator(_plain_text)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_plain_text)]

Severity = Literal["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"]
Category = Literal[
    "model-drift",
    "data-pipeline",
    "infrastructure",
    "security",
    "privacy",
    "human-in-the-loop",
    "third-party",
    "capacity",
    "hallucination",
    "supply-chain",
    "fairness",
]
Channel = Literal[
    "alert",
    "pager",
    "chat",
    "email",
    "phone",
    "ticket",
    "social",
    "press",
    "regulator",
    "status-page",
    "dashboard",
    "log",
]
"""How an inject reaches the players. ``alert`` and ``pager`` count as alerts for scoring."""

ALERT_CHANNELS = ("alert", "pager")

Rating = Literal["P", "S", "M", "U"]
"""HSEEP ratings: Performed without challenges, with Some challenges, with Major challenges, Unable to be performed."""


DOCUMENTED_MODULE = "drillsim.simulator._model_docs"
WITH_DOCSTRINGS = __name__ == DOCUMENTED_MODULE
"""Whether the models read their attribute docstrings into field descriptions (parsing this file's
source: a sizeable part of the import). Only the JSON Schema shows them, so only the copy of this
module that ``loading.json_schema`` builds does."""


def _default_in_schema(make: Callable[[], BaseModel]) -> Callable[[dict[str, Any]], None]:
    """A field's ``json_schema_extra`` that writes its default into the JSON Schema, as a plain default would
    be: a default instance of a model is made when first needed (a default instance built at import would
    build its model's validator there, and ``defer_build`` leaves that to the first validation)."""

    def extra(schema: dict[str, Any]) -> None:
        schema["default"] = make().model_dump(mode="json", by_alias=True)

    return extra


class Strict(BaseModel):
    """Base for every format model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=WITH_DOCSTRINGS,
        populate_by_name=True,
        str_strip_whitespace=True,
        allow_inf_nan=False,
        # Each model's validator is built when first used, not at import: validating a scenario builds the
        # Scenario's once (its nested models inside it) instead of one per model, and a command that never
        # validates (``--help``) builds none.
        defer_build=True,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _plain_as_written(cls, value: Any) -> Any:
        """Text as written, before surrounding whitespace is stripped (a leading ``"\\r"`` or ``"\\x1c"``
        counts too): the field's own text, its list items and mapping keys; nested models check theirs."""
        if isinstance(value, str):
            return _plain_text(value)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str) and control_message(item) is not None:
                    raise ValueError(f"item {index + 1} {control_message(item)}")
        elif isinstance(value, dict):
            for key in value:
                if isinstance(key, str) and control_message(key) is not None:
                    raise ValueError(f"key {key!r} {control_message(key)}")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _plain_and_finite(cls, value: Any) -> Any:
        """The catch-all of hostile input, whatever the field's type: no control character in any text
        (ids and references included: ``business.currency``, ``references[].url``), no number that is
        not finite or beyond ``MAX_NUMBER``. Nested models are checked by their own validators."""
        if isinstance(value, BaseModel):
            return value
        return _checked_value(value)


class Visible(Strict):
    """Base of the models with a ``visibility``: an unset one is left out of dumps, so a scenario without
    it keeps its content hash and the journal copy it had before the field existed."""

    @model_serializer(mode="wrap")
    def _drop_unset_visibility(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("visibility", 0) is None:
            del data["visibility"]
        return data


# --------------------------------------------------------------------------- metrics


class SLO(Strict):
    """The service-level bound of a metric; a value outside it is a breach."""

    min: float | None = None
    """Lowest acceptable value (for metrics where higher is better, such as conversion)."""
    max: float | None = None
    """Highest acceptable value (for metrics where lower is better, such as latency)."""

    @model_validator(mode="after")
    def _one_bound(self) -> SLO:
        if self.min is None and self.max is None:
            raise ValueError("an SLO needs 'min', 'max' or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"SLO min {self.min} is above max {self.max}")
        return self


class Metric(Visible):
    """A business or system metric shown live during the drill."""

    label: ShortText | None = None
    """How the metric is named on screen; defaults to its id."""
    baseline: float
    """The healthy value before anything goes wrong."""
    unit: Annotated[str, StringConstraints(max_length=20), AfterValidator(_plain_text)] = ""
    """Unit shown after the value: ``ms``, ``%``, ``req/s``."""
    slo: SLO | None = None
    """The bound that counts as a breach; minutes outside it are scored."""
    noise: Annotated[float, Field(ge=0, le=0.5)] = 0.0
    """Cosmetic jitter on displayed samples as a fraction of the value (0.02 = about 2%). Conditions use the true value."""
    visibility: Visibility = "everyone"
    """Who sees it: ``everyone`` (default), ``controller`` (ground truth for the facilitator only: never on the
    players' dashboard or in their feed) or a role id (that role's seat)."""


class Business(Strict):
    """How business impact is derived from one metric or several."""

    revenue_per_minute: Annotated[float, Field(ge=0)] = 0.0
    """Revenue earned per minute while the followed metrics are at their baselines."""
    follows: str | list[str] | dict[str, Annotated[float, Field(gt=0, le=1)]] | None = None
    """Metric id whose shortfall below baseline is the fraction of revenue lost (for example conversion);
    or several: a list shares revenue equally between them, a mapping gives each its share
    (``{checkout_success_pct: 0.7, search_success_pct: 0.3}``, shares summing to at most 1). Each metric
    loses at most its own share."""
    currency: Annotated[str, StringConstraints(max_length=8)] = "USD"
    """Currency code shown next to revenue figures."""

    @field_validator("follows", mode="after")
    @classmethod
    def _shares_fit(cls, value: str | list[str] | dict[str, float] | None) -> str | list[str] | dict[str, float] | None:
        if isinstance(value, list) and (not value or len(set(value)) != len(value)):
            raise ValueError("'follows' lists each metric once (and at least one)")
        if isinstance(value, dict) and (not value or sum(value.values()) > 1 + 1e-9):
            raise ValueError(f"the shares under 'follows' sum to {sum(value.values()):g}; they may sum to at most 1")
        return value

    @property
    def shares(self) -> dict[str, float]:
        """Each followed metric's share of revenue: ``follows: m`` is ``{m: 1.0}``; a list shares equally."""
        if self.follows is None:
            return {}
        if isinstance(self.follows, str):
            return {self.follows: 1.0}
        if isinstance(self.follows, list):
            return dict.fromkeys(self.follows, 1.0 / len(self.follows))
        return dict(self.follows)


class HarmMeasure(Strict):
    """Harm besides revenue, read from a metric: records exposed, users affected, refunds, liability."""

    id: Id
    """Unique id."""
    label: ShortText
    """How the report names it: ``Customer records exposed``."""
    metric: str
    """The metric it is read from."""
    measure: Literal["last", "peak", "integral"] = "last"
    """``last``: the metric's value at the end above its baseline (a cumulative count); ``peak``: its worst value above the baseline; ``integral``: its excess over the baseline summed per minute (user-minutes)."""
    unit: Annotated[str, StringConstraints(max_length=20), AfterValidator(_plain_text)] = ""
    """Unit shown after the amount: ``records``, ``users``."""
    cost_per_unit: Annotated[float, Field(ge=0)] = 0.0
    """Money per unit (liability, refunds, notification cost), in the business currency; added to revenue lost as the total cost."""


# --------------------------------------------------------------------------- effects and conditions


Baseline = Literal["baseline"]


class Ramp(Strict):
    """Move a metric in a straight line to a value over a duration."""

    to: float | Baseline
    """The value reached at the end, or ``baseline``."""
    over: Duration
    """How long the ramp takes."""


EFFECT_KEYS = ("metric", "set", "scale", "ramp", "after")
"""Every key an effect can have, in the order journals have always stored them."""
CONDITION_KEYS = (
    "metric", "above", "below", "at_least", "at_most", "for",
    "milestone", "action", "not_by", "clock", "missed", "decision", "timed_out",
)  # fmt: skip
"""Every key a condition can have, in the order journals have always stored them."""


def _flat_dump(data: dict[str, Any], info: SerializationInfo, keys: tuple[str, ...]) -> dict[str, Any]:
    """An effect or condition dumped flat: every key of every kind, ``null`` where this kind has none.
    Journals store the scenario as dumped, and before each kind had its own class they held this shape
    (so a new journal is byte-identical to an old one); a dump without defaults (the content hash) is as is."""
    if info.exclude_defaults or info.exclude_none or info.exclude_unset:
        return data
    return {key: data.get(key if info.by_alias or key != "for" else "for_") for key in keys}


class MetricTarget(Protocol):
    """What an effect moves: a metric's state in a running drill (``simulator.metrics.MetricState``)."""

    baseline: float

    def at(self, t: float) -> float: ...
    def set_to(self, value: float, t: float) -> None: ...
    def ramp_to(self, target: float, over: float, t: float, owner: str) -> None: ...


class _ClockState(Protocol):
    missed: bool


class World(Protocol):
    """What a condition reads of a running drill (``simulator.engine.Drill``)."""

    held_since: dict[int, float | None]
    """Since when each metric condition (by ``id``) has held, or None."""
    milestones: dict[str, float]
    done_actions: dict[str, float]
    timed_out: set[str]

    @property
    def clocks(self) -> Mapping[str, _ClockState]: ...


class _EffectKind(Strict):
    """What every effect has: the metric it moves and a delay. Each kind applies itself (:meth:`apply`)."""

    metric: str
    """The metric id this effect moves."""
    after: Duration = 0.0
    """Delay from the start of the fault or the end of the action before this effect applies."""

    @model_serializer(mode="wrap")
    def _flat(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> dict[str, Any]:
        return _flat_dump(handler(self), info, EFFECT_KEYS)

    def apply(self, state: MetricTarget, t: float, owner: str) -> None:
        """Move the metric's state at sim time ``t`` (``owner``: the fault, action or decision it comes from)."""
        raise NotImplementedError


class SetEffect(_EffectKind):
    """Jump a metric to a value at once: ``{metric: m, set: 120}``."""

    set: float | Baseline
    """Jump to this value (or ``baseline``) at once."""

    def apply(self, state: MetricTarget, t: float, owner: str) -> None:
        state.set_to(state.baseline if self.set == "baseline" else float(self.set), t)


class ScaleEffect(_EffectKind):
    """Multiply a metric by a factor at once: ``{metric: m, scale: 2.5}``."""

    scale: Annotated[float, Field(ge=0, le=1000)]
    """Multiply the current value by this factor at once (0 to 1000)."""

    def apply(self, state: MetricTarget, t: float, owner: str) -> None:
        state.set_to(state.at(t) * self.scale, t)


class RampEffect(_EffectKind):
    """Move a metric in a straight line: ``{metric: m, ramp: {to: 900, over: 5m}}``."""

    ramp: Ramp
    """Move linearly to a value over a duration."""

    def apply(self, state: MetricTarget, t: float, owner: str) -> None:
        target = state.baseline if self.ramp.to == "baseline" else float(self.ramp.to)
        state.ramp_to(target, self.ramp.over, t, owner)


COMPARISONS: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "above": (operator.gt, "above"),
    "below": (operator.lt, "below"),
    "at_least": (operator.ge, "at least"),
    "at_most": (operator.le, "at most"),
}
"""A metric condition's comparison fields: the operator (``value OP threshold``) and how a report words it.
The one definition: the engine's watches and the lessons' evidence read it through ``Condition.comparison``."""


class _ConditionKind(Strict):
    """What every condition kind has: a name for reports (``kind``) and :meth:`holds`, how the engine asks it."""

    kind: ClassVar[str]
    """metric, milestone, action, clock or decision: the key that names the kind in YAML."""

    @model_serializer(mode="wrap")
    def _flat(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> dict[str, Any]:
        return _flat_dump(handler(self), info, CONDITION_KEYS)

    def holds(self, world: World, t: float) -> bool:
        """Whether the condition is true in the drill ``world`` at sim time ``t``."""
        raise NotImplementedError

    @property
    def deadline(self) -> float | None:
        """The ``not_by`` time of a milestone or action condition; None for every other condition."""
        return None

    @property
    def subject(self) -> str:
        """The id the condition names: the metric, milestone, action, clock or decision inject."""
        subject: str = getattr(self, self.kind)
        return subject


class MetricCondition(_ConditionKind):
    """A metric against a threshold: ``{metric: latency_p95_ms, above: 900, for: 1m}``."""

    kind: ClassVar[str] = "metric"
    metric: str
    """Metric id compared against a threshold."""
    above: float | None = None
    """True while the metric is strictly above this value."""
    below: float | None = None
    """True while the metric is strictly below this value."""
    at_least: float | None = None
    """True while the metric is at or above this value."""
    at_most: float | None = None
    """True while the metric is at or below this value."""
    for_: Duration | None = Field(default=None, alias="for")
    """How long the metric condition must hold continuously."""

    @model_validator(mode="after")
    def _one_comparison(self) -> MetricCondition:
        if sum(getattr(self, k) is not None for k in COMPARISONS) != 1:
            raise ValueError("a metric condition needs exactly one of 'above', 'below', 'at_least', 'at_most'")
        return self

    def holds(self, world: World, t: float) -> bool:
        since = world.held_since.get(id(self))
        return since is not None and t - since >= (self.for_ or 0.0) - EPS

    def comparison(self) -> tuple[str, Callable[[float, float], bool], float]:
        """(field, operator, threshold): (``above``, ``operator.gt``, 900.0)."""
        for name, (compare, _) in COMPARISONS.items():
            threshold = getattr(self, name)
            if threshold is not None:
                return name, compare, threshold
        raise AssertionError("checked by _one_comparison")

    def comparison_text(self) -> str:
        """``above 900``, ``at least 0.5``: the comparison in words."""
        name, _, threshold = self.comparison()
        return f"{COMPARISONS[name][1]} {threshold:g}"

    def holds_for_value(self, value: float) -> bool:
        """Whether a metric value satisfies the comparison (ignoring ``for``)."""
        _, compare, threshold = self.comparison()
        return compare(value, threshold)


class _HappenedCondition(_ConditionKind):
    """A milestone or action condition: true once it happened, or, with ``not_by``, if it had not by then."""

    not_by: Duration | None = None
    """True from this sim time on if it had not happened by then (contingency injects, lessons)."""

    def happened_at(self, world: World) -> float | None:
        """When the milestone was reached or the action done, or None."""
        raise NotImplementedError

    def holds(self, world: World, t: float) -> bool:
        at = self.happened_at(world)
        if self.not_by is None:
            return at is not None
        return t >= self.not_by and (at is None or at > self.not_by)

    @property
    def deadline(self) -> float | None:
        return self.not_by


class MilestoneCondition(_HappenedCondition):
    """A milestone reached (``{milestone: contained}``) or not reached by a time (``{milestone: contained, not_by: 10m}``)."""

    kind: ClassVar[str] = "milestone"
    milestone: str
    """Milestone id: true once it is reached (or, with ``not_by``, when it was not reached in time)."""

    def happened_at(self, world: World) -> float | None:
        return world.milestones.get(self.milestone)


class ActionCondition(_HappenedCondition):
    """An action done (``{action: rollback-model}``) or not done by a time (``{action: notify-dpo, not_by: 30m}``)."""

    kind: ClassVar[str] = "action"
    action: str
    """Action id: true once the action succeeded (or, with ``not_by``, when it was not done in time)."""

    def happened_at(self, world: World) -> float | None:
        return world.done_actions.get(self.action)


_CLOCK_FORM = "a clock condition is written {clock: ID, missed: true}"
_DECISION_FORM = "a decision condition is written {decision: INJECT_ID, timed_out: true}"


class ClockCondition(_ConditionKind):
    """A regulatory clock missed: ``{clock: gdpr-72h, missed: true}``."""

    kind: ClassVar[str] = "clock"
    clock: str
    """Regulatory clock id, with ``missed: true``."""
    missed: bool | None = None
    """True when the clock's deadline passed without the satisfying action, or it never started."""

    @model_validator(mode="after")
    def _written(self) -> ClockCondition:
        if self.missed is None:
            raise ValueError(_CLOCK_FORM)
        return self

    def holds(self, world: World, t: float) -> bool:
        state = world.clocks.get(self.clock)
        return state is not None and state.missed


class DecisionCondition(_ConditionKind):
    """A decision that timed out: ``{decision: ceo-asks, timed_out: true}``."""

    kind: ClassVar[str] = "decision"
    decision: str
    """Inject id of a decision, with ``timed_out: true``."""
    timed_out: bool | None = None
    """True when nobody answered before the deadline."""

    @model_validator(mode="after")
    def _written(self) -> DecisionCondition:
        if self.timed_out is None:
            raise ValueError(_DECISION_FORM)
        return self

    def holds(self, world: World, t: float) -> bool:
        return self.decision in world.timed_out


_CONDITION_KINDS: dict[str, type[_ConditionKind]] = {
    cls.kind: cls for cls in (MetricCondition, MilestoneCondition, ActionCondition, ClockCondition, DecisionCondition)
}
"""Each condition kind by the key that names it."""


def _kind_discriminator(
    base: type[BaseModel], kinds: Mapping[str, type[BaseModel]], keys: tuple[str, ...], default: str
) -> Callable[[Any], str | None]:
    """A tagged union's discriminator: the kind a value is (a condition or an effect), from the keys present
    (a key written ``null`` is dropped before, by :func:`_one_kind`) or the one an unknown key misspells."""

    def kind(value: Any) -> str | None:
        if isinstance(value, base):
            return type(value).__name__
        if not isinstance(value, dict):
            return default  # validated as one kind, so the message says a mapping was expected
        return _kind_tag(value, kinds, keys)

    return kind


def _one_kind(value: Any, kinds: Mapping[str, type[BaseModel]], keys: tuple[str, ...], needs: str) -> Any:
    """Before the kind is chosen: keys written ``null`` dropped (journals before conditions and effects were
    a union held every key), and one clear message for a mapping with no kind key (nor a misspelt one) or
    several (rather than each kind's complaints): ``needs`` and what was written instead."""
    value = _without_nulls(value, keys)
    if isinstance(value, dict):
        given = [k for k in kinds if k in value]
        if len(given) > 1 or not (given or _misspelt_kind(value, list(kinds), keys)):
            raise ValueError(needs + (f"; got {', '.join(given)}" if given else _unknown_keys(value, keys)))
    return value


_condition_kind = _kind_discriminator(_ConditionKind, _CONDITION_KINDS, CONDITION_KEYS, "MetricCondition")


def _one_condition_kind(value: Any) -> Any:
    """One condition kind (:func:`_one_kind`), and no key of another kind beside it."""
    value = _one_kind(
        value,
        _CONDITION_KINDS,
        CONDITION_KEYS,
        "a condition names exactly one of 'metric', 'milestone', 'action', 'clock' or 'decision'",
    )
    kind = next((k for k in _CONDITION_KINDS if k in value), None) if isinstance(value, dict) else None
    if kind is None:
        return value  # not a mapping, or validated as the kind a key misspells: "unknown key 'metrc' (...)"
    if kind != "metric" and any(k in value for k in (*COMPARISONS, "for")):
        raise ValueError("'above', 'below', 'at_least', 'at_most' and 'for' belong to a metric condition")
    if "not_by" in value and kind not in ("milestone", "action"):
        raise ValueError("'not_by' belongs to a milestone or action condition")
    if "missed" in value and kind != "clock":
        raise ValueError(_CLOCK_FORM)
    if "timed_out" in value and kind != "decision":
        raise ValueError(_DECISION_FORM)
    return value


def _without_nulls(value: Any, keys: tuple[str, ...]) -> Any:
    """A mapping without the keys of ``keys`` written ``null`` (journals before the kinds were a union held
    every key, ``null`` where unused); anything else as it is."""
    if not isinstance(value, dict):
        return value
    return {k: v for k, v in value.items() if v is not None or k not in keys}


def _misspelt_kind(value: dict[Any, Any], kinds: Sequence[str], keys: tuple[str, ...]) -> str | None:
    """The kind key that an unknown key of a mapping without one is a misspelling of (``sacle``: ``scale``):
    that kind is validated, so the message is "unknown key 'sacle' (did you mean 'scale'?)"."""
    for key in value:
        if isinstance(key, str) and key not in keys:
            hint = did_you_mean(key, kinds)
            if hint is not None:
                return hint
    return None


def _kind_tag(value: dict[Any, Any], kinds: Mapping[str, type[BaseModel]], keys: tuple[str, ...]) -> str | None:
    """The union tag of the kind a mapping is: its one kind key's, or the one an unknown key misspells."""
    given = [k for k in kinds if k in value]
    key = (given[0] if len(given) == 1 else None) if given else _misspelt_kind(value, list(kinds), keys)
    return kinds[key].__name__ if key else None


def _unknown_keys(value: dict[Any, Any], keys: tuple[str, ...]) -> str:
    """``; unknown key 'zzz'``: what a mapping without a kind key has instead, for its message."""
    unknown = [repr(str(key)) for key in value if key not in keys]
    return f"; unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}" if unknown else ""


_EFFECT_KINDS: dict[str, type[_EffectKind]] = {"set": SetEffect, "scale": ScaleEffect, "ramp": RampEffect}
"""Each effect kind by the key that names it."""

_effect_kind = _kind_discriminator(_EffectKind, _EFFECT_KINDS, EFFECT_KEYS, "SetEffect")


def _one_effect_kind(value: Any) -> Any:
    """One effect kind (:func:`_one_kind`)."""
    return _one_kind(value, _EFFECT_KINDS, EFFECT_KEYS, "an effect needs exactly one of 'set', 'scale' or 'ramp'")


Effect = Annotated[
    Annotated[SetEffect, Tag("SetEffect")]
    | Annotated[ScaleEffect, Tag("ScaleEffect")]
    | Annotated[RampEffect, Tag("RampEffect")],
    Discriminator(_effect_kind),
    BeforeValidator(_one_effect_kind),
]
"""One change to a metric: ``set`` it, ``scale`` it, or ``ramp`` it, optionally after a delay (one class per kind)."""

Condition = Annotated[
    Annotated[MetricCondition, Tag("MetricCondition")]
    | Annotated[MilestoneCondition, Tag("MilestoneCondition")]
    | Annotated[ActionCondition, Tag("ActionCondition")]
    | Annotated[ClockCondition, Tag("ClockCondition")]
    | Annotated[DecisionCondition, Tag("DecisionCondition")],
    Discriminator(_condition_kind),
    BeforeValidator(_one_condition_kind),
]
"""A condition on the simulated world, used to trigger faults, injects and milestones and to raise lessons.

Write one kind at a time:
a metric against a threshold (``{metric: latency_p95_ms, above: 900, for: 1m}``);
a milestone reached (``{milestone: contained}``) or not reached by a time (``{milestone: contained, not_by: 10m}``);
an action done (``{action: rollback-model}``) or not done by a time (``{action: notify-dpo, not_by: 30m}``);
a regulatory clock missed (``{clock: gdpr-72h, missed: true}``); a decision that timed out (``{decision: ceo-asks, timed_out: true}``).
"""

KIND_TAGS: dict[str, type[BaseModel]] = {
    cls.__name__: cls for cls in (*_EFFECT_KINDS.values(), *_CONDITION_KINDS.values())
}
"""The effect and condition kinds by their union tag (the class name: a validation error's ``loc`` holds it)."""


# --------------------------------------------------------------------------- faults, injects, actions


class Fault(Strict):
    """Something that goes wrong: it starts at a time or on a condition and moves metrics until an action stops it."""

    id: Id
    """Unique id, referenced by actions' ``stops``."""
    label: ShortText
    """The root cause in a few words, for the controller and the report only: players never see it (they see
    symptoms and the outcome text of the action that stops it)."""
    at: Duration | None = None
    """Sim time at which the fault starts."""
    when: Condition | None = None
    """Condition that starts the fault (instead of ``at``)."""
    effects: list[Effect] = []
    """What the fault does to metrics; ``after`` staggers them from the fault's start."""
    impact: bool = True
    """Whether this fault hurts customers; the first such fault marks 'impact started'. Set false for a red herring."""

    @model_validator(mode="after")
    def _trigger(self) -> Fault:
        if (self.at is None) == (self.when is None):
            raise ValueError("a fault starts either 'at' a time or 'when' a condition holds (exactly one)")
        return self


class Penalty(Strict):
    """Points lost for a don't: sharing speculation, over-promising, forgetting compliance."""

    points: Annotated[int, Field(ge=0, le=100)]
    """Points taken off the 0-100 drill score."""
    reason: Text
    """Why this is a don't, shown in the feed and the report."""
    objective: str | None = None
    """The objective whose scope this don't breaks (its rating is then M at best). Default: the objectives measuring ``communication`` for a communication, else those measuring a milestone the action (or the decision's options) marks."""


class Consequence(Strict):
    """What happens when a decision's deadline passes unanswered."""

    text: Text
    """Message shown in the incident feed."""
    effects: list[Effect] = []
    """Metric changes that follow."""
    penalty: Penalty | None = None
    """Points lost."""
    action: str | None = None
    """An action that happens at once when the deadline passes, done by the stakeholders rather than the team
    (marketing extends the sale on its own): its effects, stops, marks, forbids and penalty apply."""


OptionQualityName = Literal["sound", "poor", "harmful"]
"""How good a decision option is: ``sound`` (what a good team does), ``poor`` (workable, costs something), ``harmful`` (makes things worse)."""


class OptionQuality(Strict):
    """The quality of one decision option, with the reason the report shows."""

    quality: OptionQualityName
    """``sound``: full decision credit; ``poor``: half; ``harmful``: none, and never a strength."""
    why: Text
    """Why this option is sound, poor or harmful (shown in the report's decision log and findings)."""


class Decision(Strict):
    """A prompt with options and a deadline in sim time."""

    prompt: Text | None = None
    """The question put to the players; defaults to the inject's text."""
    options: Annotated[list[str], Field(min_length=1)]
    """Action ids the players can choose from."""
    deadline: Duration
    """Time to answer, from the inject's arrival; in real time when the scenario sets ``time_scale``."""
    on_timeout: Consequence | None = None
    """What happens when nobody answers in time."""
    quality: dict[str, OptionQuality] = {}
    """The quality of each option, by action id: ``{take-offline: {quality: sound, why: ...}}``. An option without one is scored as sound."""

    def option_quality(self, action_id: str) -> OptionQuality | None:
        return self.quality.get(action_id)


class Inject(Visible):
    """A message, alert or piece of evidence that reaches the players (a Master Scenario Events List entry)."""

    id: Id
    """Unique id."""
    at: Duration | None = None
    """Sim time of delivery."""
    when: Condition | None = None
    """Condition that delivers it (instead of ``at``); a ``not_by`` condition makes a contingency inject."""
    channel: Channel = "chat"
    """How it arrives. ``alert`` and ``pager`` count as alerts (the first one is the 'first alert' moment) and page the on-call holders of the ``to`` role."""
    from_: ShortText | None = Field(default=None, alias="from")
    """Who sends it: ``CEO``, ``Support``, ``Monitoring``, ``Journalist``."""
    to: Addressee = "everyone"
    """The role it is addressed to, or ``everyone``."""
    text: Text
    """What the players read."""
    discussion: list[Text] = []
    """Questions the facilitator's pause screen shows while this is the latest inject."""
    decision: Decision | None = None
    """A decision the inject opens."""
    red_herring: bool = False
    """Marks a misleading signal (for the report; players are not told)."""
    visibility: Visibility | None = None
    """Who sees it on a seat (``drillsim host``): by default the ``to`` role, or everyone; ``controller`` keeps it on
    the controller's console (a cue for the facilitator); ``everyone`` shows a role's inject on every seat."""

    @model_validator(mode="after")
    def _trigger(self) -> Inject:
        if (self.at is None) == (self.when is None):
            raise ValueError("an inject arrives either 'at' a time or 'when' a condition holds (exactly one)")
        return self


class Triangular(Strict):
    """A random duration: at least ``min``, most often ``mode``, at most ``max``."""

    min: Duration
    """Shortest possible duration."""
    mode: Duration
    """Most likely duration."""
    max: Duration
    """Longest possible duration."""

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.min <= self.mode <= self.max:
            raise ValueError("a random duration needs min <= mode <= max")
        return self

    @property
    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3


CommunicationKind = Literal["internal", "executive", "status_page", "customer", "regulator", "press", "external"]
"""Who a communication reaches: ``internal`` coordination (a channel, a bridge: not a stakeholder update),
``executive`` (leadership briefed), or outside the company: ``status_page``, ``customer``, ``regulator``,
``press``. ``external`` is the old, unspecified outside audience."""

EXTERNAL_KINDS = ("status_page", "customer", "regulator", "press", "external")
"""Communication kinds that reach people outside the company."""


class CommunicationSpec(Strict):
    """What a communication action is: who it reaches and whether its content is sound."""

    kind: CommunicationKind
    """``internal``, ``executive``, ``status_page``, ``customer``, ``regulator``, ``press`` (``external``: unspecified outside audience)."""
    sound: bool | None = None
    """Whether the content is what a good team says (factual, no speculation, no promise). Defaults to true, except that an action with a penalty is never sound."""


class Action(Strict):
    """Something the team can do: a playbook step, a distractor or a don't."""

    id: Id
    """Unique id, used by the playbook, decisions and ``requires``."""
    label: ShortText
    """What the action menu shows."""
    role: RoleId
    """The role responsible for it; others may act, slower and less reliably."""
    description: Text | None = None
    """Longer explanation shown with the action."""
    duration: Duration | Triangular = 60.0
    """How long it takes once someone starts: fixed, or ``{min, mode, max}``."""
    success: Annotated[float, Field(ge=0, le=1)] = 1.0
    """Chance it works (0-1), adjusted by the member's skills and role."""
    skills: list[ShortText] = []
    """Skills that make it faster and more reliable for a member who has them."""
    requires: list[str] = []
    """Milestones reached or actions done before this one can be taken."""
    stops: list[str] = []
    """Faults it stops (their pending and running effects end)."""
    effects: list[Effect] = []
    """What it does to metrics when it succeeds."""
    marks: list[str] = []
    """Milestones it marks when it succeeds."""
    pages: list[RoleId] = []
    """Roles called in when it succeeds: their on-call holders are paged (off-call holders if nobody on call holds it)."""
    repeatable: bool = False
    """Whether it can be done again after succeeding."""
    forbids: list[str] = []
    """Actions that can no longer be taken once this one succeeded (no forensics after the pods are deleted)."""
    penalty: Penalty | None = None
    """Points lost when it is done (a don't)."""
    communication: CommunicationKind | CommunicationSpec | None = None
    """Marks a communication: a kind (``status_page``) or ``{kind: press, sound: false}``. Sound updates to executives or outside the company are scored for first update and cadence; internal coordination and unsound statements are not."""
    outcome: Text | None = None
    """Feed message when it succeeds; a plain default is used otherwise."""
    failure: Text | None = None
    """Feed message when it fails."""

    @property
    def communication_kind(self) -> str | None:
        """The communication's kind (``status_page``), or None for an action that is not one."""
        comm = self.communication
        if comm is None:
            return None
        return comm.kind if isinstance(comm, CommunicationSpec) else str(comm)

    @property
    def communication_sound(self) -> bool:
        """Whether the communication's content is sound: never for a don't (an action with a penalty)."""
        if self.communication is None or self.penalty is not None:
            return False
        comm = self.communication
        return not (isinstance(comm, CommunicationSpec) and comm.sound is False)

    @property
    def external(self) -> bool:
        """Whether it communicates outside the company (status page, customers, regulator, press)."""
        return self.communication_kind in EXTERNAL_KINDS


class Clock(Strict):
    """A regulatory clock (GDPR art. 33's 72 hours, an SEC 8-K's four business days)."""

    id: Id
    """Unique id."""
    regime: ShortText
    """The rule: ``GDPR Art. 33``, ``EU AI Act Art. 73``, ``SEC 8-K Item 1.05``."""
    starts_on: str
    """What starts the clock, where the law starts it: a milestone (awareness from evidence: ``aware`` marked
    when the PII page fires) or an action (a determination the players make, such as materiality)."""
    recorded_by: str | None = None
    """With a milestone ``starts_on``: the action by which the team records the start (confirming awareness).
    The delay from the clock's start is journalled (``clock_recorded``); recording first starts the clock."""
    deadline: Duration
    """Time allowed from start to notification, in real time (``72h``): divided by the scenario's ``time_scale``."""
    satisfied_by: str
    """The action that notifies the authority."""
    description: Text | None = None
    """What must be notified, to whom."""


# --------------------------------------------------------------------------- scoring, playbook, lessons


class MilestoneSpec(Strict):
    """A moment the scorecard measures: marked by an action or by a metric condition held for a time."""

    label: ShortText | None = None
    """How the milestone is named in the UI and the report."""
    target: Duration | None = None
    """Target time measured from impact start (the first fault with impact)."""
    when: Condition | None = None
    """Metric condition that marks the milestone (instead of, or as well as, an action's ``marks``)."""


class Communication(Strict):
    """Targets for stakeholder updates (actions with ``communication``)."""

    first_update: Duration
    """Target for the first update, measured from impact start."""
    cadence: Duration
    """Largest acceptable gap between updates while the incident is open."""
    counts: list[CommunicationKind] = []
    """Which kinds count as an update (default: every kind but ``internal``); only sound ones ever count."""


class Objective(Strict):
    """A learning objective: what the drill exercises and how it is measured."""

    id: Id
    """Unique id."""
    text: Text
    """The objective as a sentence."""
    capability: ShortText
    """The capability exercised (HSEEP core capability or NIST function): ``Detect``, ``Operational Coordination``."""
    target: Text
    """The capability target in words: ``Roll back within 10 minutes of the alert``."""
    measures: list[str] = []
    """Milestone or clock ids whose targets rate this objective; ``communication`` for the update targets."""


class Scoring(Strict):
    """How the drill is scored."""

    milestones: dict[Id, MilestoneSpec] = {}
    """Milestones by id. Canonical ids the scorecard knows: detected, acknowledged, declared, mitigated, contained, recovered, resolved, postmortem."""
    communication: Communication | None = None
    """Targets for stakeholder updates."""
    end_on: list[str] = []
    """The drill ends early once all these milestones are reached; otherwise it runs to ``duration``."""


class PlaybookStep(Strict):
    """One step of the reference response (or of a scripted policy file)."""

    at: Duration
    """Sim time at which the step is taken (or as soon after as it becomes possible)."""
    action: str
    """Action id."""
    by: str | None = None
    """A roster member's name, when the step must be done by that person."""
    took: Duration | None = None
    """How long the step took (a script replaying a real incident's timeline): fixes the action's duration instead of drawing it."""


class Lesson(Strict):
    """A lessons-learned rule: when its condition holds at the end, the report raises the finding."""

    when: Condition
    """The condition, evaluated on the whole drill."""
    finding: Text
    """What went wrong, as an observation."""
    finding_never: Text | None = None
    """With a ``not_by`` condition: the observation when it never happened at all (default: "<it> never happened during the drill")."""
    corrective_action: Text
    """What to change."""
    owner: RoleId
    """Role that owns the corrective action."""
    due: Duration = 30 * 86400.0
    """How long after the drill the corrective action is due (default 30 days)."""


class Reference(Strict):
    """A real incident, technique or standard the scenario draws on."""

    title: Text
    """What it is."""
    url: Annotated[str, StringConstraints(max_length=500)] | None = None
    """Where to read about it."""
    kind: Literal["incident", "mitre-atlas", "standard", "regulation", "research", "guide"] = "incident"
    """What sort of reference it is."""


# --------------------------------------------------------------------------- the scenario


class Scenario(Strict):
    """A failure scenario: metadata, the simulated world, injects, the action menu, scoring and lessons."""

    id: Id
    """Unique id; ``drillsim run ID`` finds a built-in scenario by it."""
    title: ShortText
    """Title shown in the launcher and the report."""
    category: Category
    """The failure family."""
    severity: Severity
    """Severity the incident deserves (PagerDuty scale: SEV1 is critical and public)."""
    summary: Text
    """Two or three sentences shown in the launcher."""
    briefing: Text | None = None
    """The situation read out before the drill starts; defaults to the summary."""
    long_drill: bool = False
    """Allow a ``duration`` of up to 14 days instead of 4 (a regulatory clock played end to end). A drill's
    journal grows with its sim time (about 4 MB a simulated day), so the limit is deliberate."""
    duration: Duration
    """Time limit of the drill in sim time: at most 4 days (14 days with ``long_drill: true``)."""
    time_scale: Annotated[float, Field(ge=1, le=100000)] = 1.0
    """Real time per drill time: ``60`` makes each drill minute stand for a real hour. Regulatory clock deadlines
    and decision deadlines are written in real time (``72h``) and run this much faster; everything else
    (``at``, ``duration``, targets, action durations) is drill time."""
    roles: dict[Id, ShortText] = {}
    """Roles beyond the catalogue, by id, each with its description (``Head of trust and safety: ...``)."""
    objectives: list[Objective] = []
    """Learning objectives with capabilities and targets."""
    references: list[Reference] = []
    """Real incidents, MITRE ATLAS techniques and standards the scenario draws on."""
    default_roster: str | None = None
    """Built-in roster id used when none is given."""
    metrics: Annotated[dict[Id, Metric], Field(min_length=1)]
    """Metrics by id."""
    business: Business = Field(default_factory=Business, json_schema_extra=_default_in_schema(Business))
    """How revenue lost is derived."""
    harm: list[HarmMeasure] = []
    """Harm measures besides revenue (records exposed, users affected, refunds, liability), shown in the report and scorecard."""
    faults: list[Fault] = []
    """What goes wrong."""
    injects: list[Inject] = []
    """Messages, alerts and evidence."""
    actions: Annotated[list[Action], Field(min_length=1)]
    """The action menu."""
    clocks: list[Clock] = []
    """Regulatory clocks."""
    scoring: Scoring = Field(default_factory=Scoring, json_schema_extra=_default_in_schema(Scoring))
    """Milestones, communication targets and when the drill ends early."""
    playbook: list[PlaybookStep] = []
    """The reference response, followed by autoplay's ``playbook`` policy and used as par."""
    lessons: list[Lesson] = []
    """Lessons-learned rules."""

    @field_validator("duration", mode="after")
    @classmethod
    def _bounded_drill(cls, value: float, info: ValidationInfo) -> float:
        long_drill = info.data.get("long_drill") is True
        limit = LONG_DRILL_LIMIT if long_drill else DRILL_LIMIT
        if value > limit:
            hint = "" if long_drill else "; add 'long_drill: true' to allow up to 14 days"
            raise ValueError(
                f"the drill lasts {format_duration(value)} of sim time, longer than {limit / 86400:g} days{hint}"
            )
        return value

    @model_serializer(mode="wrap")
    def _without_default_long_drill(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """``long_drill`` is written only when true: scenarios without it keep the content hash they had."""
        data: dict[str, Any] = handler(self)
        if not self.long_drill:
            data.pop("long_drill", None)
        return data

    def action(self, action_id: str) -> Action:
        for action in self.actions:
            if action.id == action_id:
                return action
        raise KeyError(action_id)

    @property
    def roles_needed(self) -> list[str]:
        """Roles responsible for at least one action, in first-use order."""
        seen: dict[str, None] = {}
        for action in self.actions:
            seen.setdefault(action.role, None)
        return list(seen)

    def scaled(self, real: float) -> float:
        """A real-time span (a clock's or a decision's deadline) in drill time: divided by ``time_scale``."""
        return real / self.time_scale

    def content_hash(self) -> str:
        """SHA-256 of the scenario's canonical JSON form; equal content, equal hash."""
        return content_hash(self)


# --------------------------------------------------------------------------- the roster


class Member(Strict):
    """A person on the team."""

    name: ShortText
    """Unique name within the roster."""
    roles: Annotated[list[RoleId], Field(min_length=1)]
    """Roles this person can play: catalogue roles, or roles the roster declares under ``roles:``."""
    skills: list[ShortText] = []
    """Skills that speed up and steady actions that ask for them."""
    on_call: bool = True
    """On-call members are paged by alerts for their roles; off-call members are only called in when needed."""
    response_time: Duration = 120.0
    """Time from being paged to starting work."""


class Roster(Strict):
    """A team."""

    id: Id
    """Unique id; ``--roster ID`` finds a built-in roster by it."""
    team: ShortText
    """Team name shown in the report and the run folder."""
    description: Text | None = None
    """Who this team is."""
    roles: dict[Id, ShortText] = {}
    """Roles beyond the catalogue that members hold, by id, each with its description."""
    members: Annotated[list[Member], Field(min_length=1)]
    """The people."""

    def member(self, name: str) -> Member:
        for member in self.members:
            if member.name == name:
                return member
        raise KeyError(name)

    def content_hash(self) -> str:
        return content_hash(self)


# Models are frozen, so their dump and hash never change: compute them once per object
# (thousands of simulated drills share one scenario). Keyed by id, holding the object so
# the id cannot be reused while the entry lives; bounded.
_DUMPS: dict[int, tuple[BaseModel, str, str, dict[str, Any]]] = {}
_DUMPS_MAX = 64


def _dumped(model: BaseModel) -> tuple[str, str, dict[str, Any]]:
    """(JSON in field order, content hash, that JSON parsed); field order matters: metrics are sampled in it."""
    entry = _DUMPS.get(id(model))
    if entry is None or entry[0] is not model:
        data = model.model_dump(mode="json", by_alias=True)
        ordered = json.dumps(data, separators=(",", ":"))
        # The hash leaves out values equal to their defaults, so a field added to the format later (with a
        # default) keeps every existing scenario's hash: drills stay comparable across drillsim versions.
        written = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        digest = raw_hash(written)
        entry = (model, ordered, digest, json.loads(ordered))
        if len(_DUMPS) >= _DUMPS_MAX:
            _DUMPS.pop(next(iter(_DUMPS)))
        _DUMPS[id(model)] = entry
    return entry[1], entry[2], entry[3]


def raw_hash(data: Any) -> str:
    """SHA-256 of plain JSON data in canonical form (sorted keys, no spaces)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def content_hash(model: BaseModel) -> str:
    """SHA-256 of the model's canonical JSON."""
    return _dumped(model)[1]


def dump(model: BaseModel) -> dict[str, Any]:
    """Plain JSON-ready data with aliases (``from``, ``for``), as the journal stores it (a fresh copy)."""
    data: dict[str, Any] = json.loads(_dumped(model)[0])
    return data


def shared_dump(model: BaseModel) -> dict[str, Any]:
    """What :func:`dump` gives, but one copy per model, shared by every caller: read it, never change it
    (a drill's ``drill_started`` record holds it; thousands of simulated drills share one scenario)."""
    return _dumped(model)[2]
