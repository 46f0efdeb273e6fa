"""Headless subcommands: ``autoplay``, ``replay``, ``report``, ``new`` and ``validate --play``.

No textual here; the report modules (jinja2, matplotlib) are imported inside the commands.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from drillsim.errors import tell
from drillsim.simulator.durations import format_clock, format_duration


def _seed(value: int | None) -> int:
    return value if value is not None else random.SystemRandom().randrange(1_000_000)


def flag_text(value: str) -> str:
    """``--team`` and ``--label``: plain text only (a control character would reach the terminal and the report)."""
    from drillsim.simulator.text import plain_flag

    try:
        return plain_flag(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}: {value!r}") from None


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
    parser.add_argument("--team", type=flag_text, metavar="T", help="team name in the report (default: the roster's)")
    parser.add_argument("--label", type=flag_text, metavar="L", help="drill label such as 2026-Q4")
    parser.add_argument("--out", type=Path, metavar="DIR", help="where run folders go (default: ./drills)")
    parser.add_argument("--no-report", action="store_true", help="write only the journal, not the report")


def cmd_autoplay(args: argparse.Namespace) -> int:
    from drillsim.errors import UserError
    from drillsim.simulator.policies import PolicyError, autoplay, make_policy
    from drillsim.simulator.session import RunFolderError, load_pair, start_run

    loaded = load_pair(args.scenario, args.roster)
    for note in loaded.notes:
        tell(f"note: {note}")
    seed = _seed(args.seed)
    try:
        policy = make_policy(args.policy, loaded.scenario, seed)
    except PolicyError as exc:
        raise UserError(str(exc)) from None
    try:
        run = start_run(
            loaded, seed=seed, out=args.out, team=args.team, label=args.label, policy=policy.name, memory_fallback=False
        )
    except RunFolderError as exc:
        raise UserError(f"{exc}; nothing was played (choose another --out)") from None
    for warning in run.warnings:
        tell(f"warning: {warning}")
    drill = autoplay(run.drill, policy)
    journal_complete = True
    if run.writer is not None:
        run.writer.close()
        for warning in run.writer.warnings:
            tell(f"warning: {warning}")
        journal_complete = run.writer.complete
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
            from_impact = reached - (drill.impact_started_at or 0.0)
            ok = spec.target is None or from_impact <= spec.target
            print(f"  {'✓' if ok else '✗'} {label:<44} {format_clock(reached):>7}  {target}")
    currency = scenario.business.currency
    print(f"revenue lost: {drill.revenue_lost:,.0f} {currency}; penalties: {drill.penalty_points} points")
    outside = ", ".join(f"{m} {format_duration(s)}" for m, s in drill.outside_slo.items() if s)
    if outside:
        print(f"outside SLO: {outside}")
    if run.folder is not None:
        journal = run.folder / "journal.jsonl"
        if not journal_complete and run.writer is not None:
            tell(
                f"drillsim: the journal {journal} is incomplete: the disk refused a write, and only "
                f"{run.writer.synced} of the drill's {len(drill.records)} records are known to be on disk; "
                "no report was written (free some space and play the drill again)",
            )
            return 1
        print(f"journal: {journal}")
        if not args.no_report and not _write_report(run.folder):
            return 1
    return 0


def _write_report(folder: Path, par: bool = True, notes: list[str] | None = None) -> bool:
    """Write the report of a run folder; a failure leaves the journal intact and says how to retry.

    Par is played on every core with a progress bar on a terminal (only the first report of a
    scenario and roster plays it; later ones read it from the cache).
    """
    from drillsim.progress import ProgressBar
    from drillsim.reports.render import write_report
    from drillsim.simulator.whatif import default_jobs

    bar = ProgressBar(sys.stderr, label="par: playbook ")
    try:
        paths = write_report(folder, par, par_options={"jobs": default_jobs(), "progress": bar}, notes=notes or ())
    except Exception as exc:  # the drill is safe in its journal whatever goes wrong here
        bar.close()
        tell(
            f"drillsim: the report could not be written ({type(exc).__name__}: {exc}); "
            f"the journal is safe: retry with 'drillsim report {folder}'",
        )
        return False
    bar.close()
    for warning in paths.warnings:
        tell(f"drillsim: {warning}")
    print(f"report: {getattr(paths, 'html', folder / 'report.html')}")
    return True


def configure_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", metavar="RUN", type=Path, help="a run folder")
    parser.add_argument(
        "--no-par",
        action="store_true",
        help="leave the par column empty instead of simulating the playbook (the first report of a scenario and "
        "roster plays 101 playbook drills, a few seconds; later ones read them from the cache)",
    )
    parser.add_argument(
        "--exercise",
        type=Path,
        metavar="FILE",
        help="an exercise.yaml with the AAR/IP's overview and improvement-plan settings; kept in the run folder "
        "for every later rewrite (see docs/facilitator.md)",
    )


def checked_journal(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """A journal read and checked for integrity: ``(records, integrity warnings)``.

    Refused with ``UserError`` naming the file and line: a malformed journal (its shape, the types of
    its fields) and a scenario or roster copy that is not valid or does not match its recorded hash.
    A journal whose inputs do not replay to the same records is reported in a warning (it was edited,
    or written by an earlier drillsim build): its report says so too.
    """
    from drillsim.errors import UserError
    from drillsim.simulator.journal import JournalError, read_journal
    from drillsim.simulator.replay import located, verify

    try:
        read = read_journal(path)
    except JournalError as exc:
        raise UserError(str(exc)) from None
    integrity = verify(read.records)
    if integrity is None:
        return read.records, []
    problem, fatal = integrity
    if fatal:
        raise UserError(located(path, f"{problem}; the journal fails its integrity check, nothing was written"))
    note = located(path, f"{problem}; it was edited since the drill, or written by an earlier drillsim build")
    return read.records, [note]


def cmd_report(args: argparse.Namespace) -> int:
    from drillsim.errors import UserError
    from drillsim.simulator.journal import JOURNAL_NAME

    folder = args.run.parent if args.run.name == JOURNAL_NAME else args.run
    journal = folder / JOURNAL_NAME
    if not journal.exists():
        raise UserError(f"{args.run}: not a run folder (no {JOURNAL_NAME} in it)")
    _, notes = checked_journal(journal)
    if getattr(args, "exercise", None) is not None:
        from drillsim.reports.exercise import EXERCISE_FILE, ExerciseError, load_exercise
        from drillsim.simulator.journal import atomic_write

        try:
            load_exercise(args.exercise)
        except ExerciseError as exc:
            raise UserError(str(exc)) from None
        atomic_write(folder / EXERCISE_FILE, args.exercise.read_text(encoding="utf-8"))
    return 0 if _write_report(folder, par=not args.no_par, notes=notes) else 1


def configure_replay(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", metavar="RUN", type=Path, help="a run folder or its journal.jsonl")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if re-running the journal's inputs gives a different journal"
    )


def cmd_replay(args: argparse.Namespace) -> int:
    from drillsim.errors import UserError
    from drillsim.simulator.journal import JOURNAL_NAME, JournalError, read_journal
    from drillsim.simulator.replay import ReplayError, first_difference, located, rebuild

    try:
        read = read_journal(args.run)
    except JournalError as exc:
        raise UserError(str(exc)) from None
    for warning in read.warnings:
        tell(f"warning: {warning}")
    path = args.run / JOURNAL_NAME if args.run.is_dir() else args.run
    try:
        drill = rebuild(read.records)
    except ReplayError as exc:
        raise UserError(located(path, str(exc))) from None
    except Exception as exc:  # the engine refusing an input no drill could have recorded
        raise UserError(located(path, f"the journal cannot be replayed ({type(exc).__name__}: {exc})")) from None
    inputs = sum(1 for r in read.records if r.get("input"))
    difference = first_difference(read.records, drill.records)
    if difference is None:
        print(f"replayed {len(read.records)} records ({inputs} inputs): identical")
        return 0
    print(f"replay differs: {difference}")
    return 1 if args.check else 0


# --------------------------------------------------------------------------- validate --play


@dataclass
class PlayOutcome:
    """The play check of one scenario file, for ``drillsim validate --play``."""

    path: str
    scenario: str
    roster: str
    passed: bool
    findings: list[str]
    summary: list[str]

    def __str__(self) -> str:
        verdict = "passes" if self.passed else "FAILS"
        lines = [f"{self.path}: play check {verdict} ({self.scenario} with roster {self.roster})"]
        lines += [f"  {finding}" for finding in self.findings]
        lines += [f"  {line}" for line in self.summary]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def play_checks(results: list[dict[str, Any]], roster_arg: str | None) -> list[PlayOutcome]:
    """Play-check every valid scenario among ``validate``'s results."""
    from drillsim.simulator.library import DEFAULT_ROSTER, LibraryError, resolve_roster
    from drillsim.simulator.lint import play_check
    from drillsim.simulator.loading import LoadError, load_roster
    from drillsim.simulator.model import Scenario

    outcomes = []
    for result in results:
        scenario = result.get("_model")
        if not isinstance(scenario, Scenario):
            continue
        try:
            roster = load_roster(resolve_roster(roster_arg or scenario.default_roster or DEFAULT_ROSTER))
        except (LibraryError, LoadError) as exc:
            outcomes.append(PlayOutcome(result["path"], scenario.id, roster_arg or "?", False, [f"error: {exc}"], []))
            continue
        report = play_check(scenario, roster)
        shown = [str(f) for f in report.findings]
        outcomes.append(PlayOutcome(result["path"], scenario.id, roster.id, report.passed, shown, report.summary))
    return outcomes


