"""Metrics as functions of time: each metric is piecewise linear between the drill's real events.

Faults, actions and decisions change a metric only through effects (``set``, ``scale``, ``ramp``),
so between two real events every metric is a constant or a straight ramp. :class:`RampSampler`
(journal format 2, every new drill) uses that:

- the samples a dashboard shows (every ``SAMPLE_EVERY`` sim seconds, plus noise) are computed in
  one loop per metric between two real events, kept by column, and written to the journal as one
  ``metric_samples`` record (columns, not a record per sample) just before the next real record once
  it holds ``BLOCK_MIN`` samples (format 3; format 2 wrote one before every real record);
  a quiet stretch is cut into records of at most ``BLOCK_MAX`` samples. With a journal the drill
  keeps only each block's totals in memory, so its memory does not grow with its length;
- SLO crossings, metric conditions (``above``, ``below``, ``for``) and the end of a ramp are
  solved from the ramp exactly and happen at that sim time (a SimPy timeout), not at the next sample;
- time outside each SLO and revenue lost are integrated exactly (the shortfall is linear between
  two events, clipped to 0..1);
- noise comes from a generator of its own per metric (seeded from the drill's seed), so the
  samples are the same however often a UI looks at the drill.

:class:`SampledMonitor` is the engine journals of format 1 were written by (a SimPy process that
samples every ``SAMPLE_EVERY`` seconds, left-rectangle impact, crossings found at the next sample,
noise from the drill's generator); a format-1 journal rebuilds with it, so it still replays to
the same records.

It is long because it holds both engines of a metric's life: format 2 and 3 (:class:`RampSampler`,
the ramps, exact crossings and integrals, sample blocks) and format 1 (:class:`SampledMonitor`), which
an old journal is rebuilt with. Both share the metric state, the rounding and the noise generators at the
top; split apart, each would import the other's half of that state.
"""

from __future__ import annotations

import itertools
import math
import operator
import random
from collections import deque
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import simpy
from drillsim.simulator.model import EPS, MetricCondition

if TYPE_CHECKING:
    from drillsim.simulator.engine import Drill

FORMAT = 3
"""The journal format new drills write (``format`` in ``drill_started``; absent means 1). Formats 2 and 3 differ
only in where the blocks of samples go: format 2 writes one before every real record that has samples before
it, format 3 one once it holds ``BLOCK_MIN`` samples (so a block spans five minutes or more, not the few seconds
between two records). The samples, and the reports made of them, are the same."""
FORMATS = (1, 2, 3)
"""The journal formats this drillsim writes and replays."""
SAMPLE_EVERY = 5.0
"""Sim seconds between metric samples."""
HISTORY = 360
"""Samples kept per metric for the view (30 minutes at 5 s)."""
BLOCK_MAX = 720
"""Most samples in one ``metric_samples`` record (an hour at 5 s)."""
BLOCK_MIN = 60
"""Format 3: the samples a block holds before the next real record writes it (five minutes at 5 s; the last
block, at the end, holds what is left). More samples a block, fewer records and fewer, longer loops; a journal
cut short by a crash lacks at most these last samples (the drill's rebuild computes them again)."""

Record = dict[str, Any]


class Ramp:
    __slots__ = ("owner", "t0", "t1", "v0", "v1")

    def __init__(self, t0: float, v0: float, t1: float, v1: float, owner: str) -> None:
        self.t0, self.v0, self.t1, self.v1, self.owner = t0, v0, t1, v1, owner


