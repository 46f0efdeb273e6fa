"""Shared test helpers: keep this minimal; put area-specific fixtures in a conftest.py of a subfolder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


@pytest.fixture
def data_dir() -> Path:
    """tests/data: fixture files (valid/, invalid/, journals/ ...)."""
    return DATA


# Hypothesis: CI runs a fixed, derandomized set of examples so a green main stays green;
# `HYPOTHESIS_PROFILE=campaign pytest tests/engine/test_properties.py tests/test_fuzz_loading.py`
# explores fresh random examples, many more of them.
settings.register_profile("ci", max_examples=100, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("campaign", max_examples=2000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
