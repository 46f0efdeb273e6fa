"""What-if analysis: many headless drills of one scenario, and the statistics of their outcomes.

``simulate(scenario, rosters, runs, seed=S, jobs=J)`` plays ``runs`` autoplay drills per
roster, and per what-if variant (``variants=``, see :mod:`simulator.variants`: the first
roster and the scenario with a few settings changed, as a column of its own), with seeds
derived from ``S`` (:func:`derive_seeds`), spread over ``J`` worker processes in chunks of
seeds. Each worker gets the scenario and rosters once (pool
initializer); every drill runs in memory (``journal=None``) and only a small
:class:`RunSummary` comes back, so memory stays flat as ``runs`` grows. Results are
ordered by run index, never by completion order, and every drill has its own seeded
generator: the same seed gives the same results whatever ``jobs`` is.

:func:`aggregate` turns the runs into the median, p10, p90 of each milestone's time from
impact (a milestone never reached counts as +infinity: later than any reached one) and
the probability of meeting each target (never reached = not met), with a Wilson 95%
interval. :func:`par_median` is the playbook policy's median, cached on disk.

The 0-100 score comes from a ``scorer``: any ``callable(records) -> float`` the caller
passes (``reports`` provides one); ``simulator`` never imports ``reports``. Without a
scorer the score column is empty. A ``measure`` (``callable(records) -> {name: seconds or
None}``) adds any other numbers per run (``reports.par`` measures every scorecard interval
for par). With ``jobs > 1`` both must be module-level functions (they are sent to the workers).

Pure and headless: no pandas, no matplotlib (``reports/whatif_render.py`` draws).

It is long because it is the what-if pipeline in the order it runs: one run and its summary,
the workers, the simulation (local processes or any ``concurrent.futures`` executor such as Dask's,
shards and their merge), the statistics, and par. Each stage uses only the one before; ``RunColumns``
is shared by the workers, the merge and the statistics.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import signal
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim import __version__
from drillsim.simulator.engine import Drill
from drillsim.simulator.metrics import FORMAT as JOURNAL_FORMAT
from drillsim.simulator.model import PlaybookStep, Roster, Scenario
from drillsim.simulator.policies import POLICY_NAMES, Policy, ScriptedPolicy, autoplay, make_policy
from drillsim.simulator.stats import quantile
from drillsim.simulator.variants import Variant, apply_variant

SEED_STRIDE = 1_000_003
"""Run ``i`` of a simulation with seed ``S`` plays the drill seed ``S * SEED_STRIDE + i``."""
QUANTILES = (0.1, 0.5, 0.9)
MAX_CHUNK = 200
"""Most drills a worker plays per task (smaller chunks: smoother progress, more messages)."""
PAR_RUNS = 101
"""Default number of playbook drills behind :func:`par_median`."""

Scorer = Callable[[list[dict[str, Any]]], float]
Measure = Callable[[list[dict[str, Any]]], Mapping[str, float | None]]
Progress = Callable[[int, int], None]


class SimulationError(RuntimeError):
    """A drill failed inside the simulation (an engine or scenario bug, not a user mistake)."""


# --------------------------------------------------------------------------- one run


@dataclass(frozen=True)
class MilestoneTarget:
    id: str
    label: str
    target: float | None
    """Seconds from impact; None when the milestone has no target."""


def milestone_targets(scenario: Scenario) -> list[MilestoneTarget]:
    """The scenario's scored milestones in definition order, with their labels and targets."""
    return [MilestoneTarget(mid, spec.label or mid, spec.target) for mid, spec in scenario.scoring.milestones.items()]


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one drill leaves behind: a few numbers, not its journal."""

    roster: str
    run: int
    seed: int
    impact_started_at: float | None
    """Sim seconds when impact started; None when no impact fault fired (milestones are then timed from 0)."""
    intervals: tuple[float | None, ...]
    """Seconds from impact to each milestone of :func:`milestone_targets` (same order); None = never reached."""
    revenue_lost: float
    penalties: int
    score: float | None
    end_reason: str | None
    measures: tuple[tuple[str, float | None], ...] = ()
    """What the simulation's ``measure`` returned for this drill, as (name, value) pairs; empty without one."""