class MetricState:
    """One metric's true (noiseless) value: a plain value, or a ramp running towards a target."""

    __slots__ = (
        "baseline",
        "breached",
        "high",
        "history",
        "id",
        "last_true",
        "low",
        "noise",
        "ramp",
        "slo_max",
        "slo_min",
        "spec",
        "thresholds",
        "tol_max",
        "tol_min",
        "value",
        "value_t",
    )

    def __init__(self, metric_id: str, spec: Any) -> None:
        self.id = metric_id
        self.spec = spec
        self.baseline: float = spec.baseline
        self.value: float = spec.baseline
        self.last_true: float = spec.baseline  # the true value at the latest sample (format 1)
        self.value_t = 0.0
        self.ramp: Ramp | None = None
        self.history: deque[float] = deque(maxlen=HISTORY)
        self.breached = False
        # Read once: the spec is frozen, and a sample reads these for every metric.
        self.noise: float = spec.noise
        self.slo_min: float | None = spec.slo.min if spec.slo is not None else None
        self.slo_max: float | None = spec.slo.max if spec.slo is not None else None
        self.thresholds: list[float] = [b for b in (self.slo_min, self.slo_max) if b is not None]
        # how near a bound a value counts as at it (``holds_after``), computed once per bound
        self.tol_min = tolerance(self.slo_min) if self.slo_min is not None else 0.0
        self.tol_max = tolerance(self.slo_max) if self.slo_max is not None else 0.0
        self.low = math.inf  # the lowest and highest displayed sample (format 2)
        self.high = -math.inf

    def at(self, t: float) -> float:
        ramp = self.ramp
        if ramp is None:
            return self.value
        if t >= ramp.t1:
            return ramp.v1
        if ramp.t1 <= ramp.t0:
            return ramp.v1
        return ramp.v0 + (ramp.v1 - ramp.v0) * (t - ramp.t0) / (ramp.t1 - ramp.t0)

    def slope(self, t: float) -> float:
        """The rate of change just after ``t`` (per second)."""
        ramp = self.ramp
        if ramp is None or t >= ramp.t1 or ramp.t1 <= ramp.t0:
            return 0.0
        return (ramp.v1 - ramp.v0) / (ramp.t1 - ramp.t0)

    def settle(self, t: float) -> None:
        """Fold a running ramp into the plain value at time t."""
        if self.ramp is not None:
            self.value = self.at(t)
            if t >= self.ramp.t1:
                self.ramp = None
        self.value_t = t

    def set_to(self, value: float, t: float) -> None:
        """Jump to ``value`` at ``t`` (a ``set`` or ``scale`` effect), ending a running ramp."""
        self.ramp = None
        self.value = value
        self.value_t = t

    def ramp_to(self, target: float, over: float, t: float, owner: str) -> None:
        """Move from the value at ``t`` to ``target`` in a straight line over ``over`` seconds (a ``ramp`` effect)."""
        current = self.at(t)
        self.value = current
        if over <= 0:
            self.ramp = None
            self.value = target
        else:
            self.ramp = Ramp(t, current, t + over, target, owner)
        self.value_t = t

    def cancel_ramp_of(self, owner: str, t: float) -> None:
        if self.ramp is not None and self.ramp.owner == owner:
            self.value = self.at(t)
            self.ramp = None

    def breach(self, value: float) -> str | None:
        """The SLO bound the value is outside of (``min`` or ``max``), or None."""
        if self.slo_min is not None and value < self.slo_min:
            return "min"
        if self.slo_max is not None and value > self.slo_max:
            return "max"
        return None

    def breach_after(self, t: float) -> str | None:
        """The SLO bound the metric is outside of just after ``t`` (at a bound, its slope decides)."""
        if self.ramp is None:  # a plain value (the usual case): no slope
            v, slope = self.value, 0.0
        else:
            v, slope = self.at(t), self.slope(t)
        # holds_after(operator.lt, v, slope, slo_min) and (operator.gt, ..., slo_max) inlined
        low = self.slo_min
        if low is not None and (v < low if abs(v - low) > self.tol_min else slope < 0):
            return "min"
        high = self.slo_max
        if high is not None and (v > high if abs(v - high) > self.tol_max else slope > 0):
            return "max"
        return None


def tolerance(threshold: float) -> float:
    """How near ``threshold`` a value counts as at it: ``EPS`` relative, at least ``EPS``."""
    return EPS * max(1.0, abs(threshold))


