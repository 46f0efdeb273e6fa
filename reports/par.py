"""Par: what a realistic reference team achieves with the drill's roster, over many drills.

The reference team plays the scenario's playbook with realistic friction: every step a seeded
random moment late (``simulator.policies.reference_policy``). A single drill is luck as much as
skill (who was busy, which action failed), so par is not one drill but the median of
``PAR_RUNS`` (101) of them, with the 10th and 90th percentiles beside it: the reference team's
typical, fast and slow ends; a team is only said to beat par beyond that spread. ``median_par`` plays them
with the what-if simulator (``simulator.whatif.par_median``), measuring every scorecard
interval and the score of each drill with :func:`par_measures`; the result is cached on
disk per engine version and scenario and roster content, so only the first report of a
scenario and roster pays for it (about 1-4 s; later ones read a small JSON file), and the report
starts it with :func:`start_par` so that its figures are drawn meanwhile.

Par depends on the scenario and roster only, never on the drill's own seed: two drills of
the same scenario and roster are measured against the same par.
"""

from __future__ import annotations

import logging
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from drillsim.reports.scoring import SCHEMA_VERSION, Par, ParBasis, ParValue, score
from drillsim.simulator.model import Roster, Scenario
from drillsim.simulator.whatif import PAR_RUNS, Progress, cache_dir, par_key, par_median

log = logging.getLogger(__name__)

PAR_SEED = 0
"""The simulation seed par's drills derive their seeds from."""
PAR_POLICY = "reference"
"""Par is a realistic reference team: the playbook with every step a seeded random moment late
(``simulator.policies.reference_policy``), not the playbook to the second (which would score 100 by
construction)."""


def par_measures(records: list[dict[str, Any]]) -> dict[str, float | None]:
    """What par needs of one reference drill: every scorecard interval's seconds and the score."""
    card = score(records)
    return {"score": card.score.total, **{interval.name: interval.seconds for interval in card.intervals}}


def median_par(
    scenario: Scenario,
    roster: Roster,
    *,
    runs: int = PAR_RUNS,
    jobs: int = 1,
    cache: Path | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> Par:
    """Par for a scenario and roster: the reference team's distribution over ``runs`` drills (cached).

    ``progress(done, total)`` is called while the drills are played, never on a cache hit.
    """
    result = par_median(
        scenario,
        roster,
        runs,
        PAR_SEED,
        measure=par_measures,
        jobs=jobs,
        cache=cache,
        use_cache=use_cache,
        progress=progress,
        policy=PAR_POLICY,
        tag=f"scoring-v{SCHEMA_VERSION}",
        executor=executor,
    )
    values = {
        name: ParValue(p10=data.get("p10"), median=data.get("median"), p90=data.get("p90"))
        for name, data in result["measures"].items()
    }
    return Par(basis=ParBasis(policy=PAR_POLICY, runs=runs, seed=PAR_SEED), values=values)


def par_for(records: list[dict[str, Any]], **options: Any) -> Par | None:
    """Par for a drill's journal (its scenario and roster), or None when it cannot be computed (logged).

    ``options`` go to :func:`median_par` (``runs``, ``jobs``, ``cache``, ``progress``).
    """
    if not records:
        return None
    start = records[0]
    try:
        scenario = Scenario.model_validate(start["scenario"])
        roster = Roster.model_validate(start["roster"])
        return median_par(scenario, roster, **options)
    except Exception as exc:
        log.warning("par not computed: %s: %s", type(exc).__name__, exc)
    return None


def start_par(records: list[dict[str, Any]], *, jobs: int = 1, **options: Any) -> Future[Par | None]:
    """:func:`par_for` started in the background: the report draws its figures meanwhile (issue 17).

    On a cache hit par is read at once. Otherwise the ``jobs`` worker processes are forked here,
    in the calling thread and before anything else runs beside it, and one background thread hands
    them the drills; ``result()`` waits for par (and shuts the workers down).
    """
    done: Future[Par | None] = Future()
    scenario_roster = _models(records)
    if jobs <= 1 or scenario_roster is None or _cached(*scenario_roster, **_cache_options(options)):
        done.set_result(par_for(records, jobs=1, **options))  # read from the cache, or nothing to run beside
        return done
    pool = ProcessPoolExecutor(max_workers=jobs)
    for waiting in [pool.submit(int) for _ in range(jobs)]:  # fork every worker now, from this thread
        waiting.result()
    thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="par")

    def compute() -> Par | None:
        try:
            return par_for(records, jobs=jobs, executor=pool, **options)
        finally:
            pool.shutdown(wait=True)

    future = thread.submit(compute)
    thread.shutdown(wait=False)
    return future


def _models(records: list[dict[str, Any]]) -> tuple[Scenario, Roster] | None:
    try:
        return Scenario.model_validate(records[0]["scenario"]), Roster.model_validate(records[0]["roster"])
    except Exception:  # par_for logs why par cannot be computed
        return None


def _cache_options(options: dict[str, Any]) -> dict[str, Any]:
    return {name: options[name] for name in ("runs", "cache", "use_cache") if name in options}


def _cached(
    scenario: Scenario, roster: Roster, runs: int = PAR_RUNS, cache: Path | None = None, use_cache: bool = True
) -> bool:
    """Whether :func:`median_par` of this scenario and roster would be read from the cache."""
    key = par_key(scenario, roster, runs, PAR_SEED, None, par_measures, PAR_POLICY, f"scoring-v{SCHEMA_VERSION}")
    return use_cache and ((cache or cache_dir()) / "par" / f"{key}.json").is_file()
