"""The ``drillsim`` command line.

Each subcommand is one ``cmd_NAME(args) -> int`` function plus a ``configure`` function
that adds its arguments, registered in :data:`SUBCOMMANDS`. To add one::

    def _configure_replay(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("run", metavar="RUN", help="a run folder")
        parser.add_argument("--check", action="store_true", help="fail if the replay differs")

    def cmd_replay(args: argparse.Namespace) -> int:
        from drillsim.simulator.replay import replay   # heavy imports go inside the command
        ...
        return EXIT_OK

    SUBCOMMANDS.append(Subcommand("replay", cmd_replay, _configure_replay,
                                  "re-run a drill from its journal",
                                  ["drillsim replay drills/20250101-100000-crisis-team-flash-sale-latency --check"]))

Import textual, pandas, matplotlib and jinja2 only inside the command that needs them:
``drillsim --help`` and ``drillsim validate`` must stay light (tests/test_layering.py).

Exit codes: 0 success, 1 a check found problems, 2 bad input or usage. A user error
prints one clear message, never a traceback.

It is long because it is the command table: the light subcommands (validate, schema, list) written
out here, and one registration per heavier subcommand, whose work is in its own module (``cli/*_cmd.py``,
``cli/headless.py``) and is imported only when it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from drillsim.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UserError, tell


@dataclass
class Subcommand:
    """One ``drillsim NAME`` subcommand. ``run`` and ``configure`` are functions, or ``"module:function"``
    names imported only when that subcommand is used (``drillsim validate`` imports no other command)."""

    name: str
    run: Callable[[argparse.Namespace], int] | str
    configure: Callable[[argparse.ArgumentParser], None] | str
    help: str
    examples: list[str] = field(default_factory=list)
    description: str | None = None

    @staticmethod
    def _resolve(target: Any) -> Any:
        if isinstance(target, str):
            import importlib

            module, _, name = target.partition(":")
            return getattr(importlib.import_module(module), name)
        return target

    def configure_parser(self, parser: argparse.ArgumentParser) -> None:
        self._resolve(self.configure)(parser)

    def runner(self) -> Callable[[argparse.Namespace], int]:
        """The function that runs the subcommand (importing its module on the first call)."""
        target = self.run
        if not isinstance(target, str):
            return target

        def run(args: argparse.Namespace) -> int:
            result: int = self._resolve(target)(args)
            return result

        run.__name__ = run.__qualname__ = target.partition(":")[2]
        return run


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, with descriptions and epilogs wrapped to the terminal width too.

    A prose line is filled to the width; an indented line is an example command, wrapped (when
    it must be) with a trailing backslash so that it can still be pasted into a shell.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import re
        import textwrap

        width = max(width, 40)
        out: list[str] = []
        for line in text.splitlines():
            if len(indent) + len(line) <= width:
                out.append(indent + line)
            elif line[:1].isspace():
                out.extend(self._wrap_command(line, width, indent, re.findall(r"'[^']*'|\"[^\"]*\"|\S+", line)))
            else:
                out.append(textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent))
        return "\n".join(out)

    @staticmethod
    def _wrap_command(line: str, width: int, indent: str, words: list[str]) -> list[str]:
        """An example command over several lines, never inside a quoted argument, each but the last ending in \\."""
        lead = indent + line[: len(line) - len(line.lstrip())]
        lines: list[str] = []
        current = lead
        for word in words:
            if current.strip() and len(current) + 1 + len(word) + 2 > width:
                lines.append(current + " \\")
                current = lead + "    " + word
            else:
                current = f"{current} {word}" if current.strip() else current + word
        return [*lines, current]


def _examples(lines: Sequence[str]) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --------------------------------------------------------------------------- validate


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="scenario or roster YAML files, folders to search for *.yaml and *.yml, or the id of a scenario "
        "or roster that 'drillsim list' shows",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one line per problem and a summary (default); json: a machine-readable report",
    )
    parser.add_argument(
        "--play",
        action="store_true",
        help="also play each valid scenario with the playbook and idle policies (exit 1 if one is not winnable, "
        "or winnable by doing nothing) and report injects, actions, milestones and clocks that never come into play",
    )
    parser.add_argument("--roster", metavar="R", help="with --play: the roster to play with (default: each scenario's)")


def cmd_validate(args: argparse.Namespace) -> int:
    """Check files against the format and the cross-reference rules."""
    import gc

    import drillsim.simulator.loading  # noqa: F401 - imported before the freeze: the models, pydantic, yaml

    # What is imported lives as long as the command: frozen, the collector does not walk it again at every
    # collection while the files are parsed (about 13 ms of validate's 300); unfrozen after, as before.
    gc.freeze()
    try:
        return _validate(args)
    finally:
        gc.unfreeze()


def _validate(args: argparse.Namespace) -> int:
    from drillsim.simulator.library import resolve_any
    from drillsim.simulator.loading import check_file, errors, iter_yaml_files, rosters_first

    notes: list[str] = []
    files = list(iter_yaml_files([resolve_any(arg, notes=notes) for arg in args.paths]))
    for note in notes:
        tell(f"note: {note}")
    checked: dict[int, dict[str, Any]] = {}
    for index in rosters_first(files):
        path = files[index]
        model, problems = check_file(path)
        kind = type(model).__name__.lower() if model is not None else None
        checked[index] = {
            "path": str(path),
            "kind": kind,
            "valid": not errors(problems),
            "problems": [p.to_dict() for p in problems],
            "_problems": problems,
            "_model": model,
        }
    results = [checked[index] for index in range(len(files))]
    valid = sum(1 for r in results if r["valid"])
    error_count = sum(1 for r in results for p in r["_problems"] if p.level == "error")
    warning_count = sum(1 for r in results for p in r["_problems"] if p.level == "warning")
    summary = {
        "files": len(results),
        "valid": valid,
        "invalid": len(results) - valid,
        "errors": error_count,
        "warnings": warning_count,
    }
    plays: list[Any] = []
    if args.play:
        from drillsim import headless

        plays = headless.play_checks(results, args.roster)
    if args.format == "json":
        report: dict[str, Any] = {
            "files": [{k: v for k, v in r.items() if k not in ("_problems", "_model")} for r in results],
            "summary": summary,
        }
        if args.play:
            report["play"] = [play.to_dict() for play in plays]
        print(json.dumps(report, indent=2))
    else:
        for result in results:
            for problem in result["_problems"]:
                print(problem)
        print(_summary_line(summary))
        for play in plays:
            print(play)
    if not results:
        if args.format == "text":
            tell("drillsim validate: no .yaml or .yml files found")
        return EXIT_USAGE
    if valid != len(results):
        return EXIT_USAGE
    return EXIT_PROBLEMS if any(not play.passed for play in plays) else EXIT_OK


def _summary_line(summary: dict[str, int]) -> str:
    line = f"{_plural(summary['files'], 'file')} checked: {summary['valid']} valid"
    if summary["invalid"]:
        line += f", {summary['invalid']} with {_plural(summary['errors'], 'error')}"
    if summary["warnings"]:
        line += f", {_plural(summary['warnings'], 'warning')}"
    return line


# --------------------------------------------------------------------------- schema


def _configure_schema(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind",
        nargs="?",
        choices=("scenario", "roster"),
        default="scenario",
        help="which format (default: scenario)",
    )


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the scenario or roster format."""
    from drillsim.simulator.loading import schema_text

    sys.stdout.write(schema_text(args.kind))
    return EXIT_OK