def derive_seeds(seed: int, runs: int) -> list[int]:
    """The drill seeds of a simulation: ``seed * SEED_STRIDE + i`` for run ``i``."""
    return [seed * SEED_STRIDE + i for i in range(runs)]


class RunColumns:
    """One roster's runs stored by column as they arrive: 8-byte numbers, not a :class:`RunSummary` each.

    Slot ``i`` holds run ``first + i``; a run is stored once, in any order (chunks arrive by completion).
    ``None`` is kept as NaN. Iterating rebuilds the :class:`RunSummary` objects in run order (for
    ``runs.csv`` and tests); the statistics read the columns (:meth:`numbers`). About 8 bytes per number
    per drill, where a kept ``RunSummary`` costs some hundreds: the parent's memory stays flat as the
    number of drills grows.
    """

    def __init__(self, roster: str, first: int, count: int, milestones: int) -> None:
        self.roster = roster
        self.first = first
        self.count = count
        self.filled = bytearray(count)
        self.stored = 0
        self.seed = array("q", bytes(8 * count))
        self.impact_started_at = array("d", [math.nan]) * count
        self.intervals = [array("d", [math.nan]) * count for _ in range(milestones)]
        self.revenue_lost = array("d", bytes(8 * count))
        self.penalties = array("q", bytes(8 * count))
        self.score = array("d", [math.nan]) * count
        self.end_reason = array("H", bytes(2 * count))
        self._reasons: list[str | None] = [None]
        self.measures: dict[str, array[float]] = {}

    def add(self, summary: RunSummary) -> None:
        """Store one run; raises ``ValueError`` for a run outside the slice or stored already."""
        i = summary.run - self.first
        if not 0 <= i < self.count or self.filled[i]:
            raise ValueError(f"roster '{self.roster}': run {summary.run} is twice in the runs or beyond the slice")
        self.filled[i] = 1
        self.stored += 1
        self.seed[i] = summary.seed
        self.impact_started_at[i] = _nan(summary.impact_started_at)
        for column, value in zip(self.intervals, summary.intervals, strict=True):
            column[i] = _nan(value)
        self.revenue_lost[i] = summary.revenue_lost
        self.penalties[i] = summary.penalties
        self.score[i] = _nan(summary.score)
        if summary.end_reason not in self._reasons:
            self._reasons.append(summary.end_reason)
        self.end_reason[i] = self._reasons.index(summary.end_reason)
        for name, value in summary.measures:
            column = self.measures.get(name)
            if column is None:
                column = self.measures[name] = array("d", [math.nan]) * self.count
            column[i] = _nan(value)

    def missing(self) -> list[int]:
        """The run indices not stored yet."""
        return [self.first + i for i, flag in enumerate(self.filled) if not flag]

    def numbers(self, column: array[float]) -> list[float | None]:
        """A column of the stored runs in run order, NaN read back as None."""
        return [None if v != v else v for v, flag in zip(column, self.filled, strict=True) if flag]

    def __len__(self) -> int:
        return self.stored

    def __iter__(self) -> Iterator[RunSummary]:
        for i, flag in enumerate(self.filled):
            if not flag:
                continue
            yield RunSummary(
                roster=self.roster,
                run=self.first + i,
                seed=self.seed[i],
                impact_started_at=_none(self.impact_started_at[i]),
                intervals=tuple(_none(column[i]) for column in self.intervals),
                revenue_lost=self.revenue_lost[i],
                penalties=self.penalties[i],
                score=_none(self.score[i]),
                end_reason=self._reasons[self.end_reason[i]],
                measures=tuple((name, _none(column[i])) for name, column in self.measures.items()),
            )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RunColumns | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _none(value: float) -> float | None:
    return None if value != value else value