def holds_after(
    compare: Callable[[float, float], bool], v: float, slope: float, threshold: float, tol: float | None = None
) -> bool:
    """Whether ``compare(value, threshold)`` holds just after a moment when the value is ``v`` and moving
    at ``slope``: away from the threshold (farther than ``tol``, :func:`tolerance` unless given) the value
    decides, at the threshold the direction does: ``compare(slope, 0)`` (``>``: rising; ``<=``: not rising)."""
    if abs(v - threshold) > (tolerance(threshold) if tol is None else tol):
        return compare(v, threshold)
    return compare(slope, 0.0)


class MetricWatch:
    """A waiting trigger's metric condition: its hold time starts when it comes true and resets when it stops."""

    __slots__ = ("compare", "cond", "hold", "key", "metric", "pending", "threshold", "tol", "trigger_id")

    def __init__(self, pending: dict[str, Any], trigger_id: str, cond: MetricCondition, metric: MetricState) -> None:
        self.pending = pending  # the pending faults, injects or milestones; it waits while trigger_id is there
        self.trigger_id = trigger_id
        self.cond = cond
        self.key = id(cond)  # its key in Drill.held_since and Drill._unarmed
        self.metric = metric
        self.hold: float = cond.for_ or 0.0
        _, self.compare, self.threshold = cond.comparison()
        self.tol = tolerance(self.threshold)


def r4(value: float) -> float:
    """Round a metric value for the journal: 4 significant decimals is plenty for a dashboard."""
    return round(value, 4)


_TO_INTEGER = 6755399441055744.0
"""1.5 * 2**52: ``y + _TO_INTEGER - _TO_INTEGER`` is ``y`` rounded to a whole number, half to even (|y| < 2**51)."""


def round4(values: list[float]) -> list[float]:
    """``[round(v, 4) for v in values]``, the same floats, in fewer Python operations per value.

    ``round(v, 4)`` is the float nearest ``D / 10**4``, ``D`` the exact ``v * 10**4`` rounded half to even.
    ``r = fl(v * 1e4)`` rounded to a whole number is that ``D`` unless ``v * 10**4`` lies within a rounding
    error of a half, and then ``r / 1e4`` (a correctly rounded division) is that same float. So every value
    is checked: ``v`` within a hair less than half a step (0.5e-4) of ``r / 1e4`` means ``r`` is ``D``;
    otherwise, or for a negative value (``-0.0``) or a large one, the values go through ``round``."""
    return round4_range(values)[0]


def round4_range(values: list[float]) -> tuple[list[float], float, float]:
    """:func:`round4` of ``values``, with the lowest and highest of the rounded values. Rounding
    is monotonic, so in the fast path those are the lowest and highest value rounded: no pass over the
    rounded values."""
    if len(values) >= 8:
        magic = _TO_INTEGER
        out = [(v * 1e4 + magic - magic) / 1e4 for v in values]
        low, high = min(values), max(values)
        if low >= 0.0 and high < 1e6 and max(map(abs, map(operator.sub, values, out))) < 0.49999e-4:
            return out, (low * 1e4 + magic - magic) / 1e4, (high * 1e4 + magic - magic) / 1e4
    out = [round(v, 4) for v in values]
    return out, min(out, default=math.inf), max(out, default=-math.inf)


def _round_seconds(seconds: float) -> float:
    """``round(seconds, 3)``. Format-1 samples come every whole SAMPLE_EVERY seconds, so time outside an SLO
    is a whole number of seconds, which rounds to itself: skip round(), the costliest call of a sample."""
    return seconds if seconds.is_integer() else round(seconds, 3)


def clipped_integral(f0: float, f1: float, length: float) -> float:
    """The integral over ``length`` seconds of a quantity going linearly from ``f0`` to ``f1``, clipped to 0..1."""
    if length <= 0:
        return 0.0
    if f0 == f1:
        return min(1.0, max(0.0, f0)) * length
    slope = (f1 - f0) / length
    cuts = [0.0, length]
    for level in (0.0, 1.0):
        x = (level - f0) / slope
        if 0.0 < x < length:
            cuts.append(x)
    cuts.sort()
    total = 0.0
    for a, b in itertools.pairwise(cuts):
        mid = f0 + slope * (a + b) / 2
        total += min(1.0, max(0.0, mid)) * (b - a)
    return total


