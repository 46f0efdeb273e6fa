"""The real ``drillsim`` in tmux at 80x24 and 160x48, and llm-pii-exposure at 80x24 (scripts/tmux_smoke.sh); skipped without tmux."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "tmux_smoke.sh"


@pytest.mark.serial
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tmux_smoke() -> None:
    drillsim = Path(sys.executable).with_name("drillsim")
    if not drillsim.exists():
        pytest.skip("the drillsim console script is not installed next to this Python")
    env = {**os.environ, "DRILLSIM": str(drillsim)}
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=420)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tmux_smoke: all ok" in result.stdout