def summarize_drill(
    drill: Drill,
    roster_id: str,
    run: int,
    milestones: Sequence[str],
    scorer: Scorer | None = None,
    measure: Measure | None = None,
) -> RunSummary:
    """The :class:`RunSummary` of an ended drill."""
    anchor = drill.impact_started_at if drill.impact_started_at is not None else 0.0
    intervals = tuple(None if (t := drill.milestones.get(mid)) is None else round(t - anchor, 3) for mid in milestones)
    score = None if scorer is None else round(float(scorer(drill.records)), 3)
    measures = () if measure is None else tuple(_measured(measure(drill.records)))
    return RunSummary(
        roster=roster_id,
        run=run,
        seed=drill.seed,
        impact_started_at=None if drill.impact_started_at is None else round(drill.impact_started_at, 3),
        intervals=intervals,
        revenue_lost=round(drill.revenue_lost, 2),
        penalties=int(drill.penalty_points),
        score=score,
        end_reason=drill.end_reason,
        measures=measures,
    )


def _measured(values: Mapping[str, float | None]) -> Iterator[tuple[str, float | None]]:
    for name, value in values.items():
        yield str(name), None if value is None else round(float(value), 3)


@dataclass(frozen=True)
class PolicySpec:
    """A policy the workers can rebuild for each drill: a built-in name, or a script's steps read once."""

    name: str
    steps: tuple[PlaybookStep, ...] | None = None

    @classmethod
    def resolve(cls, spec: str, scenario: Scenario) -> PolicySpec:
        """Check ``spec`` now (raises ``PolicyError``) so that no worker discovers a bad policy."""
        if spec in POLICY_NAMES:
            return cls(spec)
        policy = make_policy(spec, scenario, 0)  # validates the file and its action ids
        assert isinstance(policy, ScriptedPolicy)
        return cls(policy.name, tuple(policy.steps))

    def make(self, scenario: Scenario, seed: int) -> Policy:
        if self.steps is None:
            return make_policy(self.name, scenario, seed)
        return ScriptedPolicy(list(self.steps), name=self.name)


def play_one(scenario: Scenario, roster: Roster, seed: int, policy: PolicySpec) -> Drill:
    """One in-memory autoplay drill."""
    chosen = policy.make(scenario, seed)
    drill = Drill(scenario, roster, seed, policy=chosen.name, journal=None)
    return autoplay(drill, chosen)


# --------------------------------------------------------------------------- workers


@dataclass
class _Job:
    scenario: Scenario
    rosters: list[Roster]
    policy: PolicySpec
    scorer: Scorer | None
    measure: Measure | None = None
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    """Roster id -> the scenario it plays when not ``scenario`` (a variant's)."""
    milestones: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.milestones = [m.id for m in milestone_targets(self.scenario)]

    def run_chunk(self, roster_index: int, runs: Sequence[int], seeds: Sequence[int]) -> list[RunSummary]:
        roster = self.rosters[roster_index]
        scenario = self.scenarios.get(roster.id, self.scenario)
        out = []
        for run, seed in zip(runs, seeds, strict=True):
            try:
                drill = play_one(scenario, roster, seed, self.policy)
                out.append(summarize_drill(drill, roster.id, run, self.milestones, self.scorer, self.measure))
            except Exception as exc:
                raise SimulationError(
                    f"drill {run} (seed {seed}, roster {roster.id}) failed: {type(exc).__name__}: {exc}"
                ) from exc
        return out


_WORKER_JOB: _Job | None = None