# --------------------------------------------------------------------------- list


def _configure_list(parser: argparse.ArgumentParser) -> None:
    del parser  # no options yet


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def cmd_list(args: argparse.Namespace) -> int:
    """Print the scenarios and rosters: the built-ins and the local ones in ./scenarios/."""
    from drillsim.simulator.durations import format_duration
    from drillsim.simulator.library import roster_entries, scenario_entries
    from drillsim.simulator.loading import check_file, errors
    from drillsim.simulator.model import Roster, Scenario

    del args
    notes: list[str] = []
    rows = [["ID", "TITLE", "CATEGORY", "SEVERITY", "DURATION", "SOURCE"]]
    for entry in scenario_entries():
        model, problems = check_file(entry.path, "scenario", checks=False)
        source = entry.label if entry.source == "built-in" else f"{entry.label}: {entry.path}"
        if isinstance(model, Scenario):
            rows.append(
                [entry.id, model.title, model.category, model.severity, format_duration(model.duration), source]
            )
        else:
            invalid = f"(invalid: {_plural(len(errors(problems)), 'error')}; run drillsim validate)"
            rows.append([entry.id, invalid, "", "", "", source])
        notes += [entry.note] if entry.note else []
    print("Scenarios")
    for line in _table(rows):
        print(f"  {line}")
    rows = [["ID", "TEAM", "MEMBERS", "SOURCE"]]
    for entry in roster_entries():
        model, problems = check_file(entry.path, "roster", checks=False)
        source = entry.label if entry.source == "built-in" else f"{entry.label}: {entry.path}"
        if isinstance(model, Roster):
            rows.append([entry.id, model.team, str(len(model.members)), source])
        else:
            rows.append([entry.id, f"(invalid: {_plural(len(errors(problems)), 'error')})", "", source])
        notes += [entry.note] if entry.note else []
    print()
    print("Rosters")
    for line in _table(rows):
        print(f"  {line}")
    if notes:
        print()
        for note in notes:
            print(f"note: {note}")
    return EXIT_OK