def revenue_metrics(drill: Drill) -> list[tuple[MetricState, float]]:
    """The metrics revenue follows (``business.follows``), each with its share of revenue; none without
    revenue. A metric with a zero baseline cannot fall short of it and is left out."""
    business = drill.scenario.business
    if not business.revenue_per_minute:
        return []
    found = [(drill.metrics.get(m), share) for m, share in business.shares.items()]
    return [(state, share) for state, share in found if state is not None and state.baseline]


# --------------------------------------------------------------------------- format 2


class RampSampler:
    """The drill's metrics in journal formats 2 and 3 (see the module docstring)."""

    def __init__(self, drill: Drill, journal_format: int = FORMAT) -> None:
        self.drill = drill
        # the samples a block holds before a real record writes it: format 2 writes them before every record
        self.block_min = 1 if journal_format == 2 else BLOCK_MIN
        self.states = list(drill.metrics.values())
        self.ids = [s.id for s in self.states]
        self.with_slo = [s for s in self.states if s.thresholds]
        # per metric, its own noise generator: samples do not depend on when they are computed
        self.noise = [random.Random(f"{drill.seed}:noise:{s.id}") for s in self.states]
        # per metric, (its generator's random, -noise, 2 * noise) or None without noise: a sample's noise is
        # uniform(-noise, noise) inlined, -noise + 2 * noise * random()
        self.draws = [
            (rng.random, -s.noise, s.noise - -s.noise) if s.noise else None
            for s, rng in zip(self.states, self.noise, strict=True)
        ]
        self.columns: list[list[float]] = [[] for _ in self.states]
        self.next_k = 0  # index of the next sample to compute
        self.block_k = 0  # index of the first sample not yet written
        self.at_record_k = 0  # the samples before the latest record that had a sample since the one before it
        self.record_mark = 0.0
        """``at_record_k * SAMPLE_EVERY``: a record at or before it has nothing to do here (the drill asks first)."""
        self.t_int = 0.0  # impact is integrated up to this time
        self.revenue_per_minute = drill.scenario.business.revenue_per_minute
        self.revenue_metrics = revenue_metrics(drill)
        self.wake_at = math.inf
        self.updating = False
        self.again = False
        self.started = False

    # ------------------------------------------------------------------ the drill's calls

    def start(self) -> None:
        """Watch thresholds, schedule the not_by times, and the first look at t=0 (after the t=0 faults)."""
        drill = self.drill
        for watch in drill._metric_watches:
            watch.metric.thresholds.append(watch.threshold)
        env = drill.env
        for due in sorted({w.due for w in drill._deadline_watches}):
            env.timeout(max(0.0, due - env.now)).callbacks.append(self._deadline)
        env.timeout(0).callbacks.append(self._first_look)

    def before_change(self, t: float) -> None:
        """A metric is about to change at ``t``: samples before ``t`` and impact up to ``t`` use the old values."""
        self.sample_until(t)
        self.integrate_until(t)

    def changed(self, t: float) -> None:
        """A metric changed at ``t``: new SLO states, conditions, and the next moment to look again."""
        if self.started:
            self.update(t)

    def before_record(self, t: float) -> None:
        """A real record is about to be written at ``t``: the block of samples before it goes first once it
        holds ``block_min`` samples (format 2: any); until then they wait (a metric about to change computes
        them first)."""
        if t <= self.record_mark:  # no sample since the previous record that had one before it
            return
        k = math.floor(t / SAMPLE_EVERY)
        self.at_record_k = k = k if k * SAMPLE_EVERY >= t else k + 1
        self.record_mark = k * SAMPLE_EVERY
        if t > (self.block_k + self.block_min - 1) * SAMPLE_EVERY:  # that many samples are due before t
            self.sample_until(t)
            if self.next_k > self.block_k:
                self.flush(t)
        elif t > self.t_int:
            # impact integrated up to t where format 2 wrote a block (and integrated): the same sums, to the last bit
            self.integrate_until(t)

    def finish(self, t: float) -> None:
        """The drill ends at ``t``: the samples up to and including ``t``, impact up to ``t``, the last block."""
        self.sample_until(t, inclusive=True)
        self.integrate_until(t)
        self.flush(t)

    def catch_up(self, t: float) -> None:
        """A UI looks at the drill: the samples before ``t`` (they go into the next block unchanged)."""
        self.sample_until(t)

    def totals(self, t: float) -> tuple[float, dict[str, float]]:
        """Revenue lost and seconds outside each SLO up to ``t``, without committing them (a view)."""
        drill = self.drill
        dt = max(0.0, t - self.t_int)
        outside = {s.id: drill.outside_slo[s.id] + (dt if s.breached else 0.0) for s in self.states}
        return drill.revenue_lost + self._revenue(self.t_int, t), outside

    # ------------------------------------------------------------------ samples

    def sample_until(self, t: float, inclusive: bool = False) -> None:
        """Compute the samples at ``k * SAMPLE_EVERY`` before ``t`` (or at ``t`` too), one loop per metric."""
        k0 = self.next_k
        k1 = math.floor(t / SAMPLE_EVERY)
        if not inclusive and k1 * SAMPLE_EVERY >= t:
            k1 -= 1
        if k1 < k0:
            return
        while k1 - self.block_k + 1 > BLOCK_MAX:  # a quiet hour: its samples go out as one record
            cut = self.block_k + BLOCK_MAX - 1
            self._compute(k0, cut)
            k0 = cut + 1
            self.flush(cut * SAMPLE_EVERY)
        self._compute(k0, k1)

    def _compute(self, k0: int, k1: int) -> None:
        """The samples ``k0..k1`` of every metric (the metrics are each one straight line over them)."""
        if k1 < k0:
            return
        n = k1 - k0 + 1
        every = SAMPLE_EVERY
        start = k0 * every
        for state, column, draw in zip(self.states, self.columns, self.draws, strict=True):
            ramp = state.ramp
            if ramp is None or ramp.t1 <= start:
                true = state.value if ramp is None else ramp.v1
                if draw is None:  # no noise, a flat line: one value
                    value = round(true, 4)
                    shown = [value] * n
                    column.extend(shown)
                    state.history.extend(shown if n < HISTORY else shown[:HISTORY])
                    if value < state.low:
                        state.low = value
                    if value > state.high:
                        state.high = value
                    continue
                # uniform(-noise, noise) inlined: -noise + 2 * noise * random()
                rnd, low, span = draw
                shown, low, high = round4_range([true * (1 + (low + span * rnd())) for _ in range(n)])
            else:
                t0, v0, t1, v1 = ramp.t0, ramp.v0, ramp.t1, ramp.v1
                dv, dt = v1 - v0, t1 - t0
                # the samples on the ramp, then those at its end (k * every >= t1)
                k_end = min(k1 + 1, max(k0, math.ceil(t1 / every)))
                while k_end > k0 and (k_end - 1) * every >= t1:
                    k_end -= 1
                while k_end <= k1 and k_end * every < t1:
                    k_end += 1
                trues = [v0 + dv * (k * every - t0) / dt for k in range(k0, k_end)]
                if k_end <= k1:
                    trues.extend([v1] * (k1 + 1 - k_end))
                if draw is None:
                    shown, low, high = round4_range(trues)
                else:
                    rnd, low, span = draw
                    shown, low, high = round4_range([true * (1 + (low + span * rnd())) for true in trues])
            column.extend(shown)
            state.history.extend(shown if n < HISTORY else shown[-HISTORY:])
            if low < state.low:
                state.low = low
            if high > state.high:
                state.high = high
        self.next_k = k1 + 1

    def flush(self, t: float) -> None:
        """Write the computed samples as one ``metric_samples`` record at ``t`` (with the totals up to ``t``)."""
        drill = self.drill
        if t > self.t_int:
            self.integrate_until(t)
        record: Record = {
            "seq": drill._seq,
            "t": t,
            "type": "metric_samples",
            "from": self.block_k * SAMPLE_EVERY,
            "every": SAMPLE_EVERY,
            "values": dict(zip(self.ids, self.columns, strict=True)),
            "revenue_lost": round(drill.revenue_lost, 2),
            "outside_slo": {mid: round(v, 3) for mid, v in drill.outside_slo.items()},
            "range": {s.id: [s.low, s.high] for s in self.states if s.low <= s.high},
        }
        self.columns = [[] for _ in self.ids]
        self.block_k = self.next_k
        drill._seq += 1
        if drill.journal is not None:
            drill.journal.write(record)
            # in memory, a block keeps its totals only: the samples are on disk, and memory stays flat;
            # its totals are cumulative, so a block right after another (a quiet hour) replaces it
            record = {**record, "values": {}}
            last = drill.records[-1] if drill.records else None
            if last is not None and last["type"] == "metric_samples":
                drill.records[-1] = record
                return
        drill.records.append(record)

    # ------------------------------------------------------------------ impact

    def integrate_until(self, t: float) -> None:
        a = self.t_int
        if t <= a:
            return
        drill = self.drill
        outside = drill.outside_slo
        for state in self.with_slo:
            if state.breached:
                outside[state.id] += t - a
        if self.revenue_metrics:
            lost = self._revenue(a, t)
            if lost:  # (adding 0.0 changes nothing: the sums stay the same to the last bit)
                drill.revenue_lost += lost
        self.t_int = t

    def _revenue(self, a: float, b: float) -> float:
        if b <= a:
            return 0.0
        total = 0.0
        for follows, share in self.revenue_metrics:
            base = follows.baseline
            ramp = follows.ramp
            if ramp is None or ramp.t1 <= a:  # a flat stretch (the usual case): one rectangle
                # (follows.at(a) and clipped_integral(f, f, b - a) inlined: the same operations)
                f = (base - (follows.value if ramp is None else ramp.v1)) / base
                if f > 0.0:
                    total += share * ((f if f < 1.0 else 1.0) * (b - a))
                continue
            pieces = [a, b]
            if a < ramp.t1 < b:
                pieces.insert(1, ramp.t1)
            for x, y in itertools.pairwise(pieces):
                total += share * clipped_integral((base - follows.at(x)) / base, (base - follows.at(y)) / base, y - x)
        return self.revenue_per_minute * total / 60.0

    # ------------------------------------------------------------------ crossings and conditions

    def _first_look(self, _event: simpy.Event) -> None:
        self.started = True
        if not self.drill.ended:
            self.update(self.drill.now)

    def _wake(self, event: simpy.Event) -> None:
        if event.value != self.wake_at:  # an earlier look already moved the next one
            return
        self.wake_at = math.inf
        if not self.drill.ended:
            self.update(self.drill.now)

    def _deadline(self, _event: simpy.Event) -> None:
        drill = self.drill
        if drill.ended:
            return
        if drill._check_deadlines(drill.now):
            drill._check_event_triggers()

    def update(self, t: float) -> None:
        """SLO breaches and restores, metric conditions held long enough, and when to look next."""
        if self.updating:
            self.again = True
            return
        self.updating = True
        try:
            self.again = True
            while self.again and not self.drill.ended:
                self.again = False
                self._update(t)
        finally:
            self.updating = False

    def _update(self, t: float) -> None:
        drill = self.drill
        self.integrate_until(t)
        ended = [state for state in self.states if state.ramp is not None and state.ramp.t1 <= t + EPS]
        if ended:
            self.sample_until(t)  # the samples before t as the ramps gave them (the rest wait: nothing else here
            for state in ended:  # changes a sample)
                state.settle(max(t, state.ramp.t1))
        for state in self.with_slo:
            bound = state.breach_after(t)
            if (bound is not None) != state.breached:
                state.breached = bound is not None
                value = r4(state.at(t))
                if bound is not None:
                    drill._emit("metric_breach", metric=state.id, value=value, bound=bound)
                else:
                    drill._emit("metric_restored", metric=state.id, value=value)
        held, unarmed = drill.held_since, drill._unarmed
        held_long_enough = False
        for watch in drill._metric_watches:
            if watch.trigger_id not in watch.pending:
                continue
            metric = watch.metric
            key = watch.key
            ramp = metric.ramp
            if ramp is None:  # a plain value: holds_after(..., metric.value, 0.0, ...) inlined
                compare, threshold = watch.compare, watch.threshold
                holds = (
                    compare(metric.value, threshold) if abs(metric.value - threshold) > watch.tol else compare(0.0, 0.0)
                )
            else:
                holds = holds_after(watch.compare, metric.at(t), metric.slope(t), watch.threshold, watch.tol)
            if holds:
                since = held.get(key)
                if since is None and key not in unarmed:
                    held[key] = since = t
                if since is not None and t - since >= watch.hold - EPS:
                    held_long_enough = True
            else:
                held[key] = None
                unarmed.discard(key)
        if held_long_enough:
            drill._check_event_triggers()
        self._schedule(t)

    def _schedule(self, t: float) -> None:
        """Look again at the first ramp end, threshold crossing or hold time after ``t``."""
        drill = self.drill
        best = math.inf
        for state in self.states:
            ramp = state.ramp
            if ramp is None:
                continue
            if ramp.t1 < best:
                best = ramp.t1
            slope = (ramp.v1 - ramp.v0) / (ramp.t1 - ramp.t0)
            if slope:
                for threshold in state.thresholds:
                    crossing = ramp.t0 + (threshold - ramp.v0) / slope
                    if t + EPS < crossing < best:
                        best = crossing
        held = drill.held_since
        for watch in drill._metric_watches:
            since = held.get(watch.key)
            if since is not None and watch.hold and watch.trigger_id in watch.pending:
                due = since + watch.hold
                if t + EPS < due < best:
                    best = due
        if best < self.wake_at or (best != math.inf and self.wake_at <= t):
            self.wake_at = best
            env = drill.env
            env.timeout(max(0.0, best - env.now), value=best).callbacks.append(self._wake)


