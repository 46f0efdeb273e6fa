"""``drillsim handbook``: the exercise kit before a drill (reports/handbook.py).

jinja2 is imported inside the command, never at import.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def configure_handbook(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario file or the id of a built-in scenario")
    parser.add_argument("--roster", metavar="R", help="a roster file or built-in id (default: the scenario's own)")
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="where the documents go (default: ./handbooks/<scenario id>/)"
    )
    parser.add_argument(
        "--exercise",
        type=Path,
        metavar="FILE",
        help="an exercise.yaml with the exercise's name, type, sponsor, location and point of contact",
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, metavar="X", help="the speed you will play at, for the schedule (default 1)"
    )


def cmd_handbook(args: argparse.Namespace) -> int:
    from drillsim.errors import UserError
    from drillsim.reports.exercise import ExerciseError, load_exercise
    from drillsim.reports.handbook import write_handbook
    from drillsim.simulator.library import DEFAULT_ROSTER, resolve_roster, resolve_scenario
    from drillsim.simulator.loading import load_roster, load_scenario

    if not args.speed > 0:
        raise UserError(f"--speed {args.speed:g}: must be a positive number of sim seconds per wall second")
    scenario = load_scenario(resolve_scenario(args.scenario))
    roster = load_roster(resolve_roster(args.roster or scenario.default_roster or DEFAULT_ROSTER))
    try:
        info = load_exercise(args.exercise) if args.exercise else None
    except ExerciseError as exc:
        raise UserError(str(exc)) from None
    out = args.out or Path("handbooks") / scenario.id
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder")
    try:
        paths = write_handbook(scenario, roster, out, info, speed=args.speed)
    except OSError as exc:
        raise UserError(f"{out}: cannot write the handbook ({exc.strerror or exc})") from None
    names = {p.name: p for p in paths.files}
    print(f"Situation Manual (players):        {names['situation-manual.html']}  (and .md)")
    print(f"Controller and evaluator handbook: {names['controller-handbook.html']}  (and .md, msel.csv)")
    print(f"Participant feedback form:         {names['feedback-form.html']}  (and .md)")
    return 0
