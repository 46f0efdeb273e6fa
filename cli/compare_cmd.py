"""``drillsim compare``: compare scored drills across quarters (reports/compare.py, reports/compare_render.py).

pandas, matplotlib and jinja2 are imported inside the command, never at import.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drillsim.errors import tell


def configure_compare(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        type=Path,
        help="run folders, scorecard.json files, or folders searched recursively for them",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="where the comparison goes (default: ./comparisons/<time>/)"
    )
    parser.add_argument(
        "--by",
        choices=("team", "scenario", "label"),
        default="team",
        help="how the summary groups drills (default: team)",
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the trend figures (faster)")


def cmd_compare(args: argparse.Namespace) -> int:
    from drillsim.errors import UserError
    from drillsim.reports.compare import compare, load_drills
    from drillsim.reports.compare_render import default_out, terminal_summary, write_comparison

    collection = load_drills(args.paths)
    for warning in collection.warnings:
        tell(f"warning: {warning}")
    if not collection.drills:
        raise UserError(
            "no scorecards to compare in " + ", ".join(str(p) for p in args.paths) + " (looked for run folders "
            "with scorecard.json or journal.jsonl, and scorecard files)"
        )
    comparison = compare(collection.drills, by=args.by, warnings=collection.warnings)
    out = args.out or default_out()
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder")
    try:
        paths = write_comparison(comparison, out, figures=not args.no_figures)
    except OSError as exc:
        raise UserError(f"{out}: cannot write the comparison ({exc.strerror or exc})") from None
    sys.stdout.write(terminal_summary(comparison))
    print()
    print(f"report: {paths.html}")
    print(f"        {paths.markdown}")
    print(f"csv:    {paths.csv[0]} (one row per drill)")
    return 0
