"""Shared test helpers: keep this minimal; put area-specific fixtures in a conftest.py of a subfolder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from drillsim.simulator.library import resolve_roster, resolve_scenario
from drillsim.simulator.loading import load_roster, load_scenario
from drillsim.simulator.model import Roster, Scenario
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """The default built-in scenario, flash-sale-latency (tests/engine and tests/tui have their own)."""
    return load_scenario(resolve_scenario("flash-sale-latency"))


@pytest.fixture(scope="session")
def crisis() -> Roster:
    """The built-in crisis-team roster."""
    return load_roster(resolve_roster("crisis-team"))


@pytest.fixture(scope="session")
def weekend() -> Roster:
    """The built-in weekend-skeleton roster."""
    return load_roster(resolve_roster("weekend-skeleton"))


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


@pytest.fixture(autouse=True, scope="session")
def _par_cache(tmp_path_factory: pytest.TempPathFactory):
    """Par (101 playbook drills per scenario and roster) is cached in a folder of the test session's
    own, shared by its tests and the CLI subprocesses they start; never in the user's ~/.cache."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous
