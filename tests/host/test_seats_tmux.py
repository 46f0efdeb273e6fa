"""A host and three seats in tmux play flash-sale-latency to its end (scripts/seats_tmux.sh); skipped without tmux."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "seats_tmux.sh"


@pytest.mark.serial
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_host_and_three_seats_play_a_drill_in_tmux() -> None:
    drillsim = Path(sys.executable).with_name("drillsim")
    if not drillsim.exists():
        pytest.skip("the drillsim console script is not installed next to this Python")
    env = {**os.environ, "DRILLSIM": str(drillsim)}
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "seats_tmux: host + 3 seats played flash-sale-latency to its end" in result.stdout