# --------------------------------------------------------------------------- the table

SUBCOMMANDS: list[Subcommand] = [
    Subcommand(
        "validate",
        cmd_validate,
        _configure_validate,
        "check scenario and roster files (exit 2 if any has errors)",
        [
            "drillsim validate my-scenario.yaml",
            "drillsim validate scenarios/ my-rosters/",
            "drillsim validate --format json scenarios/ > report.json",
        ],
        description=(
            "Check scenario and roster YAML files against the format and the cross-reference rules "
            "(every action, metric, milestone ... a scenario names exists). Prints one line per problem "
            "as FILE:LINE:COL: WHERE: MESSAGE, then a summary. Exit status 0 when every file is valid "
            "(warnings do not fail), 2 when any file has errors."
        ),
    ),
    Subcommand(
        "schema",
        cmd_schema,
        _configure_schema,
        "print the JSON Schema of the scenario or roster format",
        [
            "drillsim schema > scenario.schema.json",
            "drillsim schema roster > roster.schema.json",
        ],
        description=(
            "Print the JSON Schema for editor completion. Name it in the first line of a YAML file: "
            "'# yaml-language-server: $schema=scenario.schema.json'."
        ),
    ),
    Subcommand(
        "list",
        cmd_list,
        _configure_list,
        "list the scenarios and rosters: built-in, and yours in ./scenarios/",
        ["drillsim list"],
        description=(
            "List the built-in scenarios and rosters and the local ones of the current folder "
            "(./scenarios/*.yaml and ./scenarios/rosters/*.yaml, where 'drillsim new' writes). A local "
            "file whose id (file name without .yaml) equals a built-in's is a local copy: every command "
            "uses it instead of the built-in, and it is marked 'local copy, shadows the built-in'."
        ),
    ),
]


SUBCOMMANDS += [
    Subcommand(
        "autoplay",
        "drillsim.headless:cmd_autoplay",
        "drillsim.headless:configure_autoplay",
        "play a scenario headlessly with a policy and write the run folder",
        [
            "drillsim autoplay flash-sale-latency",
            "drillsim autoplay model-drift --policy idle --seed 7",
            "drillsim autoplay flash-sale-latency --policy my-timeline.yaml --roster weekend-skeleton",
        ],
        description=(
            "Run a drill as fast as the CPU allows with a policy choosing the actions: playbook (the "
            "scenario's reference response), idle (nobody does anything), random, or a script file "
            "(a YAML list of {at, action, by?}, e.g. a past incident's real timeline). Writes "
            "drills/<time>-<team>-<scenario>/ with the journal and the report, and prints a summary."
        ),
    ),
    Subcommand(
        "replay",
        "drillsim.headless:cmd_replay",
        "drillsim.headless:configure_replay",
        "re-run a drill from its journal (--check: exit 1 on any difference)",
        ["drillsim replay drills/20261122-100000-crisis-team-flash-sale-latency --check"],
        description=(
            "Rebuild a drill from the inputs in its journal and compare the result with the journal, "
            "record by record (wall-clock times aside). With --check, exit 1 and name the first difference."
        ),
    ),
    Subcommand(
        "new",
        "drillsim.headless:cmd_new",
        "drillsim.headless:configure_new",
        "write a commented scenario to start from",
        [
            "drillsim new churn-model-drift",
            "drillsim new model-drift --from model-drift   # a local copy to tweak",
            "drillsim new my-flash-sale --from flash-sale-latency --dir my-scenarios --schema",
        ],
        description=(
            "Write scenarios/ID.yaml in the current folder, where the launcher, 'drillsim list' and "
            "'drillsim run ID' find it: a small, complete, commented scenario, or a copy of an existing one "
            "with --from (a copy with a built-in's id shadows that built-in). --schema also writes "
            "scenario.schema.json beside it for editor completion. Then edit it and check it with "
            "'drillsim validate ID --play'."
        ),
    ),
    Subcommand(
        "report",
        "drillsim.headless:cmd_report",
        "drillsim.headless:configure_report",
        "(re)write the after-action report of a run folder",
        [
            "drillsim report drills/20261122-100000-crisis-team-flash-sale-latency",
            "drillsim report drills/20261122-100000-crisis-team-flash-sale-latency --no-par",
        ],
        description=(
            "Score the drill in a run folder from its journal and write scorecard.json, report.md, "
            "report.html and figures/*.png into it (atomically). Par is the median (with the 10th and "
            "90th percentiles) of 101 drills of the scenario played by its playbook with the same roster, "
            "simulated once per scenario and roster and then read from the cache "
            "($XDG_CACHE_HOME/drillsim or ~/.cache/drillsim)."
        ),
    ),
]