# --------------------------------------------------------------------------- format 1


class SampledMonitor:
    """The drill's metrics in journal format 1: a SimPy process samples them every ``SAMPLE_EVERY`` seconds."""

    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.outside_shown = dict.fromkeys(drill.scenario.metrics, 0.0)
        self.revenue_shown = 0.0
        self.revenue_per_minute = drill.scenario.business.revenue_per_minute
        self.revenue_metrics = revenue_metrics(drill)
        self.last_tick: float | None = None
        self.record_mark = math.inf  # before_record has nothing to do

    def start(self) -> None:
        self.drill.env.process(self._monitor())

    def before_change(self, t: float) -> None:
        pass

    def changed(self, t: float) -> None:
        pass

    def before_record(self, t: float) -> None:
        pass

    def finish(self, t: float) -> None:
        pass

    def catch_up(self, t: float) -> None:
        pass

    def totals(self, t: float) -> tuple[float, dict[str, float]]:
        return self.drill.revenue_lost, dict(self.drill.outside_slo)

    def _monitor(self) -> Generator[simpy.Event, Any, None]:
        drill = self.drill
        while not drill.ended:
            self._tick()
            yield drill.env.timeout(SAMPLE_EVERY)

    def _tick(self) -> None:
        """One metric sample: integrate impact since the last one, check SLOs, record the displayed values."""
        drill = self.drill
        t = drill.now
        dt = 0.0 if self.last_tick is None else t - self.last_tick
        self.last_tick = t
        if dt:
            self._integrate_impact(dt)
        values: dict[str, float] = {}
        uniform = drill.rng.uniform
        for state in drill.metrics.values():
            true = state.at(t)
            state.last_true = true
            if (state.breach(true) is not None) != state.breached:
                self._slo_crossed(state, true)
            noise = state.noise
            shown = r4(true * (1 + uniform(-noise, noise)) if noise else true)
            values[state.id] = shown
            state.history.append(shown)
        # what _emit("metric_sample", ...) writes, built directly: it is most of the journal
        drill._append(
            {
                "seq": drill._seq,
                "t": t,
                "type": "metric_sample",
                "values": values,
                "revenue_lost": self.revenue_shown,
                "outside_slo": dict(self.outside_shown),
            }
        )
        # Only a condition that can come true with time alone can have come true since the triggers were
        # last checked: a condition on a milestone, an action, a clock or a decision (or a not_by condition
        # past its time) changes only when something happens, and everything that happens checks them.
        metric_held = self._check_metric_triggers(t)
        deadline_came = drill._check_deadlines(t)
        if metric_held or deadline_came:
            drill._check_event_triggers()

    def _integrate_impact(self, dt: float) -> None:
        """Add the interval since the last sample, with each metric as it was then (left rectangles)."""
        drill = self.drill
        for state in drill.metrics.values():
            if state.breached:
                outside = drill.outside_slo[state.id] + dt
                drill.outside_slo[state.id] = outside
                self.outside_shown[state.id] = _round_seconds(outside)
        for follows, share in self.revenue_metrics:
            shortfall = max(0.0, (follows.baseline - follows.last_true) / follows.baseline)
            if shortfall:  # otherwise nothing is lost
                drill.revenue_lost += self.revenue_per_minute * share * min(1.0, shortfall) * dt / 60.0
                self.revenue_shown = round(drill.revenue_lost, 2)

    def _slo_crossed(self, state: MetricState, true: float) -> None:
        """The metric just left or came back within its SLO."""
        bound = state.breach(true)
        state.breached = bound is not None
        if bound is not None:
            self.drill._emit("metric_breach", metric=state.id, value=r4(true), bound=bound)
        else:
            self.drill._emit("metric_restored", metric=state.id, value=r4(true))

    def _check_metric_triggers(self, t: float) -> bool:
        """Start or reset the hold time of each waiting metric condition on the values just sampled;
        whether one of them has now held long enough (so it is true)."""
        drill = self.drill
        held, unarmed = drill.held_since, drill._unarmed
        held_long_enough = False
        for watch in drill._metric_watches:
            if watch.trigger_id not in watch.pending:
                continue
            key = watch.key
            if watch.compare(watch.metric.last_true, watch.threshold):
                since = held.get(key)
                if since is None and key not in unarmed:
                    held[key] = since = t
                if since is not None and t - since >= watch.hold:
                    held_long_enough = True
            else:
                held[key] = None
                unarmed.discard(key)
        return held_long_enough


