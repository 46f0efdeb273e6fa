"""Loading scenario and roster YAML safely, with every problem located at file:line:col.

The pipeline for one file:

1. read it defensively: a missing file, a folder, more than ``MAX_BYTES``, NUL bytes or text
   that is not UTF-8 each become a :class:`Problem` instead of an exception;
2. compose the YAML node tree with PyYAML's *safe* loader only, limiting nesting depth,
   alias uses and the size of the tree once aliases are expanded (a "billion laughs" file
   is refused in milliseconds), and refusing duplicate keys (libyaml's own composer, in C, where
   it gives the same tree: no error, no alias, within the limits; PyYAML's composer with the
   limits otherwise, so every problem is found and placed alike);
3. build the data and a :class:`SourceMap` from tree paths (``("injects", 2, "decision")``) to
   positions (a plain libyaml tree in one walk with step 2's checks, :func:`_fused_walk`);
4. validate with the pydantic models of :mod:`simulator.model` and turn every pydantic
   error into a plain-English :class:`Problem` at the position of the offending key or value;
5. run the cross-reference checks of :mod:`simulator.checks` once the models validate.

It is long because that pipeline is one piece: every step turns hostile or mistaken input into a
:class:`Problem` at its file:line:col, and the longest part, pydantic's errors in plain English (one
branch per kind of error, each shown by a fixture in tests/data/invalid), needs the source map the
YAML steps build. The JSON Schemas come last: they are the same models, by the same aliases.

>>> scenario, problems = check_text("id: x\\n", "demo.yaml")
>>> print(problems[0])
demo.yaml:1:1: missing required key 'title'
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from drillsim.simulator import checks as checks_module
from drillsim.simulator.files import FileRefused, read_limited
from drillsim.simulator.model import KIND_TAGS, Roster, Scenario
from drillsim.simulator.problems import (
    NO_POSITION,
    LoadError,
    Position,
    Problem,
    SourceMap,
    TreePath,
    breadcrumb,
    did_you_mean,
    errors,
)
from drillsim.simulator.problems import Problems as _Problems
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

MAX_BYTES = 1024 * 1024
"""Largest file read (1 MiB); a scenario is typically 10-30 KiB."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (a scenario needs about 10)."""
MAX_ALIASES = 500
"""Most YAML alias uses (``*name``) accepted in one file."""
MAX_NODES = 50_000
"""Most values in a file once aliases are expanded (a scenario has a few thousand)."""
MAX_EXPANDED_CHARS = 4 * MAX_BYTES
"""Most characters of text once aliases are expanded: an 800 KB file whose 150 aliases each named a list of
200 long texts was 120 MB of text, a 200 MB run folder and 600 MB of memory."""

_NO_POSITION: Position = NO_POSITION


# --------------------------------------------------------------------------- positions


def _mark(mark: Any) -> Position:
    if mark is None:
        return _NO_POSITION
    return (mark.line + 1, mark.column + 1)


# --------------------------------------------------------------------------- safe YAML


class _Refused(Exception):
    """Raised inside the loader when a limit is exceeded."""

    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


_TOO_DEEP = f"the document is nested too deeply (more than {MAX_DEPTH} levels of lists and mappings)"