# --------------------------------------------------------------------------- new


def configure_new(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the new scenario's id (lower-case letters, digits, '-')")
    parser.add_argument("--from", dest="source", metavar="SCENARIO", help="copy a built-in scenario or a file")
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to write ID.yaml (default: ./scenarios, where the launcher, list and run find it)",
    )
    parser.add_argument(
        "--schema", action="store_true", help="also write scenario.schema.json beside it, for editor completion"
    )


def cmd_new(args: argparse.Namespace) -> int:
    import re

    from drillsim.errors import UserError
    from drillsim.simulator.library import LOCAL_SCENARIOS, builtin_scenario_ids, resolve_scenario
    from drillsim.simulator.loading import schema_text
    from drillsim.simulator.template import from_existing, render_template

    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", args.id):
        raise UserError(
            f"'{args.id}' is not a scenario id: use lower-case letters, digits, '-' and '_' (e.g. my-drift-drill)"
        )
    folder: Path = LOCAL_SCENARIOS if args.dir is None else args.dir
    target = folder / f"{args.id}.yaml"
    if target.exists():
        raise UserError(f"{target} already exists; choose another id or remove the file")
    if args.source:
        source = resolve_scenario(args.source)
        text = from_existing(source.read_text(encoding="utf-8"), source.stem, args.id)
    else:
        text = render_template(args.id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        schema = folder / "scenario.schema.json"
        if args.schema and not schema.exists():
            schema.write_text(schema_text("scenario"), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    found = folder.resolve() == LOCAL_SCENARIOS.resolve()
    print(f"wrote {target}")
    if found:
        print(f"'drillsim list' shows it and 'drillsim run {args.id}' runs it (from this folder, {Path.cwd()})")
        if args.id in builtin_scenario_ids():
            print(f"note: it shadows the built-in scenario '{args.id}': every command here uses your copy instead")
    else:
        print(f"it is not in ./{LOCAL_SCENARIOS}/, so name it by its path: 'drillsim run {target}'")
    if args.schema:
        print(f"wrote {schema} (editor completion)")
    else:
        print(f"editor completion: 'drillsim schema > {folder / 'scenario.schema.json'}' (or 'drillsim new --schema')")
    name = args.id if found else str(target)
    print(f"next: edit it, then 'drillsim validate {name} --play' and 'drillsim autoplay {name}'")
    return 0
