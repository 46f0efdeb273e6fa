"""``drillsim host``, ``drillsim join`` and ``drillsim resume RUN --host``: a drill served to seats.

Light at import (no websockets, no textual): ``drillsim --help`` builds its parser from here.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drillsim.errors import EXIT_OK, UserError, tell

DEFAULT_PORT = 8765
CODE_ENV = "DRILLSIM_JOIN_CODE"


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0-65535 (0: any free port)")
    return value


def _serving_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bind",
        default="127.0.0.1",
        metavar="ADDR",
        help="address to listen on (default 127.0.0.1: this machine only; another address warns)",
    )
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, metavar="P", help=f"port (default {DEFAULT_PORT}; 0: any free)"
    )
    parser.add_argument("--cert", type=Path, metavar="PEM", help="TLS certificate (with --key): seats join with wss://")
    parser.add_argument("--key", type=Path, metavar="PEM", help="TLS private key")


def configure_host(parser: argparse.ArgumentParser) -> None:
    from drillsim.launch import configure_run

    configure_run(parser)
    _serving_options(parser)
    parser.add_argument(
        "--run-now",
        action="store_true",
        help="start the drill at once (default: paused until the controller starts it)",
    )


def _tls(args: argparse.Namespace) -> Any:
    if (args.cert is None) != (args.key is None):
        raise UserError("--cert and --key go together: the certificate and its private key (PEM files)")
    if args.cert is None:
        return None
    from drillsim.host.server import tls_context

    try:
        return tls_context(args.cert, args.key)
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot use the TLS certificate {args.cert} and key {args.key}: {exc}") from None


def _check_port(bind: str, port: int) -> None:
    import socket

    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(bind, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise UserError(f"cannot listen on {bind}:{port}: {exc.strerror or exc}; choose another --port") from None


def _warn_bind(bind: str, tls: Any) -> None:
    from drillsim.host.server import is_loopback

    if not is_loopback(bind):
        plain = "" if tls else " without TLS (anyone on the path can read the drill; use --cert/--key)"
        tell(
            f"warning: listening on {bind}, reachable from other machines{plain}; "
            "each seat still needs its own join code",
        )


def _announce(folder: Path, codes: dict[str, str], bind: str) -> Callable[[str], None]:
    def ready(url: str) -> None:
        shown = url
        if bind in ("0.0.0.0", "::"):
            shown = url.replace(bind, "THIS-MACHINE", 1)
        print(f"listening on {url}", flush=True)
        print(f"run folder: {folder}")
        print(f"Join commands (one per seat; each code is that seat's secret, kept in {folder / 'seats.json'}):")
        width = max(len(seat) for seat in codes)
        for seat, code in codes.items():
            print(f"  {seat:<{width}}  drillsim join {shown} --seat {seat} --code={code}")
        print("Ctrl-C stops the host; 'drillsim resume RUN --host' brings it back with the same codes.", flush=True)

    return ready


def _serve(drill: Any, folder: Path, codes: dict[str, str], args: argparse.Namespace) -> int:
    from drillsim.host.server import DrillHost, serve_until_stopped

    tls = _tls(args)
    _warn_bind(args.bind, tls)
    host = DrillHost(drill, folder, codes, log=lambda line: print(line, flush=True))
    try:
        import asyncio

        asyncio.run(serve_until_stopped(host, args.bind, args.port, tls, _announce(folder, codes, args.bind)))
    except OSError as exc:
        raise UserError(
            f"cannot listen on {args.bind}:{args.port}: {exc.strerror or exc}; choose another --port"
        ) from None
    print(f"The host stopped. The drill is in {folder}; continue it with: drillsim resume {folder} --host")
    return EXIT_OK


def cmd_host(args: argparse.Namespace) -> int:
    """``drillsim host SCENARIO``: a new drill, paused, served to its seats."""
    from drillsim.host.run import new_codes, write_codes
    from drillsim.host.views import seats_of
    from drillsim.simulator.session import load_pair, start_run

    # refuse a bad certificate, an unknown scenario or a busy port before creating a run folder (a mistyped
    # scenario is told first: changing the port would not help it)
    _tls(args)
    loaded = load_pair(args.scenario, args.roster)
    _check_port(args.bind, args.port)
    for warning in loaded.warnings:
        tell(f"warning: {warning}")
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big") % 100_000 + 1
    run = start_run(
        loaded, seed=seed, out=args.out or Path("drills"), team=args.team, label=args.label, speed=args.speed
    )
    if run.folder is None or run.writer is None or not run.writer.ok:
        raise UserError("; ".join(run.warnings) or "cannot create the run folder: a hosted drill needs its journal")
    if not args.run_now:
        run.drill.pause()
    codes = new_codes(seats_of(run.drill))
    write_codes(run.folder, codes)
    return _serve(run.drill, run.folder, codes, args)


def cmd_resume_host(args: argparse.Namespace) -> int:
    """``drillsim resume RUN --host``: rebuild the drill from its journal (paused) and serve it with the same codes."""
    from drillsim.host.run import HostRunError, read_codes, resume_run

    run = Path(args.run)
    folder = run.parent if run.is_file() else run
    try:
        codes = read_codes(folder)
        resumed = resume_run(run)
    except HostRunError as exc:
        raise UserError(str(exc)) from None
    for warning in resumed.warnings:
        tell(f"warning: {warning}")
    return _serve(resumed.drill, resumed.folder, codes, args)


def configure_resume(parser: argparse.ArgumentParser) -> None:
    """``drillsim resume``'s options (cli/launch.py) plus ``--host`` and the serving options."""
    from drillsim.launch import configure_resume as configure_local

    configure_local(parser)
    parser.add_argument(
        "--host",
        action="store_true",
        help="serve the resumed drill to its seats (a drill started by drillsim host)",
    )
    _serving_options(parser)