SUBCOMMANDS.append(
    Subcommand(
        "simulate",
        "drillsim.simulate_cmd:cmd_simulate",
        "drillsim.simulate_cmd:configure_simulate",
        "play thousands of headless drills and show the odds of meeting each target",
        [
            "drillsim simulate flash-sale-latency --runs 1000",
            "drillsim simulate flash-sale-latency --runs 5000 --roster crisis-team --roster weekend-skeleton",
            "drillsim simulate flash-sale-latency --variant 'untested rollback: actions.rollback-model.success=0.6'",
            "drillsim simulate model-drift --variant 'slow pages: roster.members.*.response_time=5m'",
            "drillsim simulate model-drift --runs 2000 --policy random --jobs 2 --seed 7 --out sims/drift",
        ],
        description=(
            "What-if analysis: autoplay N drills per roster with seeds derived from --seed, over --jobs worker "
            "processes, and print for each milestone (time from impact) and the score the median, p10, p90 and "
            "how often its target is met (never reached = not met). Several --roster options, and --variant "
            "columns (the scenario and first roster with settings changed), are compared side by side on the "
            "same seeds. Writes runs.csv (one row per run), summary.json, summary.txt and "
            "distribution figures to --out (default ./simulations/<time>-<scenario>/). The same --seed gives "
            "the same results whatever --jobs is. See docs/whatif.md."
        ),
    )
)


SUBCOMMANDS.append(
    Subcommand(
        "compare",
        "drillsim.compare_cmd:cmd_compare",
        "drillsim.compare_cmd:configure_compare",
        "compare scored drills across quarters (tables, trends, recurring findings)",
        [
            "drillsim compare drills/",
            "drillsim compare drills/ archive/2025/ --by scenario --out comparisons/2026-Q3",
        ],
        description=(
            "Read the scorecards of past drills (run folders, scorecard.json files, or folders searched "
            "recursively) and compare them: per team and scenario, each drill's intervals against target and "
            "par, the score and objective ratings in drill order; medians and ranges; trend figures; recurring "
            "findings and corrective actions. A changed scenario (content hash) is marked with a †. Writes "
            "comparison.md, comparison.html, drills.csv (one row per drill) and figures to --out (default "
            "./comparisons/<time>/). Unreadable files are skipped with a warning; no scorecards at all exits 2. "
            "See docs/compare.md."
        ),
    )
)


SUBCOMMANDS.append(
    Subcommand(
        "handbook",
        "drillsim.handbook_cmd:cmd_handbook",
        "drillsim.handbook_cmd:configure_handbook",
        "write the exercise kit: the players' Situation Manual, the controller and evaluator handbook, the feedback form",
        [
            "drillsim handbook flash-sale-latency",
            "drillsim handbook flash-sale-latency --roster weekend-skeleton --exercise exercise.yaml --out kit/2026-Q4",
        ],
        description=(
            "Write the documents a quarterly drill needs before it starts, as Markdown and printable HTML: "
            "situation-manual (for the players: situation, objectives, roles, ground rules, schedule; no answers), "
            "controller-handbook (the MSEL, also as msel.csv, and the exercise evaluation guide: objectives, "
            "critical tasks, targets, what to observe; the faults and the playbook) and feedback-form (the "
            "participant feedback form). See docs/facilitator.md."
        ),
    )
)


# --------------------------------------------------------------------------- the TUI (tui/launch.py; textual is imported when a command runs)