class _Limits:
    """Limits on nesting depth, alias uses and values, checked while the node tree is composed."""

    def _start_limits(self) -> None:
        self._depth = 0
        self._aliases = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(
                    f"too many aliases ('*name'): more than {MAX_ALIASES}; write the values out instead",
                    event.start_mark,
                )
            return super().compose_node(parent, index)  # type: ignore[misc]
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(f"the document has too many values (more than {MAX_NODES:,})", event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(
                _TOO_DEEP,
                event.start_mark,
            )
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class _PySafeLoader(_Limits, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader with limits (used where libyaml is missing)."""

    def __init__(self, stream: str) -> None:
        yaml.SafeLoader.__init__(self, stream)
        self._start_limits()


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _CSafeLoader(_Limits, Composer, CParser, SafeConstructor, Resolver):
        """libyaml's parser (fast, iterative: deep nesting cannot exhaust the stack) feeding
        PyYAML's Python composer (so the limits apply while composing) and the *safe* constructor:
        the same parts as ``yaml.CSafeLoader`` except the composer."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start_limits()


def _new_loader(text: str) -> Any:
    if yaml.__with_libyaml__:
        return _CSafeLoader(text)
    return _PySafeLoader(text)  # pragma: no cover - libyaml is normally present


@functools.cache
def _libyaml_limits_depth() -> bool:
    """Whether libyaml refuses deep nesting itself (PyYAML 6.0.3+ wheels): only then may its own composer,
    which recurses in C, compose a file; an older libyaml would recurse as deep as a hostile file nests."""
    if not yaml.__with_libyaml__:
        return False  # pragma: no cover - libyaml is normally present
    probe = yaml.CSafeLoader("[" * 1100 + "]" * 1100)
    try:
        probe.get_single_node()
    except yaml.YAMLError:
        return True
    finally:
        probe.dispose()
    return False  # pragma: no cover - a libyaml without a nesting limit


FAST_COMPOSE_CHARS = 2 * MAX_NODES
"""The longest text libyaml's composer composes (a value takes at least 1.5 characters, so at most about
``MAX_NODES`` x 1.3 nodes): a larger one, never a real scenario, is composed by the limited composer,
which stops at ``MAX_NODES`` instead of building a whole hostile file's tree first."""


def _fast_compose(text: str) -> tuple[Any, yaml.Node | None] | None:
    """``(loader, root)`` composed by libyaml's own composer (C, several times faster than PyYAML's), or
    ``None`` when it cannot be (an error, a text too long).

    The tree is only the answer when it has no alias and stays within ``MAX_DEPTH`` and ``MAX_NODES``
    (:func:`_plain_tree`, or :func:`_fused_walk` on its way): then the node tree, its marks and so every later
    message are the same as the limited composer's; anything else (an error, an alias, a limit) is composed
    again by :func:`_new_loader`'s loader, so every problem keeps its message and its file:line:col."""
    if len(text) > FAST_COMPOSE_CHARS or not _libyaml_limits_depth():
        return None
    loader = yaml.CSafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        loader.dispose()
        return None
    return loader, root


def _plain_tree(root: yaml.Node) -> bool:
    """No node reached twice (an alias), no deeper than ``MAX_DEPTH`` (counted as ``_Limits`` counts), at
    most ``MAX_NODES`` nodes."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or depth > MAX_DEPTH or len(seen) >= MAX_NODES:
            return False
        seen.add(id(node))
        value = node.value
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in value for part in pair)
    return True


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _expanded_size(root: yaml.Node) -> int:
    """Number of nodes once aliases are expanded; raises ``_Refused`` on a cycle or above ``MAX_NODES``.

    Iterative, memoised per node: a billion-laughs file is measured in microseconds.
    """
    size: dict[int, int] = {}
    chars: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            total = 1 + sum(size[id(child)] for child in children)
            text = sum(chars[id(child)] for child in children) if children else len(str(node.value))
            if total > MAX_NODES or text > MAX_EXPANDED_CHARS:
                measure = f"{MAX_NODES:,} values" if total > MAX_NODES else f"{MAX_EXPANDED_CHARS:,} characters of text"
                raise _Refused(
                    f"the document is too large once its aliases ('*name') are expanded "
                    f"(more than {measure}); write the values out instead",
                    node.start_mark,
                )
            size[key] = total
            chars[key] = text
            continue
        if key in size:
            continue
        if key in on_path:
            raise _Refused("an alias ('*name') refers to a list or mapping that contains it", node.start_mark)
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise _Refused("an alias ('*name') refers to a list or mapping that contains it", child.start_mark)
            if id(child) not in size:
                stack.append((child, False))
    return size[id(root)]


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
MAX_NUMBER_DIGITS = 40
"""Longest number written in a file (a 400-digit integer is refused before it is converted)."""


def _duplicate_keys(root: yaml.Node, out: _Problems) -> None:
    """Report keys written twice in one mapping (YAML would silently keep the last)."""
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_DIGITS:
            raise _Refused(
                f"a number written with {len(node.value):,} characters is too large for drillsim (at most "
                f"{MAX_NUMBER_DIGITS})",
                node.start_mark,
            )
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], yaml.Node] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                ident = (key_node.tag, key_node.value)
                if ident in first:
                    line = first[ident].start_mark.line + 1
                    out.add(
                        f"key '{key_node.value}' is written twice in the same mapping (first on line {line})",
                        _mark(key_node.start_mark),
                    )
                else:
                    first[ident] = key_node
        stack.extend(_children(node))


def _tag_name(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


_STR_TAG = "tag:yaml.org,2002:str"


def _source_map(loader: Any, root: yaml.Node) -> SourceMap:
    source = SourceMap()
    source.values[()] = _mark(root.start_mark)
    stack: list[tuple[yaml.Node, TreePath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                source.values[(*path, index)] = _mark(child.start_mark)
                stack.append((child, (*path, index)))
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                if key_node.tag == _STR_TAG:
                    key = key_node.value  # what the safe constructor makes of a plain string key
                else:
                    try:
                        key = loader.construct_object(key_node, deep=True)
                    except yaml.YAMLError:
                        continue
                child_path = (*path, key)
                source.keys[child_path] = _mark(key_node.start_mark)
                source.values[child_path] = _mark(value_node.start_mark)
                stack.append((value_node, child_path))
    return source


_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_FUSED_SCALAR_TAGS = frozenset(
    {_STR_TAG, *_NUMBER_TAGS, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}
)


class _NotPlain(Exception):
    """The tree has an alias or exceeds ``MAX_DEPTH`` or ``MAX_NODES``: the limited composer composes it again."""


class _Unusual(Exception):
    """Something the fused walk leaves to the steps one by one (a key written twice, a key that is not plain
    text, a tag, a number too long, a value the constructor refuses), so that it is reported exactly as they
    report it."""


def _fused_walk(loader: Any, root: yaml.Node) -> tuple[Any, SourceMap]:
    """``(data, source map)`` of a libyaml tree in one walk, instead of four (:func:`_plain_tree`,
    :func:`_duplicate_keys`, the safe constructor's ``construct_document`` and :func:`_source_map`).

    It takes only the common case: plain mappings and lists with plain-text keys, each written once, and
    scalars the safe constructor reads by their tag (text, numbers, true/false, null, dates), each built by
    that constructor, so the values are the ones it builds. It raises :class:`_NotPlain` for a tree the
    limited composer must compose again, and :class:`_Unusual` for anything else, which
    :func:`parse_yaml` hands to the steps one by one so that every problem keeps its message and position.
    """
    constructors = loader.yaml_constructors
    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    source = SourceMap()
    values, keys = source.values, source.keys
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Any, TreePath, int]] = []

    def visit(node: yaml.Node, depth: int) -> None:
        """Count a node as :func:`_plain_tree` does."""
        if id(node) in seen or depth > MAX_DEPTH or len(seen) >= MAX_NODES:
            raise _NotPlain
        seen.add(id(node))

    def value_of(node: yaml.Node, path: TreePath, depth: int) -> Any:
        visit(node, depth)
        kind, tag = type(node), node.tag
        if kind is scalar_node:
            if tag == _STR_TAG:
                return node.value
            if tag not in _FUSED_SCALAR_TAGS or (tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_DIGITS):
                raise _Unusual
            try:
                return constructors[tag](loader, node)
            except (yaml.YAMLError, ValueError) as exc:
                raise _Unusual from exc
        if kind is mapping_node and tag == _MAP_TAG:
            container: Any = {}
        elif kind is sequence_node and tag == _SEQ_TAG:
            container = []
        else:
            raise _Unusual
        stack.append((node, container, path, depth + 1))
        return container

    values[()] = _mark(root.start_mark)
    data = value_of(root, (), 1)
    while stack:
        node, container, path, depth = stack.pop()
        if type(container) is list:
            for index, child in enumerate(node.value):
                child_path = (*path, index)
                mark = child.start_mark
                values[child_path] = (mark.line + 1, mark.column + 1)
                container.append(value_of(child, child_path, depth))
            continue
        for key_node, value_node in node.value:
            visit(key_node, depth)
            if type(key_node) is not scalar_node or key_node.tag != _STR_TAG:
                raise _Unusual
            key = key_node.value
            if key in container:
                raise _Unusual  # written twice: _duplicate_keys says so
            child_path = (*path, key)
            mark = key_node.start_mark
            keys[child_path] = (mark.line + 1, mark.column + 1)
            mark = value_node.start_mark
            values[child_path] = (mark.line + 1, mark.column + 1)
            container[key] = value_of(value_node, child_path, depth)
    return data, source


_HASH_AFTER_SPACE = re.compile(r"[ \t]#\S")
"""A ``#`` after a space, with text straight after it: what :func:`_dropped_by_comments` looks at."""
_COMMENT_AFTER = re.compile(r"[ \t]+(#\S.*)")


def _dropped_by_comments(root: yaml.Node, text: str, out: _Problems) -> None:
    """Warn where a plain value is cut short by what YAML reads as a comment: in ``label: Open #ai-crisis``
    the `` #ai-crisis`` is a comment, so the label is "Open". A comment written as ``# text`` (a space after
    the ``#``) is taken as meant; only ``#word`` straight after a value is named (a channel, a hashtag)."""
    if _HASH_AFTER_SPACE.search(text) is None:
        return
    lines = text.splitlines()
    stack: list[tuple[yaml.Node, TreePath]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:  # an alias: its anchor's node was looked at
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            end = node.end_mark
            if not node.style and node.value and end.line < len(lines):  # plain: None, or "" from libyaml
                after = _COMMENT_AFTER.match(lines[end.line], end.column)
                if after is not None:
                    kept = node.value if len(node.value) <= 60 else "…" + node.value[-59:]
                    out.add(
                        f"'{after.group(1)}' is read as a YAML comment, so this value ends before it "
                        f"('{kept}'); put the whole value in quotes to keep it",
                        (end.line + 1, after.start(1) + 1),
                        breadcrumb(path),
                        level="warning",
                    )
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((child, (*path, i)) for i, child in enumerate(node.value)))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((value, (*path, name)))


def _inside_quotes(before: str) -> bool:
    """Whether text that follows ``before`` on its line is (roughly) inside a quoted value: ``"Restart #3"``
    holds no comment. An apostrophe in plain text ("don't") is not an opening quote."""
    single = re.search(r"(^|[\s:,\[{])'", before) is not None and before.count("'") % 2 == 1
    return before.count('"') % 2 == 1 or single


def _yaml_problem(exc: yaml.YAMLError, out: _Problems, lines: list[str]) -> None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if isinstance(exc, yaml.constructor.ConstructorError) and problem and "constructor for the tag" in problem:
        tag = re.search(r"'([^']*)'", problem)
        name = _tag_name(tag.group(1)) if tag else "this tag"
        out.add(
            f"the YAML tag '{name}' is not allowed: drillsim reads plain YAML only (remove the tag)",
            _mark(mark),
        )
        return
    if isinstance(exc, yaml.composer.ComposerError) and context and "single document" in context:
        out.add(
            "the file holds more than one YAML document ('---'); put each scenario or roster in its own file",
            _mark(mark),
        )
        return
    if isinstance(exc, yaml.composer.ComposerError) and problem and "undefined alias" in problem:
        out.add(f"{problem}: an alias ('*name') needs an anchor ('&name') earlier in the file", _mark(mark))
        return
    message = " ".join(part for part in (context, problem) if part) or str(exc)
    if mark is not None and 0 <= mark.line < len(lines):
        line = lines[mark.line]
        if "\t" in line[: len(line) - len(line.lstrip())]:
            message += " (YAML indents with spaces; this line starts with a tab)"
    if mark is not None:
        # "{id: a, label: Open #ai-crisis, role: x}": the comment ate the rest of the line, '}' included
        for number in (mark.line, mark.line - 1):
            cut = _COMMENT_AFTER.search(lines[number]) if 0 <= number < len(lines) else None
            if cut is not None and not _inside_quotes(lines[number][: cut.start()]):
                message += (
                    f" (on line {number + 1}, '{cut.group(1)[:40]}' is read as a YAML comment, which ends the line "
                    "there; put the value with the '#' in quotes)"
                )
                break
    out.add(f"this is not valid YAML: {message}", _mark(mark))


_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def parse_yaml(text: str, name: str) -> tuple[Any, SourceMap, list[Problem]]:
    """Parse YAML text safely: ``(data, source map, problems)``; data is ``None`` when unusable."""
    return _parse_yaml(text, name, fused=True)


def _parse_yaml(text: str, name: str, *, fused: bool) -> tuple[Any, SourceMap, list[Problem]]:
    """:func:`parse_yaml`; ``fused=False`` takes the steps one by one for every file (what the fused walk is
    compared with in tests/test_fused_yaml.py)."""
    out = _Problems(name)
    bad = _NON_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        out.add(
            f"the file contains a control character (U+{ord(bad.group()):04X}), which YAML does not allow",
            (line, col),
        )
        return None, out.source, out.items
    fast = _fast_compose(text)
    fast_loader: Any = fast[0] if fast is not None else None
    fast_root = fast[1] if fast is not None else None
    if fast_root is not None:
        try:
            if fused:
                data, source = _fused_walk(fast_loader, fast_root)
                fast_loader.dispose()
                _dropped_by_comments(fast_root, text, out)
                return data, source, out.items
            if not _plain_tree(fast_root):
                raise _NotPlain
        except _NotPlain:
            fast_loader.dispose()
            fast = None
        except _Unusual:
            if not _plain_tree(fast_root):
                fast_loader.dispose()
                fast = None
    loader = fast[0] if fast is not None else _new_loader(text)
    try:
        try:
            root = fast[1] if fast is not None else loader.get_single_node()
            if root is None:
                out.add("the file is empty: a scenario or roster starts with keys such as 'id:'")
                return None, out.source, out.items
            if fast is None and loader._aliases:  # without aliases the tree is its own expansion
                _expanded_size(root)
            _duplicate_keys(root, out)
            data = loader.construct_document(root)
            source = _source_map(loader, root)
        except _Refused as exc:
            out.add(exc.message, _mark(exc.mark))
            return None, out.source, out.items
        except yaml.YAMLError as exc:
            if "nesting depth" in str(getattr(exc, "problem", "") or exc):
                # PyYAML 6.0.3+ has its own depth limit in the parser, below ours for flow collections:
                # the same message whatever version refused it.
                out.add(_TOO_DEEP, _mark(getattr(exc, "problem_mark", None)))
            else:
                _yaml_problem(exc, out, text.splitlines())
            return None, out.source, out.items
        except RecursionError:  # pragma: no cover - MAX_DEPTH stops this first
            out.add(_TOO_DEEP)
            return None, out.source, out.items
        except ValueError as exc:  # a number with more than 4,300 digits (int() refuses to read it)
            out.add(f"a value cannot be read: {exc}".split(";")[0])
            return None, out.source, out.items
    finally:
        loader.dispose()
    _dropped_by_comments(root, text, out)
    return data, source, out.items


def read_text(path: str | Path, name: str | None = None) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 text, refusing folders, large files and binary data, with problems as data."""
    path = Path(path)
    out = _Problems(name or str(path))
    try:
        raw = read_limited(path, MAX_BYTES)
    except FileRefused as exc:
        out.add(exc.reason)
        return None, out.items
    except FileNotFoundError:
        out.add("no such file")
        return None, out.items
    except PermissionError:
        out.add("permission denied: the file cannot be read")
        return None, out.items
    except OSError as exc:
        out.add(f"the file cannot be read: {exc.strerror or exc}")
        return None, out.items
    return decode(raw, out.name)


def _byte_position(raw: bytes, offset: int) -> Position:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return (raw.count(b"\n", 0, offset) + 1, offset - line_start + 1)


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: NUL bytes mean binary data; anything but UTF-8 is refused."""
    out = _Problems(name)
    nul = raw.find(b"\x00")
    if nul >= 0:
        out.add("this is a binary file (it contains NUL bytes), not YAML text", _byte_position(raw, nul))
        return None, out.items
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.add(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            _byte_position(raw, exc.start),
        )
        return None, out.items
    return text, out.items


# --------------------------------------------------------------------------- pydantic errors in plain English


def _unwrap(tp: Any) -> list[Any]:
    """The alternatives of a type, with Annotated and Optional peeled off."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin is Union or origin is types.UnionType:
        return [alt for arg in typing.get_args(tp) if arg is not type(None) for alt in _unwrap(arg)]
    return [tp]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def field_by_alias(model: type[BaseModel]) -> dict[str, Any]:
    """A model's fields by the key trainers write (``from``, ``for``)."""
    return {(info.alias or name): info for name, info in model.model_fields.items()}


def model_at(root: type[BaseModel], path: Sequence[str | int], tag: str | None = None) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``path`` below ``root`` (or ``None``); of an effect or
    condition there, the kind named by ``tag`` (its union tag) when known."""
    candidates: list[Any] = [root]
    for part in path:
        following: list[Any] = []
        for tp in candidates:
            for alt in _unwrap(tp):
                origin = typing.get_origin(alt)
                if _is_model(alt) and isinstance(part, str):
                    info = field_by_alias(alt).get(part)
                    if info is not None:
                        following.append(info.annotation)
                elif origin is list and isinstance(part, int):
                    following.append(typing.get_args(alt)[0])
                elif origin is dict:
                    following.append(typing.get_args(alt)[1])
        candidates = following
    models = [alt for tp in candidates for alt in _unwrap(tp) if _is_model(alt)]
    chosen = [m for m in models if m.__name__ == tag] or models
    return typing.cast(type[BaseModel], chosen[0]) if chosen else None


def _all_model_names(root: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    stack: list[Any] = [root]
    while stack:
        tp = stack.pop()
        for alt in _unwrap(tp):
            if _is_model(alt) and alt.__name__ not in names:
                names.add(alt.__name__)
                stack.extend(info.annotation for info in alt.model_fields.values())
            else:
                stack.extend(typing.get_args(alt))
    return names


_MODEL_NAMES = _all_model_names(Scenario) | _all_model_names(Roster)


def describe(value: Any) -> str:
    """A value as a trainer would say it: ``the number 5``, ``'abc'``, ``a list``."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown) if shown else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} value ({value})"


def _quoted_values(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def _branch(tag: str) -> str:
    """``function-after[_ordered(), Triangular]`` -> ``Triangular``; ``float`` -> ``float``."""
    if tag.startswith("literal["):
        return "literal"
    match = re.search(r"(\w+)\]*$", tag)
    return match.group(1) if match else tag


_EXPECTATIONS = {
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list (lines starting with '- ', or [a, b])",
    "dict_type": "a mapping (keys and values, like 'key: value')",
    "model_type": "a mapping (keys and values, like 'key: value')",
    "model_attributes_type": "a mapping (keys and values, like 'key: value')",
    "finite_number": "a finite number",
}


def _expectation(err: dict[str, Any]) -> str | None:
    if err["type"] in _EXPECTATIONS:
        return _EXPECTATIONS[err["type"]]
    if err["type"] == "literal_error":
        values = _quoted_values((err.get("ctx") or {}).get("expected", ""))
        return " or ".join(f"'{v}'" for v in values) if values else None
    return None


def _clean_value_error(err: dict[str, Any]) -> str:
    message = str(err["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    message = message.replace("; got dict", "; got a mapping").replace("; got list", "; got a list")
    return message.replace("; got NoneType", "; got nothing")


def _literal_message(value: Any, allowed: list[str]) -> str:
    from drillsim.simulator.roles import ROLE_IDS

    is_roles = len(allowed) > 5 and set(allowed) <= {*ROLE_IDS, "everyone"}
    shown = describe(value)
    head = f"{shown} is not a role in the catalogue" if is_roles else f"{shown} is not an allowed value"
    message = f"{head}; expected one of: {', '.join(allowed)}"
    if isinstance(value, str):
        hint = did_you_mean(value, allowed)
        if hint:
            head += f" (did you mean '{hint}'?)"
            message = f"{head}; expected one of: {', '.join(allowed)}"
    return message


def _plain_message(err: dict[str, Any], value: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        return _literal_message(value, _quoted_values(ctx.get("expected", "")))
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"expected text; got {describe(value)} (put it in quotes: '{value}')"
    if kind == "string_type" and isinstance(value, bool):
        # the Norway problem: YAML 1.1 reads a bare yes, no, on, off (any case) as true or false
        return (
            f"expected text; got {describe(value)}: YAML reads a bare yes, no, on, off, true or false as "
            'true or false (put the text in quotes, e.g. "No")'
        )
    if kind in _EXPECTATIONS:
        return f"expected {_EXPECTATIONS[kind]}; got {describe(value)}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern", "").startswith("^[a-z0-9][a-z0-9_-]*"):
            return (
                f"{describe(value)} is not a valid id: use lower-case letters, digits, '-' and '_', "
                "starting with a letter or digit"
            )
        return f"{describe(value)} does not have the expected form ({ctx.get('pattern')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return (
            f"is too long ({len(value) if isinstance(value, str) else '?'} characters; at most {ctx.get('max_length')})"
        )
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        noun = "entry" if isinstance(value, dict) else "item"
        return f"needs at least {count} {noun}{'s' if count != 1 else ''}"
    if kind == "too_long":
        return f"has too many items (at most {ctx.get('max_length')})"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        bound = next(iter(ctx.values()), "?")
        return f"must be {words} {bound}; got {describe(value)}"
    if kind == "value_error" or kind == "assertion_error":
        return _clean_value_error(err)
    if kind == "recursion_loop":
        return "a value refers to itself through an alias"
    return str(err["msg"])


@dataclass
class _Located:
    path: TreePath  # the real path in the data (no union tags)
    union_at: int | None  # index into path where a union branch was taken
    branch: str | None
    err: dict[str, Any]
    tag: str | None = None  # the effect or condition kind the error is in (its union tag), if any


def _resolve(data: Any, loc: Sequence[Any]) -> tuple[TreePath, int | None, str | None, bool, str | None]:
    """Map a pydantic ``loc`` onto the data: ``(path, union position, branch, is_key, tag)``. An effect's
    or condition's kind is chosen from its keys (a tagged union): its tag is not a branch that was tried."""
    path: list[str | int] = []
    current = data
    union_at: int | None = None
    branch: str | None = None
    is_key = False
    tag: str | None = None
    for part in loc:
        if isinstance(current, dict):
            found = _dict_key(current, part)
            if found is not _MISSING:
                path.append(found)
                current = current[found]
                continue
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
            continue
        if part == "[key]":
            is_key = True
        elif part in KIND_TAGS:
            tag = part
        elif _is_union_tag(part):
            if union_at is None:
                union_at, branch = len(path), _branch(part)
        else:
            path.append(part)  # a missing key
            current = None
    return tuple(path), union_at, branch, is_key, tag


_MISSING = object()
_SCALAR_BRANCHES = frozenset({"float", "int", "str", "bool", "none"})


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part in _MODEL_NAMES or part in _SCALAR_BRANCHES)


def _dict_key(mapping: dict[Any, Any], part: Any) -> Any:
    if part in mapping:
        return part
    for key in mapping:
        if str(key) == str(part):
            return key
    return _MISSING


def _value_at(data: Any, path: TreePath) -> Any:
    current = data
    for part in path:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            return None
    return current


def _pydantic_problems(exc: ValidationError, data: Any, root: type[BaseModel], out: _Problems) -> None:
    located: list[tuple[_Located, bool]] = []
    for err in exc.errors(include_url=False):
        path, union_at, branch, is_key, tag = _resolve(data, err["loc"])
        located.append((_Located(path, union_at, branch, dict(err), tag), is_key))

    # Union branches: keep the branches that fit the input (a mapping -> the model branch).
    by_union: dict[TreePath, set[str]] = {}
    for item, _ in located:
        if item.union_at is not None and item.branch:
            by_union.setdefault(item.path[: item.union_at], set()).add(item.branch)
    dropped: set[tuple[TreePath, str]] = set()
    for where, branches in by_union.items():
        value = _value_at(data, where)
        models = {b for b in branches if b in _MODEL_NAMES}
        scalars = branches - models
        if isinstance(value, dict) and models:
            dropped.update((where, b) for b in scalars)
        elif not isinstance(value, dict) and scalars:
            dropped.update((where, b) for b in models)

    # A misspelt kind key (``sacle``) is validated as the kind it resembles: its "unknown key 'sacle' (did
    # you mean 'scale'?)" says all; the same kind's "missing required key 'scale'" would only repeat it.
    misspelt = {
        (item.path[:-1], did_you_mean(str(item.path[-1]), field_by_alias(KIND_TAGS[item.tag])))
        for item, _ in located
        if item.tag and item.err["type"] == "extra_forbidden"
    }
    located = [
        (item, is_key)
        for item, is_key in located
        if not (item.tag and item.err["type"] == "missing" and (item.path[:-1], item.path[-1]) in misspelt)
    ]

    # Several scalar branches failing at the same place become one "expected A or B" message.
    merged: dict[TreePath, list[dict[str, Any]]] = {}
    for item, is_key in located:
        if item.union_at is not None and item.branch and (item.path[: item.union_at], item.branch) in dropped:
            continue
        if item.union_at is not None and item.union_at == len(item.path) and not is_key:
            merged.setdefault(item.path, []).append(item.err)
            continue
        _one_problem(item.path, item.err, is_key, data, root, out, item.tag)
    for path, errs in merged.items():
        value = _value_at(data, path)
        if len(errs) == 1:
            _one_problem(path, errs[0], False, data, root, out)
            continue
        literals = [v for e in errs if e["type"] == "literal_error" for v in _quoted_values(e["ctx"]["expected"])]
        if len(literals) and all(e["type"] == "literal_error" for e in errs):
            out.at(path, _literal_message(value, literals))
            continue
        value_errors = [e for e in errs if e["type"] == "value_error"]
        if value_errors:
            out.at(path, _clean_value_error(value_errors[0]))
            continue
        wanted = [w for w in (_expectation(e) for e in errs) if w]
        wanted = list(dict.fromkeys(wanted))
        out.at(path, f"expected {' or '.join(wanted)}; got {describe(value)}")


def _after_comma(path: TreePath, source: SourceMap) -> bool:
    """Whether the key at ``path`` follows another key of its mapping on the same line: written inside
    ``{...}``, after a ', ' (two keys of a block mapping never share a line)."""
    here = source.keys.get(tuple(path))
    if here is None:
        return False
    return any(
        len(key) == len(path) and key[:-1] == tuple(path[:-1]) and pos[0] == here[0] and pos[1] < here[1]
        for key, pos in source.keys.items()
    )


def _one_problem(
    path: TreePath,
    err: dict[str, Any],
    is_key: bool,
    data: Any,
    root: type[BaseModel],
    out: _Problems,
    tag: str | None = None,
) -> None:
    kind = err["type"]
    if kind == "missing":
        parent, name = path[:-1], path[-1]
        out.add(f"missing required key '{name}'", out.source.locate(parent), breadcrumb(parent))
        return
    if kind == "extra_forbidden" and err.get("input") is None and _after_comma(path, out.source):
        # `{finding: growing forecast error, rising}`: the ', ' ended the text, and 'rising' became a key
        parent, name = path[:-1], str(path[-1])
        out.add(
            f"unknown key '{name}' with no value: a ', ' inside {{...}} ends a text, so '{name}' is probably "
            f"the rest of the text before it; quote text that contains ', ' inside {{...}} "
            f'(write "..., {name}")',
            out.source.locate(path, key=True),
            breadcrumb(parent),
        )
        return
    if kind == "extra_forbidden":
        parent, name = path[:-1], str(path[-1])
        model = model_at(root, parent, tag)
        allowed = list(field_by_alias(model)) if model else []
        hint = did_you_mean(name, allowed)
        if hint:
            message = f"unknown key '{name}' (did you mean '{hint}'?)"
        elif allowed:
            message = f"unknown key '{name}'; allowed keys here: {', '.join(allowed)}"
        else:
            message = f"unknown key '{name}'"
        out.add(message, out.source.locate(path, key=True), breadcrumb(parent))
        return
    if is_key:
        key = path[-1] if path else None
        message = (
            f"key {key} must be text; write it in quotes: '{key}'"
            if kind == "string_type"
            else "key " + _plain_message(err, key)
        )
        out.add(
            message,
            out.source.locate(path, key=True),
            breadcrumb(path[:-1]),
        )
        return
    value = _value_at(data, path)
    if kind == "string_type" and isinstance(value, dict) and len(value) == 1:
        # `- Ask: who is the lead?`: the ': ' made the text a mapping
        key, rest = next(iter(value.items()))
        if isinstance(key, str) and (rest is None or isinstance(rest, (str, int, float))):
            text = f"{key}: {rest}" if rest is not None else f"{key}:"
            shown = text if len(text) <= 40 else text[:37] + "..."
            out.at(
                path,
                f"expected text; got a mapping, because of the ': ' in '{shown}': "
                f"quote text that contains ': ' (write \"{shown}\")",
            )
            return
    out.at(path, _plain_message(err, value))


# --------------------------------------------------------------------------- public API


Kind = Literal["scenario", "roster"]


def detect_kind(data: Any) -> Kind:
    """A roster has ``members`` or ``team`` at the top; anything else is read as a scenario."""
    if isinstance(data, dict) and ("members" in data or "team" in data):
        return "roster"
    return "scenario"


def _documented_models() -> Any:
    """simulator/model.py loaded once more, as ``drillsim.simulator._model_docs``, with attribute docstrings."""
    import importlib.util

    from drillsim.simulator import model

    name = model.DOCUMENTED_MODULE
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, model.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _model_class(kind: Kind) -> type[BaseModel]:
    return Roster if kind == "roster" else Scenario


def validate_data(
    data: Any, name: str, source: SourceMap | None = None, kind: Kind | None = None, *, checks: bool = True
) -> tuple[Scenario | Roster | None, list[Problem]]:
    """Validate parsed YAML data against the model (and run the cross-reference checks)."""
    out = _Problems(name, source)
    kind = kind or detect_kind(data)
    if not isinstance(data, dict):
        out.add(
            f"expected a mapping of keys (like 'id: ...') at the top of the file; got {describe(data)}",
            out.source.locate(()),
        )
        return None, out.items
    if kind != detect_kind(data):
        found = detect_kind(data)
        hint = "it has 'members' or 'team'" if found == "roster" else "it has no 'members'"
        out.add(f"this is a {found} file ({hint}), not a {kind}", out.source.locate(()))
        return None, out.items
    cls = _model_class(kind)
    try:
        declared = data.get("roles")
        model = cls.model_validate(data, context={"roles": declared if isinstance(declared, dict) else {}})
    except ValidationError as exc:
        _pydantic_problems(exc, data, cls, out)
        return None, _sorted(out.items)
    except RecursionError:  # pragma: no cover - limits stop this first
        out.add(f"the document is nested too deeply (more than {MAX_DEPTH} levels)")
        return None, out.items
    if checks:  # the keyword's name for callers; the module is checks_module here
        if isinstance(model, Scenario):
            out.items.extend(checks_module.check_scenario(model, source=out.source, path=name))
            if model.default_roster is not None and _is_builtin_roster(model.default_roster):
                out.items.extend(_default_roster_covers(model, out.source, name))
        elif isinstance(model, Roster):
            out.items.extend(checks_module.check_roster(model, source=out.source, path=name))
    return typing.cast(Scenario | Roster, model), _sorted(out.items)


def _is_builtin_roster(roster_id: str) -> bool:
    from drillsim.simulator.library import builtin_roster_ids

    return roster_id in builtin_roster_ids()


_ROSTERS: dict[tuple[int, int, int, int], Roster] = {}
"""Rosters parsed in this process, by the file's identity (device, inode, mtime, size): a roster file that
``validate`` checks and that its scenarios name as their default is parsed once, however it is spelled."""


def _file_key(path: str | Path) -> tuple[int, int, int, int] | None:
    """The roster cache's key of a plain file, or None (not a file: a package resource is parsed each time)."""
    try:
        stat = os.stat(path)
    except (OSError, TypeError, ValueError):
        return None
    return (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)


def rosters_first(paths: Sequence[Path]) -> list[int]:
    """The indices of ``paths``, the built-in rosters among them first: checked before the scenarios that name
    them as their default, each is parsed once (the scenarios' cover checks find it in ``_ROSTERS``)."""
    from drillsim.simulator.library import builtin_rosters

    builtin = {_file_key(path) for _, path in builtin_rosters()} - {None}
    return sorted(range(len(paths)), key=lambda index: _file_key(paths[index]) not in builtin)


def _default_roster_covers(scenario: Scenario, source: SourceMap, path: str) -> list[Problem]:
    """Warnings when the scenario's own default roster cannot play it."""
    from drillsim.simulator.library import resolve_roster

    assert scenario.default_roster is not None
    found = resolve_roster(scenario.default_roster)
    key = _file_key(found)
    roster = _ROSTERS.get(key) if key is not None else None
    if roster is None:
        roster, _ = check_file(found, "roster", checks=False)
    if not isinstance(roster, Roster):
        return []  # the roster's own problems are reported when it is validated
    return checks_module.check_roster_covers(scenario, roster, source=source, path=path)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.col or 0))


def check_text(
    text: str, name: str = "<text>", kind: Kind | None = None, *, checks: bool = True
) -> tuple[Scenario | Roster | None, list[Problem]]:
    """Parse and validate YAML text: ``(model or None, every problem found)``.

    The model is ``None`` when any problem is an error (warnings leave it usable).
    """
    data, source, problems = parse_yaml(text, name)
    if problems and data is None:
        return None, problems
    model, more = validate_data(data, name, source, kind, checks=checks)
    problems = _sorted(problems + more)
    return (model if not errors(problems) else None), problems


def check_bytes(
    raw: bytes, name: str, kind: Kind | None = None, *, checks: bool = True
) -> tuple[Scenario | Roster | None, list[Problem]]:
    text, problems = decode(raw, name)
    if text is None:
        return None, problems
    return check_text(text, name, kind, checks=checks)


def check_file(
    path: str | Path, kind: Kind | None = None, *, checks: bool = True, name: str | None = None
) -> tuple[Scenario | Roster | None, list[Problem]]:
    """Load and check one file, detecting scenario vs roster: ``(model or None, every problem)``.

    Never raises for a bad file: a missing file, a folder, binary data, a YAML bomb are problems too.
    """
    key = _file_key(path)  # before the read: a file changed after it is parsed again
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    model, problems = check_text(text, name or str(path), kind, checks=checks)
    if isinstance(model, Roster) and key is not None:
        _ROSTERS[key] = model
    return model, problems


def _require(result: tuple[Any, list[Problem]], cls: type[BaseModel], name: str) -> Any:
    model, problems = result
    if model is None or errors(problems):
        raise LoadError(errors(problems) or [Problem(name, None, None, "", "this is not a valid file")])
    if not isinstance(model, cls):
        kind = "roster" if cls is Roster else "scenario"
        raise LoadError([Problem(name, None, None, "", f"this is not a {kind} file")])
    return model


def load_scenario(path: str | Path, *, checks: bool = True) -> Scenario:
    """Load a scenario file; raises :class:`LoadError` listing every error (warnings are ignored)."""
    result: Scenario = _require(check_file(path, "scenario", checks=checks), Scenario, str(path))
    return result


def load_roster(path: str | Path, *, checks: bool = True) -> Roster:
    """Load a roster file; raises :class:`LoadError` listing every error."""
    result: Roster = _require(check_file(path, "roster", checks=checks), Roster, str(path))
    return result


def load_scenario_text(text: str, name: str = "<text>", *, checks: bool = True) -> Scenario:
    """Load a scenario from YAML text (for tests and tools)."""
    result: Scenario = _require(check_text(text, name, "scenario", checks=checks), Scenario, name)
    return result


def load_roster_text(text: str, name: str = "<text>", *, checks: bool = True) -> Roster:
    """Load a roster from YAML text."""
    result: Roster = _require(check_text(text, name, "roster", checks=checks), Roster, name)
    return result


# --------------------------------------------------------------------------- JSON Schemas

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES: dict[Kind, str] = {"scenario": "scenario.schema.json", "roster": "roster.schema.json"}


def json_schema(kind: Kind = "scenario") -> dict[str, Any]:
    """The JSON Schema of a format, by alias (``from``, ``for``), for editors and ``drillsim schema``.

    Field descriptions are the models' attribute docstrings, which only the schema needs: they are
    read from a second copy of simulator/model.py built with them (see ``model.WITH_DOCSTRINGS``)."""
    documented = _documented_models()
    schema = (documented.Roster if kind == "roster" else documented.Scenario).model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_DIALECT, **schema}


def schema_text(kind: Kind = "scenario") -> str:
    """The JSON Schema as committed: pretty-printed with a trailing newline."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: str | Path | None = None) -> list[Path]:
    """Write ``scenario.schema.json`` and ``roster.schema.json`` (default: the scenarios package folder)."""
    if folder is None:
        from drillsim import scenarios

        folder = Path(scenarios.__file__).parent
    written = []
    for kind, filename in SCHEMA_FILES.items():
        target = Path(folder) / filename
        target.write_text(schema_text(kind), encoding="utf-8")
        written.append(target)
    return written


def _main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--write-schemas"]:
        for target in write_schemas(args[1] if len(args) > 1 else None):
            print(f"wrote {target}")
        return 0
    print("usage: python -m simulator.loading --write-schemas [FOLDER]", file=sys.stderr)
    return 2


def iter_yaml_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named by the user, and ``*.yaml``/``*.yml`` files in folders (recursively, sorted)."""
    for item in paths:
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            yield path


if __name__ == "__main__":
    raise SystemExit(_main())
