"""The real ``drillsim`` in tmux at 80x24 and 160x48, and llm-pii-exposure at 80x24 (scripts/tmux_smoke.sh); skipped without tmux."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "tmux_smoke.sh"


def slowness() -> int:
    """How much longer the script's waits are on a busy machine: the load per core, rounded up (1 to 8)."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 1
    return max(1, min(8, math.ceil(load / (os.cpu_count() or 1))))


@pytest.mark.serial
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tmux_smoke() -> None:
    drillsim = Path(sys.executable).with_name("drillsim")
    if not drillsim.exists():
        pytest.skip("the drillsim console script is not installed next to this Python")
    slow = slowness()
    env = {**os.environ, "DRILLSIM": str(drillsim), "TMUX_SMOKE_SLOW": str(slow)}
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=420 * slow)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tmux_smoke: all ok" in result.stdout
