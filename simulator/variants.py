"""What-if variants: a scenario and roster with a few settings changed, for ``drillsim simulate``.

A variant is written ``LABEL: PATH=VALUE[; PATH=VALUE]...``::

    untested rollback: actions.rollback-model.success=0.6
    slow pages: roster.members.*.response_time=5m
    short-handed: roster.members.Blake.on_call=false; roster.members.Casey.response_time=8m

A ``PATH`` walks the scenario's fields (or, after ``roster.``, the roster's) by name; a
list is entered by an item's ``id`` (members by ``name``), by its index, or with ``*`` for
every item. The ``VALUE`` is read as YAML (``0.6``, ``5m``, ``false``, ``[a, b]``). The
changed scenario and roster are validated like files are, so a variant can't build what a
trainer could not write. ``scoring`` can't be changed: the targets are the yardstick every
column of a simulation is measured against.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import yaml
from drillsim.simulator.checks import check_roster, check_scenario
from drillsim.simulator.journal import slug
from drillsim.simulator.loading import errors
from drillsim.simulator.model import Roster, Scenario
from pydantic import ValidationError

ROSTER_PREFIX = "roster."

Model = TypeVar("Model", Scenario, Roster)


class VariantError(ValueError):
    """A variant that can't be parsed or applied; the message names the variant and the path."""


@dataclass(frozen=True)
class Variant:
    label: str
    assignments: tuple[tuple[str, Any], ...]
    """(path, value) in the order written."""

    @property
    def id(self) -> str:
        """The variant's column id: its label as a slug."""
        return slug(self.label) or "variant"

    def describe(self) -> str:
        return "; ".join(f"{path}={_show(value)}" for path, value in self.assignments)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("...").strip()


def parse_variant(text: str) -> Variant:
    """``LABEL: PATH=VALUE[; PATH=VALUE]...`` as a :class:`Variant`; raises :class:`VariantError`."""
    label, colon, body = text.partition(":")
    label = label.strip()
    if not colon or not label:
        raise VariantError(
            f"variant {text!r}: expected 'LABEL: PATH=VALUE', e.g. 'slow pages: roster.members.*.response_time=5m'"
        )
    assignments = []
    for part in body.split(";"):
        part = part.strip()
        if not part:
            continue
        path, equals, raw = part.partition("=")
        path = path.strip()
        if not equals or not path or not raw.strip():
            raise VariantError(f"variant '{label}': {part!r} is not PATH=VALUE")
        try:
            value = yaml.safe_load(raw.strip())
        except yaml.YAMLError:
            value = raw.strip()
        assignments.append((path, value))
    if not assignments:
        raise VariantError(f"variant '{label}': no PATH=VALUE given")
    return Variant(label, tuple(assignments))


def apply_variant(variant: Variant, scenario: Scenario, roster: Roster) -> tuple[Scenario, Roster]:
    """The scenario and roster with the variant's settings; the roster is renamed to the variant's id.

    Raises :class:`VariantError` for an unknown path, a change to ``scoring``, or a result
    that is not a valid scenario or roster.
    """
    scenario_data = scenario.model_dump()
    roster_data = roster.model_dump()
    for path, value in variant.assignments:
        if path.startswith(ROSTER_PREFIX):
            root, rest, kind = roster_data, path[len(ROSTER_PREFIX) :], "roster"
        else:
            root, rest, kind = scenario_data, path.removeprefix("scenario."), "scenario"
        segments = rest.split(".")
        if kind == "scenario" and segments[0] == "scoring":
            raise VariantError(
                f"variant '{variant.label}': {path}: scoring can't be changed (the targets are what every column is measured against)"
            )
        try:
            _assign(root, segments, value)
        except LookupError as exc:
            raise VariantError(f"variant '{variant.label}': {path}: {exc.args[0]}") from None
    roster_data["id"] = variant.id
    roster_data["team"] = f"{roster.team}, {variant.label}"
    changed_scenario = _validated(Scenario, scenario_data, "", variant)
    changed_roster = _validated(Roster, roster_data, ROSTER_PREFIX, variant)
    problems = errors([*check_scenario(changed_scenario), *check_roster(changed_roster)])
    if problems:
        raise VariantError(f"variant '{variant.label}': {problems[0].message}")
    return changed_scenario, changed_roster


def _validated(model: type[Model], data: dict[str, Any], prefix: str, variant: Variant) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise VariantError(
            f"variant '{variant.label}': {prefix}{_readable(data, first['loc'])}: {first['msg']}"
        ) from None


def _assign(node: Any, segments: list[str], value: Any) -> None:
    """Set ``value`` at ``segments`` under ``node`` (dicts and lists of a model dump); raises LookupError."""
    head, rest = segments[0], segments[1:]
    for child_key, child in _children(node, head):
        if rest:
            _assign(child, rest, value)
        else:
            node[child_key] = value


def _children(node: Any, segment: str) -> Iterator[tuple[Any, Any]]:
    if isinstance(node, dict):
        if segment not in node:
            near = difflib.get_close_matches(segment, [str(k) for k in node], n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise LookupError(f"no field '{segment}'{hint}")
        yield segment, node[segment]
        return
    if isinstance(node, list):
        if segment == "*":
            yield from enumerate(node)
            return
        if segment.isdigit():
            index = int(segment)
            if index >= len(node):
                raise LookupError(f"index {index} is past the end ({len(node)} items)")
            yield index, node[index]
            return
        names = [_item_name(item) for item in node]
        if segment not in names:
            known = ", ".join(n for n in names if n) or "none"
            raise LookupError(f"no item '{segment}' (items: {known})")
        index = names.index(segment)
        yield index, node[index]
        return
    raise LookupError(f"'{segment}' goes below a value that has no fields")


def _readable(data: Any, loc: tuple[int | str, ...]) -> str:
    """A validation error's location as a variant path: list items by their id or name, not their index."""
    parts = []
    node = data
    for key in loc:
        if isinstance(node, dict):
            node = node.get(str(key))
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            node = None
        parts.append((_item_name(node) or str(key)) if isinstance(key, int) else str(key))
    return ".".join(parts)


def _item_name(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("id", "name"):
            if isinstance(item.get(key), str):
                return str(item[key])
    return ""
