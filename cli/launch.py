"""The TUI's subcommands: ``drillsim`` (launcher), ``drillsim run`` and ``drillsim resume``.

Light at import (no textual): ``drillsim.main`` imports this module to build its parser, and
``drillsim --help`` must stay fast. Textual is imported when a command runs. Each command
needs a terminal (stdin and stdout): without one it says so in one line and exits 2.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from drillsim.errors import tell


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError("the speed is a positive number such as 0.5, 1, 2, 10 or 60")
    return value


def configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario file or the id of a built-in scenario")
    parser.add_argument("--roster", metavar="R", help="a roster file or built-in id (default: the scenario's)")
    parser.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        metavar="X",
        help="sim seconds per wall second (default 1; + and - change it during the drill)",
    )
    parser.add_argument("--seed", type=int, metavar="N", help="random seed (default: a fresh one)")
    from drillsim.headless import flag_text

    parser.add_argument("--team", type=flag_text, metavar="T", help="team name in the report (default: the roster's)")
    parser.add_argument("--label", type=flag_text, metavar="L", help="drill label such as 2026-Q4")
    parser.add_argument("--out", type=Path, metavar="DIR", help="where run folders go (default: ./drills)")


def configure_resume(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", metavar="RUN", help="the run folder (or its journal.jsonl) of an interrupted drill")


def configure_launcher(parser: argparse.ArgumentParser) -> None:
    del parser


NO_TERMINAL = "drillsim's launcher needs a terminal; for headless use see `drillsim autoplay --help`"


def _require_terminal() -> int | None:
    """``None`` when stdin and stdout are a terminal; else say so in one line and give exit status 2.

    Without this, the full-screen UI would write escape codes into a pipe or file and wait forever
    for keys that never come.
    """
    from drillsim.errors import EXIT_USAGE

    try:
        interactive = sys.stdin is not None and sys.stdout is not None and sys.stdin.isatty() and sys.stdout.isatty()
    except (OSError, ValueError):  # a closed stream
        interactive = False
    if interactive:
        return None
    tell(NO_TERMINAL)
    return EXIT_USAGE


def _run_app(app: Any) -> int:
    """Run the app; afterwards say where the drill is and how to continue it, even after a crash."""
    message = app.run()
    if message:
        print(message)
    elif app.session is not None and app.session.run_dir is not None and not app.session.drill.ended:
        tell(
            f"The drill is saved in {app.session.run_dir}\nContinue it with: drillsim resume {app.session.run_dir}",
        )
    return int(app.return_code or 0)


def launch_tui(args: argparse.Namespace) -> int:
    """``drillsim`` with no command: the launcher."""
    del args
    refused = _require_terminal()
    if refused is not None:
        return refused
    from drillsim.tui.app import make_app
    from drillsim.tui.session import Settings

    return _run_app(make_app(settings=Settings()))


def cmd_run(args: argparse.Namespace) -> int:
    """``drillsim run SCENARIO``: straight to the briefing."""
    from drillsim.simulator.session import load_pair
    from drillsim.tui.app import make_app
    from drillsim.tui.session import Settings

    loaded = load_pair(args.scenario, args.roster)
    refused = _require_terminal()
    if refused is not None:
        return refused
    for note in loaded.notes:
        tell(f"note: {note}")
    for warning in loaded.warnings:
        tell(f"warning: {warning}")
    settings = Settings(
        team=args.team,
        label=args.label,
        speed=args.speed,
        seed=args.seed,
        out=args.out or Path("drills"),
    )
    return _run_app(make_app(loaded.scenario, loaded.roster, settings=settings))


def cmd_resume(args: argparse.Namespace) -> int:
    """``drillsim resume RUN``: rebuild the drill from its journal and go on, paused."""
    from drillsim.errors import UserError
    from drillsim.tui.session import SessionError, Settings, resume_drill

    try:  # a missing run folder or a malformed journal is reported as such, terminal or not
        session = resume_drill(Path(args.run))
    except SessionError as exc:
        raise UserError(str(exc)) from None
    refused = _require_terminal()
    if refused is not None:
        return refused
    for warning in session.warnings:
        tell(f"warning: {warning}")
    from drillsim.tui.app import make_app

    return _run_app(make_app(session=session, settings=Settings(out=session.run_dir or Path("drills"))))