SUBCOMMANDS += [
    Subcommand(
        "run",
        "drillsim.launch:cmd_run",
        "drillsim.launch:configure_run",
        "run a drill in the terminal UI, starting at the briefing",
        [
            "drillsim run flash-sale-latency",
            "drillsim run model-drift --roster weekend-skeleton --team 'Payments AI' --label 2026-Q4",
            "drillsim run my-scenario.yaml --speed 2 --seed 7 --out ~/drills",
        ],
        description=(
            "Open the briefing of a scenario (a file or a built-in id), then run the drill. The run folder "
            "drills/<time>-<team>-<scenario>/ holds the journal from the first second; the report is written "
            "into it at the debrief."
        ),
    ),
    Subcommand(
        "resume",
        "drillsim.host_cmd:cmd_resume",
        "drillsim.host_cmd:configure_resume",
        "continue an interrupted drill from its journal (starts paused)",
        [
            "drillsim resume drills/20261122-100000-crisis-team-flash-sale-latency",
            "drillsim resume drills/20261122-100000-crisis-team-flash-sale-latency --host",
        ],
        description=(
            "Rebuild a drill from the inputs in its journal, check the rebuild matches the journal, and "
            "continue it in the terminal UI, paused. A drill that had ended opens at its debrief."
        ),
    ),
]


# --------------------------------------------------------------------------- seats (cli/host_cmd.py; websockets and textual load when a command runs)

SUBCOMMANDS += [
    Subcommand(
        "host",
        "drillsim.host_cmd:cmd_host",
        "drillsim.host_cmd:configure_host",
        "serve a drill to seats over WebSocket: a controller, a room display and a seat per role",
        [
            "drillsim host flash-sale-latency",
            "drillsim host model-drift --roster weekend-skeleton --port 9000",
            "drillsim host flash-sale-latency --bind 0.0.0.0 --cert host.pem --key host-key.pem",
        ],
        description=(
            "Run one drill and its journal and serve it to seats (drillsim join). Prints the join command of "
            "each seat, with its own secret code. Listens on 127.0.0.1 unless --bind says otherwise. The drill "
            "starts paused until the controller starts it. See docs/facilitator.md, 'Running a remote drill'."
        ),
    ),
    Subcommand(
        "join",
        "drillsim.host_cmd:cmd_join",
        "drillsim.host_cmd:configure_join",
        "open a seat of a hosted drill: a role, the controller or the room display",
        ["drillsim join ws://127.0.0.1:8765 --seat crisis-lead --code CODE"],
        description=(
            "Open the terminal UI of one seat of a drill that 'drillsim host' serves. A role seat sees its "
            "own inbox and takes its role's actions; the controller sees everything and runs the drill; the room "
            "is a large-type display. A dropped seat reconnects by itself."
        ),
    ),
]


def launch_tui(args: argparse.Namespace) -> int:
    """Start the launcher (``drillsim`` with no command)."""
    from drillsim import launch

    return launch.launch_tui(args)


# --------------------------------------------------------------------------- the parser and main


def _version() -> str:
    from drillsim import __version__

    return __version__


def _chosen(argv: Sequence[str] | None) -> str | None:
    """The subcommand ``argv`` runs (its first word that is not an option), or None for all of them."""
    if argv is None:
        return None
    return next((word for word in argv if not word.startswith("-")), "")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``drillsim`` argument parser with every registered subcommand; given ``argv``, only the
    subcommand it runs gets its arguments (the others' modules are not even imported)."""
    chosen = _chosen(argv)
    examples = ["drillsim                                 start the launcher"]
    for sub in SUBCOMMANDS:
        examples.extend(sub.examples[:1])
    parser = argparse.ArgumentParser(
        prog="drillsim",
        description="A tabletop drill simulator for crisis response to AI system failures.",
        epilog=_examples(examples) + "\n\nexit status: 0 success, 1 a check found problems, 2 bad input or usage",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"drillsim {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for sub in SUBCOMMANDS:
        child = subparsers.add_parser(
            sub.name,
            help=sub.help,
            description=sub.description or sub.help[:1].upper() + sub.help[1:] + ".",
            epilog=_examples(sub.examples) if sub.examples else None,
            formatter_class=HelpFormatter,
        )
        if chosen is None or chosen == sub.name:
            sub.configure_parser(child)
        child.set_defaults(func=sub.runner())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The console entry point: parse ``argv`` and run the subcommand; returns the exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:  # --help, --version, usage errors
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
    from drillsim.simulator.library import LibraryError

    try:
        func = getattr(args, "func", None)
        if func is None:
            return launch_tui(args)
        result: int = func(args)
        return result
    except (UserError, LibraryError) as exc:
        tell(f"drillsim: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        tell("drillsim: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (drillsim schema | head): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        # A LoadError exists only once its module is imported: looking it up here keeps pydantic
        # (which drillsim.simulator.loading imports) out of the launcher's first paint.
        loading = sys.modules.get("drillsim.simulator.loading")
        if loading is None or not isinstance(exc, loading.LoadError):
            raise
        for problem in exc.problems:
            tell(problem)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
