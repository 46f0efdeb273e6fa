"""``drillsim simulate``: thousands of headless drills of one scenario, per roster, and their statistics.

The work is in :mod:`simulator.whatif` (running and aggregating) and
:mod:`reports.whatif_render` (table, CSV, figures); this module parses arguments, shows a
progress bar on stderr and writes the output folder. Heavy modules (matplotlib) are
imported inside the command only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from drillsim.errors import tell
from drillsim.progress import ProgressBar

DEFAULT_RUNS = 1000


def configure_simulate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario file or the id of a built-in scenario")
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, metavar="N", help=f"drills per roster (default {DEFAULT_RUNS})"
    )
    parser.add_argument(
        "--policy",
        default="playbook",
        metavar="P",
        help="playbook (default), idle, random, or a script FILE (a YAML list of {at, action, by?})",
    )
    parser.add_argument(
        "--roster",
        action="append",
        metavar="R",
        help="a roster file or built-in id; repeat to compare rosters side by side (default: the scenario's)",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="'LABEL: PATH=VALUE[; PATH=VALUE]'",
        help="a what-if column: the scenario and the first roster with settings changed, e.g. "
        "'untested rollback: actions.rollback-model.success=0.6' or 'slow pages: roster.members.*.response_time=5m' "
        "(a list item by its id or name, * for all; the value is YAML); repeat for more",
    )
    parser.add_argument(
        "--jobs", type=int, metavar="J", help="worker processes (default: the number of CPU cores available)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="base seed (default 0); run i plays seed S*1000003+i, the same for every roster and any --jobs",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: ./simulations/<time>-<scenario>/)"
    )
    parser.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run the drills on a Dask distributed cluster (its scheduler's address; needs "
        "pip install 'drillsim[cluster]' here and on the workers); same seeds, same results as a local run",
    )
    parser.add_argument(
        "--shard",
        metavar="K/N",
        help="play only the K-th of N equal slices of the runs (same seeds as the whole simulation), "
        "for separate machines or array jobs; combine the folders with --merge",
    )
    parser.add_argument(
        "--merge",
        nargs="+",
        type=Path,
        metavar="DIR",
        help="play nothing: combine the runs.csv of these --shard output folders (made with the same "
        "scenario, rosters, variants, --runs, --seed and --policy) into the whole simulation's results",
    )
    parser.add_argument("--no-figures", action="store_true", help="write the CSV and summaries but no PNG figures")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def cmd_simulate(args: argparse.Namespace) -> int:
    from drillsim.errors import UserError
    from drillsim.simulator.checks import check_roster_covers
    from drillsim.simulator.library import DEFAULT_ROSTER, resolve_roster, resolve_scenario
    from drillsim.simulator.loading import load_roster, load_scenario
    from drillsim.simulator.policies import PolicyError
    from drillsim.simulator.variants import VariantError, apply_variant, parse_variant
    from drillsim.simulator.whatif import PolicySpec, SimulationError, aggregate, default_jobs, simulate

    if args.runs < 1:
        raise UserError(f"--runs must be at least 1 (got {args.runs})")
    if args.jobs is not None and args.jobs < 1:
        raise UserError(f"--jobs must be at least 1 (got {args.jobs})")
    notes: list[str] = []
    scenario = load_scenario(resolve_scenario(args.scenario, notes=notes))
    roster_args = args.roster or [scenario.default_roster or DEFAULT_ROSTER]
    rosters = [load_roster(resolve_roster(arg, notes=notes)) for arg in roster_args]
    for note in notes:
        tell(f"note: {note}")
    seen: set[str] = set()
    for roster in rosters:
        if roster.id in seen:
            raise UserError(f"roster '{roster.id}' is named twice")
        seen.add(roster.id)
        for problem in check_roster_covers(scenario, roster):
            tell(f"warning: {roster.id}: {problem}")
    try:
        variants = [parse_variant(text) for text in args.variant]
        for variant in variants:  # every problem now, before a worker starts
            apply_variant(variant, scenario, rosters[0])
            if variant.id in seen:
                raise VariantError(f"variant '{variant.label}': its column name '{variant.id}' is taken")
            seen.add(variant.id)
    except VariantError as exc:
        raise UserError(str(exc)) from None
    try:
        policy = PolicySpec.resolve(args.policy, scenario)
    except PolicyError as exc:
        raise UserError(str(exc)) from None
    shard = _shard(args.shard, args.runs) if args.shard else None
    if shard and args.merge:
        raise UserError("--shard and --merge go in separate commands: play the shards, then merge their folders")
    merged = _read_shards(args.merge, scenario, args.seed) if args.merge else None

    from drillsim.reports import scoring  # noqa: F401  (loaded once here, inherited by the worker processes)
    from drillsim.reports.whatif_render import format_table, new_output_folder, score_total, write_outputs

    try:
        if args.out is not None:
            folder = args.out
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = new_output_folder(Path("simulations"), scenario.id)
    except OSError as exc:
        raise UserError(f"cannot create the output folder {args.out or 'simulations'}: {exc.strerror or exc}") from None

    client = None
    executor = None
    if args.scheduler:
        client = _connect(args.scheduler)
        executor = client.get_executor()
        jobs = args.jobs or max(1, sum(client.nthreads().values()))
    else:
        jobs = args.jobs or default_jobs()
    bar = ProgressBar(sys.stderr, enabled=False if args.quiet else None)
    started = time.monotonic()
    try:
        sim = simulate(
            scenario,
            rosters,
            args.runs,
            seed=args.seed,
            policy=policy,
            jobs=jobs,
            scorer=score_total,
            variants=variants,
            progress=bar,
            executor=executor,
            shard=shard,
            merged=merged,
        )
    except SimulationError as exc:
        tell(f"drillsim: the simulation failed: {exc}")
        return 1
    except ValueError as exc:  # merged folders that do not make one simulation
        raise UserError(f"--merge: {exc}") from None
    finally:
        bar.close()
        if client is not None:
            client.close()
    elapsed = time.monotonic() - started
    stats = aggregate(sim)
    sys.stdout.write(format_table(sim, stats))
    total = sum(len(column) for column in sim.results.values())
    where = f" on the cluster at {args.scheduler}" if args.scheduler else ""
    print(f"\n{total:,} drills in {elapsed:.1f}s with {min(jobs, total)} worker{'s' if jobs > 1 else ''}{where}")
    try:
        written = write_outputs(sim, stats, folder, figures=() if args.no_figures else ("ecdf", "histograms", "score"))
    except OSError as exc:
        tell(f"drillsim: cannot write the results to {folder}: {exc.strerror or exc}")
        return 1
    print(f"results: {folder}/ ({', '.join(p.name for p in written)})")
    return 0


def _connect(address: str) -> Any:
    """A Dask ``distributed.Client`` of the scheduler at ``address``; a clear error when it cannot be had."""
    from drillsim.errors import UserError

    try:
        from distributed import Client
    except ImportError:
        raise UserError("--scheduler needs Dask's distributed package: pip install 'drillsim[cluster]'") from None
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"--scheduler {address}: cannot reach the Dask scheduler ({exc})") from None


def _shard(text: str, runs: int) -> tuple[int, int]:
    from drillsim.errors import UserError

    k_text, _, n_text = text.partition("/")
    try:
        k, n = int(k_text), int(n_text)
    except ValueError:
        raise UserError(f"--shard {text}: write K/N, e.g. --shard 2/8 (the second of eight slices)") from None
    if not 1 <= k <= n:
        raise UserError(f"--shard {text}: K must be between 1 and N")
    if n > runs:
        raise UserError(f"--shard {text}: {n} shards of {runs} runs leave some empty; use at most {runs}")
    return k, n


def _read_shards(folders: list[Path], scenario: Any, seed: int) -> dict[str, list[Any]]:
    """Every run in the folders' runs.csv, by roster; checks they were played from this scenario and seed."""
    import csv
    import json

    from drillsim.errors import UserError
    from drillsim.reports.whatif_render import CSV_NAME, SUMMARY_NAME
    from drillsim.simulator.whatif import RunSummary, milestone_targets

    milestones = [m.id for m in milestone_targets(scenario)]
    runs: dict[str, list[Any]] = {}
    for folder in folders:
        try:
            summary = json.loads((folder / SUMMARY_NAME).read_text(encoding="utf-8"))
            text = (folder / CSV_NAME).read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            raise UserError(f"--merge {folder}: not a simulate output folder ({exc})") from None
        if summary.get("scenario_hash") != scenario.content_hash():
            raise UserError(f"--merge {folder}: played from another version of scenario '{scenario.id}'")
        if summary.get("seed") != seed:
            raise UserError(f"--merge {folder}: played with --seed {summary.get('seed')}, not {seed}")
        for row in csv.DictReader(text.splitlines()):
            try:
                runs.setdefault(row["roster"], []).append(
                    RunSummary(
                        roster=row["roster"],
                        run=int(row["run"]),
                        seed=int(row["seed"]),
                        impact_started_at=_number(row["impact_started_s"]),
                        intervals=tuple(_number(row[f"{m}_from_impact_s"]) for m in milestones),
                        revenue_lost=float(row["revenue_lost"]),
                        penalties=int(row["penalties"]),
                        score=_number(row["score"]),
                        end_reason=row["end_reason"] or None,
                    )
                )
            except (KeyError, ValueError) as exc:
                raise UserError(f"--merge {folder / CSV_NAME}: a row that is not a run ({exc})") from None
    return runs


def _number(text: str) -> float | None:
    return None if text == "" else float(text)
