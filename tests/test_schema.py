"""The committed JSON Schemas match the models; every built-in YAML names its schema and validates."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest
from drillsim import scenarios
from drillsim.simulator.loading import SCHEMA_FILES, check_file, errors, json_schema, schema_text, write_schemas
from drillsim.simulator.model import Roster, Scenario
from pydantic import BaseModel

FOLDER = Path(scenarios.__file__).parent
SCENARIO_FILES = sorted([*FOLDER.glob("*.yaml"), *FOLDER.glob("*.yml")])
ROSTER_FILES = sorted([*(FOLDER / "rosters").glob("*.yaml"), *(FOLDER / "rosters").glob("*.yml")])


@pytest.mark.parametrize("kind", ["scenario", "roster"])
def test_committed_schema_matches_the_models(kind: typing.Literal["scenario", "roster"]) -> None:
    committed = (FOLDER / SCHEMA_FILES[kind]).read_text(encoding="utf-8")
    assert committed == schema_text(kind), "run: python -m drillsim.simulator.loading --write-schemas"
    assert committed.endswith("}\n")
    assert json.loads(committed)["additionalProperties"] is False


def test_schema_uses_the_written_key_names() -> None:
    schema = json_schema("scenario")
    assert "from" in schema["$defs"]["Inject"]["properties"]
    assert "for" in schema["$defs"]["MetricCondition"]["properties"]
    assert "from_" not in json.dumps(schema)


def test_write_schemas(tmp_path: Path) -> None:
    written = write_schemas(tmp_path)
    assert sorted(p.name for p in written) == ["roster.schema.json", "scenario.schema.json"]
    assert (tmp_path / "scenario.schema.json").read_text() == schema_text("scenario")


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.name for p in SCENARIO_FILES])
def test_builtin_scenario_names_its_schema_and_validates(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=scenario.schema.json"
    model, problems = check_file(path)
    assert errors(problems) == [], "\n".join(map(str, problems))
    assert isinstance(model, Scenario)
    assert model.id == path.stem, "a built-in scenario's file is named after its id"


@pytest.mark.parametrize("path", ROSTER_FILES, ids=[p.name for p in ROSTER_FILES])
def test_builtin_roster_names_its_schema_and_validates(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../roster.schema.json"
    model, problems = check_file(path)
    assert errors(problems) == [], "\n".join(map(str, problems))
    assert isinstance(model, Roster)
    assert model.id == path.stem, "a built-in roster's file is named after its id"


def _models(root: type[BaseModel]) -> set[type[BaseModel]]:
    from drillsim.simulator.loading import _unwrap

    seen: set[type[BaseModel]] = set()
    stack: list[typing.Any] = [root]
    while stack:
        tp = stack.pop()
        for alt in _unwrap(tp):
            if isinstance(alt, type) and issubclass(alt, BaseModel):
                if alt not in seen:
                    seen.add(alt)
                    stack.extend(info.annotation for info in alt.model_fields.values())
            else:
                stack.extend(typing.get_args(alt))
    return seen


def test_authoring_guide_mentions_every_field() -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs" / "authoring.md").read_text(encoding="utf-8")  # the checkout
    missing = [
        f"{model.__name__}.{info.alias or name}"
        for model in sorted(_models(Scenario) | _models(Roster), key=lambda m: m.__name__)
        for name, info in model.model_fields.items()
        if f"`{info.alias or name}`" not in guide
    ]
    assert missing == [], "docs/authoring.md does not explain: " + ", ".join(missing)
