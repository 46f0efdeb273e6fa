"""Headless subcommands: ``autoplay`` and ``replay`` (and ``report`` once reports are written).

No textual here; the report modules (jinja2, matplotlib) are imported inside the commands.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from simulator.durations import format_clock, format_duration


def _seed(value: int | None) -> int:
    return value if value is not None else random.SystemRandom().randrange(1_000_000)


def configure_autoplay(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario file or the id of a built-in scenario")
    parser.add_argument(
        "--policy",
        default="playbook",
        metavar="P",
        help="playbook (the scenario's reference response; default), idle, random, or a script FILE "
        "(a YAML list of {at, action, by?})",
    )
    parser.add_argument("--roster", metavar="R", help="a roster file or built-in id (default: the scenario's)")
    parser.add_argument("--seed", type=int, metavar="N", help="random seed (default: a fresh one, printed)")
    parser.add_argument("--team", metavar="T", help="team name in the report (default: the roster's)")
    parser.add_argument("--label", metavar="L", help="drill label such as 2026-Q4")
    parser.add_argument("--out", type=Path, metavar="DIR", help="where run folders go (default: ./drills)")
    parser.add_argument("--no-report", action="store_true", help="write only the journal, not the report")


def cmd_autoplay(args: argparse.Namespace) -> int:
    from simulator.policies import PolicyError, autoplay, make_policy
    from simulator.session import load_pair, start_run
    from tui.cli import UserError

    loaded = load_pair(args.scenario, args.roster)
    seed = _seed(args.seed)
    try:
        policy = make_policy(args.policy, loaded.scenario, seed)
    except PolicyError as exc:
        raise UserError(str(exc)) from None
    run = start_run(loaded, seed=seed, out=args.out, team=args.team, label=args.label, policy=policy.name)
    for warning in run.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    drill = autoplay(run.drill, policy)
    if run.writer is not None:
        run.writer.close()
        for warning in run.writer.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    scenario = loaded.scenario
    print(f"{scenario.title} ({scenario.id}) — {policy.name} policy, seed {seed}, team {drill.team}")
    print(f"ended: {drill.end_reason.replace('_', ' ') if drill.end_reason else '?'} at {format_clock(drill.now)}")
    for mid, spec in scenario.scoring.milestones.items():
        reached = drill.milestones.get(mid)
        label = spec.label or mid
        target = f"target {format_duration(spec.target)}" if spec.target is not None else "no target"
        if reached is None:
            mark = "missed" if spec.target is not None else "not reached"
            print(f"  {'✗' if spec.target is not None else '·'} {label:<44} {'—':>7}  {target} ({mark})")
        else:
            from_impact = reached - (drill.impact_started or 0.0)
            ok = spec.target is None or from_impact <= spec.target
            print(f"  {'✓' if ok else '✗'} {label:<44} {format_clock(reached):>7}  {target}")
    currency = scenario.business.currency
    print(f"revenue lost: {drill.revenue_lost:,.0f} {currency}; penalties: {drill.penalty_points} points")
    outside = ", ".join(f"{m} {format_duration(s)}" for m, s in drill.outside_slo.items() if s)
    if outside:
        print(f"outside SLO: {outside}")
    if run.folder is not None:
        print(f"journal: {run.folder / 'journal.jsonl'}")
        if not args.no_report and not _write_report(run.folder):
            return 1
    return 0


def _write_report(folder: Path) -> bool:
    """Write the report of a run folder; a failure leaves the journal intact and says how to retry."""
    from reports.render import write_report

    try:
        paths = write_report(folder)
    except Exception as exc:  # the drill is safe in its journal whatever goes wrong here
        print(
            f"drillsim: the report could not be written ({type(exc).__name__}: {exc}); "
            f"the journal is safe: retry with 'drillsim report {folder}'",
            file=sys.stderr,
        )
        return False
    print(f"report: {getattr(paths, 'html', folder / 'report.html')}")
    return True


def configure_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", metavar="RUN", type=Path, help="a run folder")


def cmd_report(args: argparse.Namespace) -> int:
    from simulator.journal import JOURNAL_NAME
    from tui.cli import UserError

    folder = args.run.parent if args.run.name == JOURNAL_NAME else args.run
    if not (folder / JOURNAL_NAME).is_file():
        raise UserError(f"{args.run}: not a run folder (no {JOURNAL_NAME} in it)")
    return 0 if _write_report(folder) else 1


def configure_replay(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", metavar="RUN", type=Path, help="a run folder or its journal.jsonl")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if re-running the journal's inputs gives a different journal"
    )


def cmd_replay(args: argparse.Namespace) -> int:
    from simulator.journal import JournalError, read_journal
    from simulator.replay import ReplayError, first_difference, rebuild
    from tui.cli import UserError

    try:
        read = read_journal(args.run)
    except JournalError as exc:
        raise UserError(str(exc)) from None
    for warning in read.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    try:
        drill = rebuild(read.records)
    except ReplayError as exc:
        raise UserError(f"{args.run}: {exc}") from None
    inputs = sum(1 for r in read.records if r.get("input"))
    difference = first_difference(read.records, drill.records)
    if difference is None:
        print(f"replayed {len(read.records)} records ({inputs} inputs): identical")
        return 0
    print(f"replay differs: {difference}")
    return 1 if args.check else 0