def _init_worker(job: _Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job
    # Ctrl-C is the parent's to handle: it cancels the pending chunks; a worker finishes its chunk and exits quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_chunk(roster_index: int, runs: list[int], seeds: list[int]) -> list[RunSummary]:
    assert _WORKER_JOB is not None, "worker not initialised"
    return _WORKER_JOB.run_chunk(roster_index, runs, seeds)


def _job_chunk(job: _Job, roster_index: int, runs: list[int], seeds: list[int]) -> list[RunSummary]:
    """One chunk on any executor's worker (a Dask cluster's): the job comes with the task."""
    return job.run_chunk(roster_index, runs, seeds)


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


def chunk_size(runs: int, jobs: int) -> int:
    """Drills per task: about 8 tasks per worker per roster, at most :data:`MAX_CHUNK`."""
    return max(1, min(MAX_CHUNK, math.ceil(runs / (jobs * 8))))


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- a simulation


@dataclass
class Simulation:
    """The runs of one simulation, per roster, ordered by run index."""

    scenario: Scenario
    rosters: list[Roster]
    policy: str
    seed: int
    runs: int
    milestones: list[MilestoneTarget]
    results: dict[str, RunColumns]
    """Roster id -> its runs (by column; iterating gives them in run order, run 0 first)."""
    scored: bool
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    """Roster id -> the scenario it played (the variants' changed copies too)."""
    variants: dict[str, Variant] = field(default_factory=dict)
    """Roster id of a variant's column -> the variant."""
    shard: tuple[int, int] | None = None
    """(k, n) when only the k-th of n slices of the runs was played (``results`` hold those runs)."""

    def scenario_of(self, roster_id: str) -> Scenario:
        return self.scenarios.get(roster_id, self.scenario)

    def all_runs(self) -> Iterator[RunSummary]:
        """Every run, roster by roster, in run order (rebuilt from the columns one at a time)."""
        for roster in self.rosters:
            yield from self.results[roster.id]


IN_FLIGHT = 4
"""Chunks handed to each worker ahead of time: enough to keep it busy, few enough that the parent holds little."""


def _drain(
    executor: Executor,
    submit: Callable[[tuple[int, list[int], list[int]]], Future[list[RunSummary]]],
    tasks: Iterator[tuple[int, list[int], list[int]]],
    jobs: int,
    store: Callable[[int, list[RunSummary]], None],
) -> None:
    """Run ``tasks`` on ``executor``, at most ``jobs * IN_FLIGHT`` at a time, storing each chunk as it arrives.

    The parent holds the chunks in flight and the columns, never a list of every task or result.
    """
    pending: dict[Future[list[RunSummary]], int] = {}
    try:
        for task in tasks:
            pending[submit(task)] = task[0]
            while len(pending) >= jobs * IN_FLIGHT:
                _collect(pending, store)
        while pending:
            _collect(pending, store)
    except BaseException:
        for future in pending:
            future.cancel()
        raise


def _collect(pending: dict[Future[list[RunSummary]], int], store: Callable[[int, list[RunSummary]], None]) -> None:
    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in finished:
        store(pending.pop(future), future.result())


def simulate(
    scenario: Scenario,
    rosters: Sequence[Roster],
    runs: int,
    *,
    seed: int = 0,
    policy: str | PolicySpec = "playbook",
    jobs: int = 1,
    scorer: Scorer | None = None,
    measure: Measure | None = None,
    variants: Sequence[Variant] = (),
    progress: Progress | None = None,
    executor: Executor | None = None,
    shard: tuple[int, int] | None = None,
    merged: Mapping[str, Sequence[RunSummary]] | None = None,
) -> Simulation:
    """Play ``runs`` drills per roster and per variant and return them ordered by run; see the module docstring.

    Each variant is applied to ``scenario`` and the first roster and becomes a column named
    by its id, after the rosters. Raises ``ValueError`` for ``runs < 1``, ``jobs < 1``, no
    roster, two columns with one id, ``VariantError`` (a ``ValueError``) for a variant that
    does not apply, ``PolicyError`` for a bad policy, :class:`SimulationError` when a drill fails.

    ``executor``: any ``concurrent.futures.Executor`` to run the chunks on instead of local worker
    processes, such as a Dask cluster's (``distributed.Client(address).get_executor()``); ``jobs`` is
    then how many chunks it runs at once (it sets the chunk size). Each chunk carries the job (the
    scenario, rosters and policy, some kilobytes pickled) and returns its few numbers per drill, stored
    by run index as it arrives: the same seeds give the same results as a local run.

    ``shard=(k, n)`` plays only the k-th of n equal slices of the run indices (1-based), with the seeds
    they have in the whole simulation; ``merged`` (roster id -> runs, e.g. the shards' runs.csv read
    back) plays nothing and takes those runs instead, which must be every run index exactly once:
    shards played on separate machines merge into the simulation one machine would have played.
    """
    if runs < 1:
        raise ValueError("the number of runs must be at least 1")
    if jobs < 1:
        raise ValueError("the number of jobs must be at least 1")
    rosters = list(rosters)
    if not rosters:
        raise ValueError("at least one roster is needed")
    scenarios = {r.id: scenario for r in rosters}
    by_id: dict[str, Variant] = {}
    for variant in variants:
        changed_scenario, changed_roster = apply_variant(variant, scenario, rosters[0])
        rosters.append(changed_roster)
        scenarios[changed_roster.id] = changed_scenario
        by_id[changed_roster.id] = variant
    ids = [r.id for r in rosters]
    if len(set(ids)) != len(ids):
        raise ValueError(f"a roster is named twice: {', '.join(sorted({i for i in ids if ids.count(i) > 1}))}")
    spec = policy if isinstance(policy, PolicySpec) else PolicySpec.resolve(policy, scenario)
    job = _Job(scenario, rosters, spec, scorer, measure, {rid: s for rid, s in scenarios.items() if s is not scenario})
    wanted = range(runs)
    if shard is not None:
        k, n = shard
        if not 1 <= k <= n:
            raise ValueError(f"shard {k}/{n}: K must be between 1 and N")
        wanted = range((k - 1) * runs // n, k * runs // n)
        if not wanted:
            raise ValueError(f"shard {k}/{n} of {runs} runs has no runs: use fewer shards")
    if merged is not None:
        wanted = range(runs)
    total = len(wanted) * len(rosters)
    jobs = min(jobs, total)
    size = chunk_size(len(wanted), jobs)
    milestones = milestone_targets(scenario)
    columns = [RunColumns(r.id, wanted.start, len(wanted), len(milestones)) for r in rosters]
    done = 0
    if progress:
        progress(0, total)

    def store(index: int, chunk: list[RunSummary]) -> None:
        nonlocal done
        for summary in chunk:
            columns[index].add(summary)
        done += len(chunk)
        if progress:
            progress(done, total)

    # chunk arguments made as they are handed out (ranges, seeds derived): nothing per run is held up front
    tasks: Iterator[tuple[int, list[int], list[int]]] = (
        (index, list(span), [seed * SEED_STRIDE + i for i in span])
        for index in range(len(rosters))
        for span in (wanted[c.start : c.stop] for c in _chunks(len(wanted), size))
    )
    if merged is not None:
        tasks = iter(())
        for index, roster in enumerate(rosters):
            for summary in merged.get(roster.id, ()):
                if not 0 <= summary.run < runs or columns[index].filled[summary.run]:
                    raise ValueError(
                        f"roster '{roster.id}': run {summary.run} is twice in the merged runs or beyond {runs}"
                    )
                if summary.seed != seed * SEED_STRIDE + summary.run:
                    raise ValueError(f"roster '{roster.id}': run {summary.run} was played with another --seed")
                columns[index].add(summary)
            missing = columns[index].missing()
            if missing:
                raise ValueError(
                    f"roster '{roster.id}': {len(missing)} of {runs} runs are in none of the merged folders "
                    f"(the first: run {missing[0]}); merge every shard"
                )
        done = total
    if executor is not None:
        _drain(executor, lambda task: executor.submit(_job_chunk, job, *task), tasks, jobs, store)
    elif jobs == 1:
        for index, run_ids, chunk_seeds in tasks:
            store(index, job.run_chunk(index, run_ids, chunk_seeds))
    elif merged is None:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(job,))
        try:
            _drain(pool, lambda task: pool.submit(_worker_chunk, *task), tasks, jobs, store)
        except BaseException:
            # Interrupted or a drill failed: drop the queued chunks and stop the workers now rather than
            # letting them finish the chunks already handed out (the executor has no public way to do this).
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                with contextlib.suppress(Exception):
                    process.terminate()
            raise
        pool.shutdown(wait=True)
    results: dict[str, RunColumns] = {}
    for roster, column in zip(rosters, columns, strict=True):
        assert not column.missing(), f"roster {roster.id}: runs not played"
        results[roster.id] = column
    return Simulation(
        scenario=scenario,
        rosters=rosters,
        policy=spec.name,
        seed=seed,
        runs=runs,
        milestones=milestones,
        shard=shard,
        results=results,
        scored=scorer is not None,
        scenarios=scenarios,
        variants=by_id,
    )


# --------------------------------------------------------------------------- statistics


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval (95% by default) of a proportion ``successes / n``."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Distribution:
    """The distribution of one quantity over the runs of one roster."""

    n: int
    reached: int
    """Runs with a value (a milestone reached); the others count as +infinity in the quantiles."""
    p10: float
    median: float
    p90: float
    mean: float | None
    """Mean of the reached values; None when none was reached."""
    target: float | None = None
    met: int | None = None
    """Runs meeting the target (value <= target); None without a target."""

    @property
    def p_met(self) -> float | None:
        return None if self.met is None else self.met / self.n

    @property
    def p_met_interval(self) -> tuple[float, float] | None:
        return None if self.met is None else wilson(self.met, self.n)

    def to_dict(self) -> dict[str, Any]:
        def finite(value: float) -> float | None:
            return None if math.isinf(value) else round(value, 3)

        out: dict[str, Any] = {
            "n": self.n,
            "reached": self.reached,
            "p10": finite(self.p10),
            "median": finite(self.median),
            "p90": finite(self.p90),
            "mean": None if self.mean is None else round(self.mean, 3),
        }
        if self.target is not None:
            low, high = wilson(self.met or 0, self.n)
            out |= {
                "target": self.target,
                "met": self.met,
                "p_met": round((self.met or 0) / self.n, 6),
                "p_met_95": [round(low, 4), round(high, 4)],
            }
        return out


def distribution(values: Sequence[float | None], target: float | None = None) -> Distribution:
    """Quantiles of ``values`` (None = never: +infinity) and, with a target, how many are <= it."""
    if not values:
        raise ValueError("distribution of no values")
    filled = [math.inf if v is None else float(v) for v in values]
    reached = [v for v in filled if not math.isinf(v)]
    p10, median, p90 = (quantile(filled, q) for q in QUANTILES)
    met = None if target is None else sum(1 for v in reached if v <= target)
    return Distribution(
        n=len(filled),
        reached=len(reached),
        p10=p10,
        median=median,
        p90=p90,
        mean=sum(reached) / len(reached) if reached else None,
        target=target,
        met=met,
    )


@dataclass(frozen=True)
class RosterStats:
    roster: str
    team: str
    runs: int
    intervals: dict[str, Distribution]
    """Milestone id -> time from impact."""
    score: Distribution | None
    revenue_lost: Distribution
    penalties: Distribution
    all_met: int
    """Runs that met every target."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "roster": self.roster,
            "team": self.team,
            "runs": self.runs,
            "intervals": {k: v.to_dict() for k, v in self.intervals.items()},
            "score": None if self.score is None else self.score.to_dict(),
            "revenue_lost": self.revenue_lost.to_dict(),
            "penalties": self.penalties.to_dict(),
            "all_targets_met": self.all_met,
            "p_all_targets_met": self.all_met / self.runs,
        }


def roster_stats(
    runs: Sequence[RunSummary] | RunColumns, milestones: Sequence[MilestoneTarget], team: str = ""
) -> RosterStats:
    """The statistics of one roster's runs (a list of summaries, or a simulation's columns)."""
    if not isinstance(runs, RunColumns):
        if not runs:
            raise ValueError("no runs")
        columns = RunColumns(runs[0].roster, 0, max(r.run for r in runs) + 1, len(milestones))
        for summary in runs:
            columns.add(summary)
        runs = columns
    if not runs.stored:
        raise ValueError("no runs")
    intervals = {m.id: distribution(runs.numbers(runs.intervals[i]), m.target) for i, m in enumerate(milestones)}
    targeted = [(runs.intervals[i], m.target) for i, m in enumerate(milestones) if m.target is not None]
    # NaN (never reached) compares False: not met
    all_met = sum(
        1 for j, flag in enumerate(runs.filled) if flag and all(column[j] <= target for column, target in targeted)
    )
    scores = runs.numbers(runs.score)
    return RosterStats(
        roster=runs.roster,
        team=team,
        runs=runs.stored,
        intervals=intervals,
        score=None if any(s is None for s in scores) else distribution(scores),
        revenue_lost=distribution(runs.numbers(runs.revenue_lost)),
        penalties=distribution([float(p) for p, flag in zip(runs.penalties, runs.filled, strict=True) if flag]),
        all_met=all_met,
    )


def aggregate(sim: Simulation) -> dict[str, RosterStats]:
    """Roster id -> statistics, in the rosters' order."""
    return {r.id: roster_stats(sim.results[r.id], sim.milestones, r.team) for r in sim.rosters}