def make_sampler(drill: Drill, journal_format: int) -> RampSampler | SampledMonitor:
    """The metrics engine of a journal format (1: sampled, 2: ramps solved exactly)."""
    if journal_format == 1:
        return SampledMonitor(drill)
    if journal_format in FORMATS:
        return RampSampler(drill, journal_format)
    known = ", ".join(str(f) for f in FORMATS)
    raise ValueError(f"journal format {journal_format} is not one this drillsim knows ({known})")


def samples_of(records: list[Record]) -> list[Record]:
    """The metric samples of a journal of either format, one ``metric_sample``-shaped dict each: ``t`` and
    ``values``; the last sample of a format-2 block also carries the block's ``revenue_lost``,
    ``outside_slo`` and ``range`` (lowest and highest sample so far, per metric). A block kept in memory
    without its samples gives one such dict with no values."""
    out: list[Record] = []
    for record in records:
        kind = record.get("type")
        if kind == "metric_sample":
            out.append(record)
        elif kind == "metric_samples":
            columns: dict[str, list[float]] = record.get("values") or {}
            start, every = float(record.get("from", record["t"])), float(record.get("every", SAMPLE_EVERY))
            n = max((len(c) for c in columns.values()), default=0)
            rows: list[Record] = [
                {"t": start + i * every, "values": {m: c[i] for m, c in columns.items() if i < len(c)}}
                for i in range(n)
            ]
            if not rows:
                rows.append({"t": record["t"], "values": {}})
            rows[-1].update(
                revenue_lost=record.get("revenue_lost", 0.0),
                outside_slo=record.get("outside_slo") or {},
                range=record.get("range") or {},
            )
            out.extend(rows)
    return out
