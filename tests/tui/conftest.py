"""Fixtures for the TUI tests: the flash-sale scenario, a clock the test moves, and app builders."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest
from drillsim.simulator.model import Roster, Scenario
from drillsim.tui.app import DrillsimApp, make_app
from drillsim.tui.session import ScenarioEntry, Settings

SIZE = (120, 40)


class ManualClock:
    """A monotonic clock that only moves when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def roster(crisis: Roster) -> Roster:
    """The UI tests' roster: crisis-team (tests/conftest.py), with the flash-sale ``scenario`` from there too."""
    return crisis


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def library(scenario: Scenario) -> list[ScenarioEntry]:
    """Only the default scenario, so launcher tests do not depend on the rest of the library."""
    return [ScenarioEntry("flash-sale-latency", Path("flash-sale-latency.yaml"), "built-in", scenario)]


@pytest.fixture
def app_factory(tmp_path: Path, clock: ManualClock, library: list[ScenarioEntry]):
    """``app_factory(**kwargs)``: the app as the CLI builds it, with a frozen clock and a temp run folder."""

    def build(**kwargs: object) -> DrillsimApp:
        kwargs.setdefault("settings", Settings(seed=7, out=tmp_path / "drills"))
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("auto_advance", False)
        kwargs.setdefault("scenarios", library)
        kwargs.setdefault("cwd", tmp_path)
        return make_app(**kwargs)

    return build


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests here with asyncio (no pytest-asyncio needed for Pilot tests)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None
