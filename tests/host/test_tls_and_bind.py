"""TLS with --cert/--key (a self-signed certificate made by openssl), and the warning for a non-loopback bind."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from drillsim.host.server import is_loopback
from websockets.sync.client import connect

from .conftest import HostProcess

pytestmark = pytest.mark.serial


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_a_host_with_a_certificate_serves_wss_and_a_seat_trusting_it_joins(
    tmp_path: Path, host_factory: Callable[..., HostProcess]
) -> None:
    cert, key = tmp_path / "host.pem", tmp_path / "host-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    host = host_factory(
        "host", "flash-sale-latency", "--port", "0", "--out", str(tmp_path / "drills"), "--cert", str(cert),
        "--key", str(key),
    )  # fmt: skip
    assert host.url.startswith("wss://127.0.0.1:")
    trusting = ssl.create_default_context(cafile=str(cert))
    with connect(host.url, ssl=trusting, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "hello", "seat": "room", "code": host.codes["room"]}))
        assert json.loads(ws.recv(timeout=10))["type"] == "welcome"
    with pytest.raises(ssl.SSLCertVerificationError), connect(host.url, open_timeout=10):
        pass  # a seat that does not trust the certificate does not get in


def test_loopback_addresses_and_the_warning_for_any_other(capsys: pytest.CaptureFixture[str]) -> None:
    from drillsim.host_cmd import _warn_bind

    assert all(is_loopback(a) for a in ("127.0.0.1", "127.0.0.2", "::1", "localhost"))
    assert not any(is_loopback(a) for a in ("0.0.0.0", "::", "192.168.1.10", "drill.example.org"))
    _warn_bind("127.0.0.1", None)
    assert capsys.readouterr().err == ""
    _warn_bind("0.0.0.0", None)
    err = capsys.readouterr().err
    assert "warning: listening on 0.0.0.0" in err and "without TLS" in err
    _warn_bind("0.0.0.0", object())
    assert "without TLS" not in capsys.readouterr().err


def test_user_errors_of_host_join_and_resume_are_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    run = tmp_path / "plain-run"
    run.mkdir()
    (run / "journal.jsonl").write_text('{"seq":0,"t":0.0,"type":"drill_started"}\n')
    cases = [
        (["join", "ws://127.0.0.1:9", "--seat", "room"], "needs its join code"),
        (["join", "http://example", "--seat", "room", "--code", "x"], "starts with ws:// or wss://"),
        (["host", "no-such-scenario", "--out", str(tmp_path / "d")], "no-such-scenario"),
        (["resume", str(run), "--host"], "not hosted"),
    ]
    env = {k: v for k, v in __import__("os").environ.items() if k != "DRILLSIM_JOIN_CODE"}
    for argv, words in cases:
        result = subprocess.run(
            [sys.executable, "-m", "drillsim", *argv], capture_output=True, text=True, timeout=60, check=False, env=env
        )
        assert result.returncode == 2, (argv, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr, (argv, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert (run / "journal.jsonl").read_text() == '{"seq":0,"t":0.0,"type":"drill_started"}\n'
    assert not (tmp_path / "d").exists()


def test_a_busy_port_is_told_after_an_unknown_scenario_and_before_any_run_folder(tmp_path: Path) -> None:
    """With another host on the port, a mistyped scenario was told "choose another --port" first."""
    import socket
    import subprocess
    import sys

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        for scenario, words in (
            ("no-such-scenario", "unknown scenario 'no-such-scenario'"),
            ("flash-sale-latency", "cannot listen"),
        ):
            result = subprocess.run(
                [sys.executable, "-m", "drillsim", "host", scenario, "--port", port, "--out", str(tmp_path / "d")],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert result.returncode == 2 and words in result.stderr, result.stderr
            assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "d").exists()
