from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

JOURNALS = HERE.parents[1] / "tests" / "data" / "journals"


@pytest.fixture
def journal() -> Any:
    from drillsim.reports.journal_io import read_journal

    def load(name: str) -> list[dict[str, Any]]:
        return read_journal(JOURNALS / f"{name}.jsonl")

    return load
