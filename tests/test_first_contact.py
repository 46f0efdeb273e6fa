"""What a newcomer meets first (#13): --help that fits the terminal, no full-screen UI without a
terminal, one top-level import package in the wheel, and CI testing the installed package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import drillsim
import pytest
from drillsim.main import SUBCOMMANDS, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", ["", *[sub.name for sub in SUBCOMMANDS]])
def test_help_fits_80_columns(command: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main([command, "--help"] if command else ["--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    too_long = [line for line in lines if len(line) > 80]
    assert too_long == [], f"drillsim {command} --help at 80 columns"
    assert len(lines) > 5


def test_help_follows_the_terminal_width(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    main(["simulate", "--help"])
    wide = capsys.readouterr().out.splitlines()
    monkeypatch.setenv("COLUMNS", "80")
    main(["simulate", "--help"])
    narrow = capsys.readouterr().out.splitlines()
    assert max(map(len, wide)) > 100 and len(wide) < len(narrow)
    # an example command wrapped for 80 columns still pastes into a shell: a backslash, never inside quotes
    assert any(line.endswith(" \\") for line in narrow)
    assert "'untested rollback: actions.rollback-model.success=0.6'" in "\n".join(narrow)


@pytest.mark.parametrize("argv", [[], ["run", "flash-sale-latency"]], ids=["launcher", "run"])
def test_without_a_terminal_one_line_and_exit_2(argv: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "drillsim", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == ("drillsim's launcher needs a terminal; for headless use see `drillsim autoplay --help`\n")
    assert not (tmp_path / "drills").exists()


def _copy_checkout(dest: Path) -> Path:
    """The repository's files as a fresh clone would have them (no venv, caches or build leftovers)."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv*", "venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache",
        ".mypy_cache", ".hypothesis", "drills", "simulations", "comparisons",
    )  # fmt: skip
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.mark.slow
def test_the_wheel_installs_one_top_level_package(tmp_path: Path) -> None:
    src = _copy_checkout(tmp_path / "src")
    out = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(src)],
        check=True,
        timeout=300,
    )
    (wheel,) = out.glob("drillsim-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        declared = set(archive.read(top_level).decode().split())
        (record,) = [n for n in names if n.endswith(".dist-info/RECORD")]
        recorded = {line.split(",")[0] for line in archive.read(record).decode().splitlines() if line}
    installed = {name.split("/")[0] for name in recorded if not name.split("/")[0].endswith(".dist-info")}
    assert declared == {"drillsim"}
    assert installed == {"drillsim"}
    for package in ("simulator", "reports", "tui", "scenarios"):
        assert f"drillsim/{package}/__init__.py" in recorded
    assert "drillsim/scenarios/flash-sale-latency.yaml" in recorded  # package data
    assert "drillsim/__main__.py" in recorded  # python -m drillsim


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="CI installs the package (not editable); see .ci/run")
def test_ci_tests_the_installed_package_not_the_checkout() -> None:
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    where = Path(drillsim.__file__).resolve()
    assert where.is_relative_to(site), f"drillsim imported from {where}, not from {site}"
    assert not where.is_relative_to(ROOT / "cli")
