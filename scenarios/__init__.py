"""The built-in scenario library, shipped as package data.

``library()`` returns the folder as an importable resource, so the scenarios are found
after a regular, non-editable install as well as from a checkout.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable


def library() -> Traversable:
    """The folder holding the built-in scenario YAML files and the JSON Schemas."""
    return resources.files(__name__)


def rosters() -> Traversable:
    """The folder holding the built-in roster YAML files."""
    return resources.files(__name__).joinpath("rosters")
