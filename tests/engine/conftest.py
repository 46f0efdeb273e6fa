from __future__ import annotations

import pytest
from drillsim.simulator.model import Roster, Scenario

from tests.engine.helpers import tiny_roster, tiny_scenario


@pytest.fixture
def scenario() -> Scenario:
    return tiny_scenario()


@pytest.fixture
def roster() -> Roster:
    return tiny_roster()
