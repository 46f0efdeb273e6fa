"""What every benchmark here measures of a command: its wall time and its CPU time in a fresh process."""

from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def timed_run(command: list[str], **options: Any) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system of it and the children it waited for) of one run of
    ``command`` from the repository, its output discarded; ``options`` go to ``subprocess.run``."""
    start, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(command, check=True, cwd=ROOT, **{**quiet, **options})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