def cmd_resume(args: argparse.Namespace) -> int:
    """``drillsim resume RUN``: in this terminal (cli/launch.py), or served to its seats with ``--host``."""
    if args.host:
        return cmd_resume_host(args)
    from drillsim.launch import cmd_resume as resume_here

    return resume_here(args)


# ---------------------------------------------------------------------------- join


def configure_join(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="the host's address as it printed it: ws://HOST:PORT or wss://...")
    parser.add_argument("--seat", required=True, metavar="SEAT", help="a role id, controller or room")
    parser.add_argument("--code", metavar="CODE", help=f"the seat's join code (or set {CODE_ENV})")
    parser.add_argument("--cafile", type=Path, metavar="PEM", help="trust this certificate for wss:// (self-signed)")
    parser.add_argument(
        "--web",
        type=_port,
        metavar="PORT",
        help="serve the seat to a browser on http://localhost:PORT instead (needs textual-serve: drillsim[web])",
    )


def cmd_join(args: argparse.Namespace) -> int:
    """``drillsim join URL --seat SEAT``: the seat's terminal UI, reconnecting by itself."""
    code = args.code or os.environ.get(CODE_ENV)
    if not code:
        raise UserError(f"a seat needs its join code: --code CODE (or {CODE_ENV}), as the host printed it")
    if not args.url.startswith(("ws://", "wss://")):
        raise UserError(f"'{args.url}' is not a host address: it starts with ws:// or wss://, as the host printed it")
    if args.web is not None:
        return _join_in_browser(args, code)
    from drillsim.tui.seats.app import SeatApp

    app = SeatApp(args.url, args.seat, code, cafile=args.cafile)
    message = app.run()
    if message:
        print(message)
    return int(app.return_code or 0)


def _join_in_browser(args: argparse.Namespace, code: str) -> int:
    """The seat in a browser: textual-serve runs ``drillsim join`` for each page opened (the code in the
    environment, not on a command line) and serves it on localhost only."""
    import shlex

    try:
        from textual_serve.server import Server
    except ImportError:
        raise UserError("a browser seat needs textual-serve: pip install 'drillsim[web]'") from None
    os.environ[CODE_ENV] = code
    command = [sys.executable, "-m", "drillsim", "join", args.url, "--seat", args.seat]
    if args.cafile is not None:
        command += ["--cafile", str(args.cafile)]
    print(f"The {args.seat} seat in a browser: http://localhost:{args.web}  (one page at a time; Ctrl-C stops it)")
    Server(shlex.join(command), host="localhost", port=args.web, title=f"drillsim: {args.seat}").serve()
    return EXIT_OK