# --------------------------------------------------------------------------- par


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/drillsim`` or ``~/.cache/drillsim``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "drillsim"


def _function_name(function: Callable[..., Any] | None) -> str:
    if function is None:
        return "none"
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', repr(function))}"


def par_key(
    scenario: Scenario,
    roster: Roster,
    runs: int,
    seed: int,
    scorer: Scorer | None,
    measure: Measure | None = None,
    policy: str = "playbook",
    tag: str = "",
) -> str:
    """The cache key of a par: engine version and journal format (the metrics engine), scenario and roster
    content, runs, seed, scorer and measure (and the policy and a caller's tag, such as the scoring rules'
    version, when not the defaults)."""
    parts = [f"{__version__}/journal-{JOURNAL_FORMAT}", scenario.content_hash(), roster.content_hash(), str(runs)]
    parts += [str(seed)]
    parts += [_function_name(scorer), _function_name(measure)]
    if policy != "playbook" or tag:
        parts += [policy, tag]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def par_median(
    scenario: Scenario,
    roster: Roster,
    runs: int = PAR_RUNS,
    seed: int = 0,
    *,
    scorer: Scorer | None = None,
    measure: Measure | None = None,
    jobs: int = 1,
    cache: Path | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    policy: str = "playbook",
    tag: str = "",
    executor: Executor | None = None,
) -> dict[str, Any]:
    """The ``policy``'s (default the playbook's) median over ``runs`` drills: par for a report.

    Returns ``{"intervals": {milestone id: median seconds from impact or None}, "score":
    median score or None, "p_met": {milestone id: probability}, "measures": {name:
    distribution}, "runs", "seed", "scenario_hash", "roster_hash", "cached"}``. A median of
    None means par does not reach that milestone in at least half of the runs. ``measures``
    holds, for every name the ``measure`` returned, its :meth:`Distribution.to_dict` (n,
    reached, p10, median, p90, mean); it is empty without a measure. The result is cached
    in ``<cache>/par/<key>.json`` (default :func:`cache_dir`), keyed by the engine version,
    the scenario's and roster's content hashes, ``runs``, ``seed`` and the scorer's and
    measure's names; an unreadable or unwritable cache is ignored. ``progress`` is called
    only when the drills are really played (not on a cache hit). ``executor``: run the drills there
    (see :func:`simulate`) instead of worker processes of its own.
    """
    folder = (cache or cache_dir()) / "par"
    path = folder / f"{par_key(scenario, roster, runs, seed, scorer, measure, policy, tag)}.json"
    if use_cache:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and all(isinstance(data.get(k), dict) for k in ("intervals", "measures")):
                data["cached"] = True
                return data
    sim = simulate(
        scenario,
        [roster],
        runs,
        seed=seed,
        policy=policy,
        jobs=jobs,
        scorer=scorer,
        measure=measure,
        progress=progress,
        executor=executor,
    )
    stats = aggregate(sim)[roster.id]
    column = sim.results[roster.id]
    measured = {name: column.numbers(values) for name, values in column.measures.items()}

    def finite(value: float) -> float | None:
        return None if math.isinf(value) else round(value, 3)

    result: dict[str, Any] = {
        "scenario": scenario.id,
        "scenario_hash": scenario.content_hash(),
        "roster": roster.id,
        "roster_hash": roster.content_hash(),
        "runs": runs,
        "seed": seed,
        "version": __version__,
        "intervals": {mid: finite(d.median) for mid, d in stats.intervals.items()},
        "p_met": {mid: d.p_met for mid, d in stats.intervals.items() if d.p_met is not None},
        "score": None if stats.score is None else finite(stats.score.median),
        # A name missing from some runs' measures counts as never reached in those runs.
        "measures": {name: distribution(values).to_dict() for name, values in measured.items()},
    }
    if use_cache:
        with contextlib.suppress(OSError):
            from drillsim.simulator.journal import atomic_write

            atomic_write(path, json.dumps(result, indent=2, sort_keys=True) + "\n")
    return {**result, "cached": False}
