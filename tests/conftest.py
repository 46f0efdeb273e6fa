"""Shared test helpers: keep this minimal; put area-specific fixtures in a conftest.py of a subfolder."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


@pytest.fixture
def data_dir() -> Path:
    """tests/data: fixture files (valid/, invalid/, journals/ ...)."""
    return DATA
