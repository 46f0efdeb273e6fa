"""Comparing scored drills across quarters: scorecards -> a pandas DataFrame -> tables, trends, recurring findings.

Everything here is a pure function of the scorecards (and, for findings, of the run
folders' journals), except the loader, which reads files:

- ``find_scorecards(paths)`` finds ``scorecard.json`` files (a run folder, a scorecard, or a
  folder searched recursively);
- ``load_drills(paths)`` reads them with a tolerant, versioned loader (``schema_version``
  0 and 1; a newer version is read as the newest known one, with a warning). A broken or
  foreign file is skipped with a warning naming it; the rest is compared;
- ``drills_frame(drills)`` is one row per drill, in drill order (date, then label), with
  every interval's seconds, target, par, status and ratio to its target, the score and the
  objective ratings, and whether the scenario changed since the team's previous drill of it;
- ``interval_stats``, ``trend``, ``recurring_findings`` and ``recurring_actions`` build the
  report's tables. Intervals are heavy-tailed: medians and ranges (p10/p90 from
  ``PERCENTILE_MIN`` drills), never means.

Drills of one scenario are compared like with like: the scenario's content hash is
checked, and a drill played on a changed scenario is flagged (``scenario_changed``).
Drills of different scenarios are compared relative to each scenario's targets
(``<interval>_vs_target`` = seconds / target).

pandas is imported inside the functions that build frames, so importing this module is light.

It is long because it is the comparison's whole data side, read top to bottom: finding the files, the
tolerant loader of every scorecard version (with a journal's findings and integrity check where a
scorecard has none), then the frames and tables built from them. The loader and the tables share
``DrillRow`` and nothing else would import one without the other; writing it all out is
``reports/compare_render.py`` and ``reports/compare_figures.py``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillsim.simulator.stats import quantile
from drillsim.simulator.text import CONTROL_LINES, escape_all

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

SCORECARD_NAME = "scorecard.json"
JOURNAL_NAME = "journal.jsonl"
KNOWN_VERSIONS = (0, 1, 2, 3)
"""Scorecard schema versions this loader reads (``reports.scoring.SCHEMA_VERSION`` is the newest)."""

KEY_INTERVALS: dict[str, str] = {
    "detect_from_impact": "Detect",
    "ack_from_impact": "Acknowledge",
    "contain_from_impact": "Contain",
    "recover_from_impact": "Recover",
    "first_update_from_impact": "First update",
}
"""The intervals compared in tables and figures (whichever the scorecards have), with short labels."""

PERCENTILE_MIN = 10
"""p10/p90 are given from this many drills on; below it only the median and min-max."""

NO_TEAM = "(no team)"
CHANGED_MARK = "†"
MAX_FILE_BYTES = 20 * 1024 * 1024
"""A scorecard larger than this is not a scorecard (a foreign or hostile file)."""


READ_KEYS = (
    "schema_version",
    "scenario_id",
    "scenario_title",
    "scenario_hash",
    "team",
    "label",
    "date",
    "wall",
    "seed",
    "policy",
    "score",
    "par_score",
    "intervals",
    "targets",
    "par",
    "ratings",
    "objectives",
    "findings",
    "integrity",
    "journal_sha256",
)
"""The scorecard keys the loader reads (of every version); the rest (the AAR, people, clocks ...) is not read."""


_DIGITS = re.compile(r"(\d+)")


class ScorecardError(Exception):
    """A file that cannot be read as a scorecard: the message names the file and the reason."""


@dataclass(frozen=True)
class IntervalValue:
    seconds: float | None
    target: float | None
    par: float | None
    status: str
    label: str


@dataclass(frozen=True)
class FindingValue:
    rule: str
    title: str
    corrective_action: str | None
    owner: str | None


@dataclass
class DrillRow:
    """One scored drill, normalised from any known scorecard version."""

    path: Path
    """The scorecard file (or the journal a scorecard was computed from)."""
    schema_version: int
    scenario_id: str
    scenario_title: str
    scenario_hash: str | None
    team: str
    label: str
    date: str | None
    seed: int | None
    policy: str | None
    score: float | None
    par_score: float | None
    intervals: dict[str, IntervalValue]
    objectives: dict[str, str]
    findings: list[FindingValue] | None = None
    """Areas for improvement; None when neither the scorecard nor a journal gives them."""
    findings_source: str | None = None
    integrity: str | None = None
    """Why the drill's journal failed its integrity check (it does not replay the same), if it did."""
    journal_sha256: str | None = None
    """The sha256 of the journal the report was written from (scorecards from issue 17 on), if recorded."""

    @property
    def run_dir(self) -> Path:
        return self.path.parent

    @property
    def order_key(self) -> tuple[str, tuple[tuple[int, str, int], ...], str]:
        """Oldest first; drills of one date by label with its numbers read as numbers (sim-2 before sim-10)."""
        return (self.date or "", _natural(self.label), str(self.path))


def _natural(text: str) -> tuple[tuple[int, str, int], ...]:
    return tuple((1, "", int(part)) if part.isdigit() else (0, part, 0) for part in _DIGITS.split(text) if part)


@dataclass
class Collection:
    drills: list[DrillRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- finding files


def _is_scorecard_name(name: str) -> bool:
    return name == SCORECARD_NAME or name.endswith("." + SCORECARD_NAME)


def find_scorecards(paths: Iterable[str | os.PathLike[str]], warnings: list[str] | None = None) -> list[Path]:
    """Scorecard files (and journals of run folders without one) under ``paths``, without duplicates.

    A path may be a scorecard file (any name), a run folder, or a folder searched
    recursively for ``scorecard.json`` (and ``*.scorecard.json``). A run folder holding a
    ``journal.jsonl`` but no ``scorecard.json`` yields its journal: it is scored on load.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = Path(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            found.append(path)

    for raw in paths:
        path = Path(raw)
        if path.is_file() or (path.exists() and not path.is_dir()):  # a pipe or a device is refused on load
            add(path)
        elif path.is_dir():
            hits = 0
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                names = sorted(files)
                cards = [n for n in names if _is_scorecard_name(n)]
                for name in cards:
                    add(Path(root) / name)
                    hits += 1
                if not cards and JOURNAL_NAME in names:
                    add(Path(root) / JOURNAL_NAME)
                    hits += 1
            if not hits and warnings is not None:
                warnings.append(f"{path}: no scorecard.json or run folder found in it")
        elif warnings is not None:
            warnings.append(f"{path}: no such file or folder")
    return found


# ---------------------------------------------------------------------------- the tolerant loader


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) and math.isfinite(float(value)):
        return float(value)
    return None


def _text(value: Any, default: str = "") -> str:
    return default if value is None else str(value)


def _version(data: dict[str, Any]) -> int:
    version = data.get("schema_version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ScorecardError(f"schema_version {version!r} is not a version number")
    return version


def _require_scorecard(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ScorecardError(f"not a scorecard (a JSON {type(data).__name__}, not an object)")
    if not isinstance(data.get("scenario_id"), str) or not data.get("scenario_id"):
        raise ScorecardError("not a scorecard (no scenario_id)")
    if "intervals" not in data:
        raise ScorecardError("not a scorecard (no intervals)")
    return data


def _from_v0(data: dict[str, Any], path: Path) -> DrillRow:
    """Version 0 (before ``schema_version``): ``intervals`` a mapping of name to seconds, ``targets``
    and ``par`` mappings beside it, ``score`` a number, ``ratings`` a mapping of objective to
    rating; no scenario hash, title, seed or policy; the date may only be in ``wall``."""
    from drillsim.reports.scoring import interval_status

    raw = data.get("intervals")
    if not isinstance(raw, dict):
        raise ScorecardError("version 0 scorecard: intervals is not a mapping")
    targets: dict[str, Any] = data["targets"] if isinstance(data.get("targets"), dict) else {}
    pars: dict[str, Any] = data["par"] if isinstance(data.get("par"), dict) else {}
    intervals = {}
    for name, value in raw.items():
        seconds = _num(value)
        target = _num(targets.get(name))
        intervals[str(name)] = IntervalValue(
            seconds, target, _num(pars.get(name)), interval_status(seconds, target), str(name)
        )
    ratings: dict[str, Any] = data["ratings"] if isinstance(data.get("ratings"), dict) else {}
    date = data.get("date") or (str(data["wall"])[:10] if isinstance(data.get("wall"), str) else None)
    return DrillRow(
        path=path,
        schema_version=0,
        scenario_id=str(data["scenario_id"]),
        scenario_title=_text(data.get("scenario_title"), str(data["scenario_id"])),
        scenario_hash=data.get("scenario_hash") if isinstance(data.get("scenario_hash"), str) else None,
        team=_text(data.get("team")) or NO_TEAM,
        label=_text(data.get("label")),
        date=_text(date) or None,
        seed=data.get("seed") if isinstance(data.get("seed"), int) else None,
        policy=data.get("policy") if isinstance(data.get("policy"), str) else None,
        score=_num(data.get("score")),
        par_score=_num(data.get("par_score")),
        intervals=intervals,
        objectives={str(k): str(v) for k, v in ratings.items()},
        findings=_findings_in(data),
        integrity=_integrity_in(data),
    )


def _integrity_in(data: dict[str, Any]) -> str | None:
    """The integrity warning the report recorded when its journal failed the check (``integrity``)."""
    raw = data.get("integrity")
    if isinstance(raw, list) and raw and isinstance(raw[0], str):
        return raw[0]
    return None


def _from_v1(data: dict[str, Any], path: Path, version: int) -> DrillRow:
    """Versions 1 and 2 (same shape; from 2 ``par`` is the playbook's median over many drills, not one drill)."""
    from drillsim.reports.scoring import interval_status

    raw = data.get("intervals")
    if not isinstance(raw, list):
        raise ScorecardError("intervals is not a list")
    intervals = {}
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        seconds, target = _num(item.get("seconds")), _num(item.get("target"))
        status = str(item["status"]) if isinstance(item.get("status"), str) else interval_status(seconds, target)
        intervals[item["name"]] = IntervalValue(
            seconds, target, _num(item.get("par")), status, _text(item.get("label"), item["name"])
        )
    score_part = data.get("score")
    total = _num(score_part.get("total")) if isinstance(score_part, dict) else _num(score_part)
    objectives = {}
    for item in data.get("objectives") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            objectives[item["id"]] = _text(item.get("rating"), "N/A")
    seed = data.get("seed")
    return DrillRow(
        path=path,
        schema_version=version,
        scenario_id=str(data["scenario_id"]),
        scenario_title=_text(data.get("scenario_title"), str(data["scenario_id"])),
        scenario_hash=data.get("scenario_hash") if isinstance(data.get("scenario_hash"), str) else None,
        team=_text(data.get("team")) or NO_TEAM,
        label=_text(data.get("label")),
        date=data.get("date") if isinstance(data.get("date"), str) else None,
        seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
        policy=data.get("policy") if isinstance(data.get("policy"), str) else None,
        score=total,
        par_score=_num(data.get("par_score")),
        intervals=intervals,
        objectives=objectives,
        findings=_findings_in(data),
        integrity=_integrity_in(data),
        journal_sha256=data["journal_sha256"] if isinstance(data.get("journal_sha256"), str) else None,
    )


def _findings_in(data: dict[str, Any]) -> list[FindingValue] | None:
    """Findings stored in the scorecard itself (a later schema may carry them); None when absent."""
    raw = data.get("findings")
    if not isinstance(raw, list):
        return None
    out = []
    for item in raw:
        if isinstance(item, dict) and item.get("kind", "improvement") == "improvement" and item.get("rule"):
            out.append(
                FindingValue(
                    str(item["rule"]),
                    _text(item.get("title")),
                    item.get("corrective_action") if isinstance(item.get("corrective_action"), str) else None,
                    item.get("owner") if isinstance(item.get("owner"), str) else None,
                )
            )
    return out


_JSON_ESCAPE = re.compile(r'\\[^"\\/]')
"""A JSON escape that may stand for a control character (``\\n``, ``\\u001b`` ...): any but ``\\"``, ``\\\\``, ``\\/``."""


def _may_hold_control(text: str) -> bool:
    """Whether a JSON text may decode to a string with a character ``escape`` rewrites: it has one written
    as it is (a bidi override), or an escape other than a quote, a backslash or a slash. A report's
    scorecard normally has neither, and is then not walked string by string."""
    return _JSON_ESCAPE.search(text) is not None or CONTROL_LINES.search(text) is not None


def parse_scorecard(data: Any, path: Path) -> DrillRow:
    """A scorecard's JSON (already parsed) as a ``DrillRow``; raises ``ScorecardError``."""
    card = _require_scorecard(data)
    version = _version(card)
    if version == 0:
        return _from_v0(card, path)
    return _from_v1(card, path, version)


def load_scorecard(path: str | os.PathLike[str], warnings: list[str] | None = None) -> DrillRow:
    """Read one scorecard file; raises ``ScorecardError`` naming the file and the reason."""
    from drillsim.simulator.files import FileRefused, read_limited

    file = Path(path)
    try:
        raw = read_limited(file, MAX_FILE_BYTES)
    except FileRefused as exc:
        raise ScorecardError(f"{file}: skipped: {exc.reason}") from None
    except OSError as exc:
        raise ScorecardError(f"{file}: skipped: cannot read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise ScorecardError(f"{file}: skipped: the file is empty")
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise ScorecardError(f"{file}: skipped: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        what = "truncated JSON" if exc.pos >= len(raw.rstrip()) - 1 else "invalid JSON"
        raise ScorecardError(f"{file}: skipped: {what} (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ScorecardError(f"{file}: skipped: JSON nested too deeply") from None
    # every text of a scorecard that compare reads reaches the terminal, the reports and the CSV files:
    # escaped here, once (only the keys it reads: a report's scorecard also holds its whole AAR)
    if isinstance(data, dict):
        data = {key: data[key] for key in READ_KEYS if key in data}
    if _may_hold_control(text):
        data = escape_all(data, lines=False)
    try:
        drill = parse_scorecard(data, file)
    except ScorecardError as exc:
        raise ScorecardError(f"{file}: skipped: {exc}") from None
    if drill.schema_version not in KNOWN_VERSIONS and warnings is not None:
        warnings.append(
            f"{file}: schema_version {drill.schema_version} is newer than this drillsim knows "
            f"({max(KNOWN_VERSIONS)}); read as version {max(KNOWN_VERSIONS)}"
        )
    return drill


def _score_journal(path: Path) -> DrillRow:
    """A run folder with a journal but no scorecard: score it now (no par)."""
    from drillsim.reports.journal_io import JournalReadError, read_journal
    from drillsim.reports.scoring import score

    try:
        records = read_journal(path)
    except JournalReadError as exc:
        raise ScorecardError(f"{exc} (skipped)") from None
    integrity = journal_integrity(path, records, file_sha256(path))
    if integrity is not None and integrity[1]:
        raise ScorecardError(f"{integrity[0]} (skipped)")
    try:
        card = score(records)
    except Exception as exc:  # a journal the scorer cannot read is one bad drill, not a failed comparison
        raise ScorecardError(f"{path}: skipped: cannot be scored ({type(exc).__name__}: {exc})") from None
    drill = parse_scorecard(json.loads(card.model_dump_json()), path)
    drill.findings, drill.findings_source = _journal_findings(records, card), "journal"
    drill.integrity = integrity[0] if integrity is not None else None
    return drill


def _journal_findings(records: list[dict[str, Any]], card: Any = None) -> list[FindingValue]:
    from drillsim.reports.lessons import findings

    return [
        FindingValue(f.rule, f.title, f.corrective_action, f.owner)
        for f in findings(records, card)
        if f.kind == "improvement"
    ]


def attach_findings(drill: DrillRow, warnings: list[str] | None = None) -> None:
    """Make sure the drill has its findings, from its scorecard or else from the run folder's journal.

    A scorecard written by the report from issue 17 on carries its findings and the sha256 of
    the journal it was written from (``journal_sha256``): when the journal beside it still has
    that hash, the scorecard is trusted as it is (the report checked that journal: its integrity
    warning, if any, is in the scorecard) and the journal is not read. A journal changed since
    its report is named in a warning and checked again (replayed); so is the journal of a
    scorecard without findings (written before), whose findings are recomputed from it.
    """
    journal = drill.run_dir / JOURNAL_NAME
    if drill.findings is not None:
        drill.findings_source = drill.findings_source or "scorecard"
        if drill.journal_sha256 is None or not journal.is_file():
            return
        digest = file_sha256(journal)
        if digest == drill.journal_sha256:
            return
        if warnings is not None:
            warnings.append(f"{journal}: changed since its report was written (not the journal_sha256 of {drill.path})")
        if digest is None:
            return
    elif not journal.is_file():
        return
    from drillsim.reports.journal_io import JournalReadError, read_journal

    try:
        records = read_journal(journal)
        integrity = journal_integrity(journal, records, file_sha256(journal))
        refused = _matches_scorecard(drill, records) or (integrity[0] if integrity and integrity[1] else None)
        if refused is not None:
            if warnings is not None:
                warnings.append(f"{refused}; the drill's findings are not used")
            drill.findings, drill.findings_source = None, None
            return
        drill.integrity = integrity[0] if integrity is not None else None
        drill.findings = _journal_findings(records)
        drill.findings_source = "journal"
    except JournalReadError as exc:
        if warnings is not None:
            warnings.append(f"{journal}: findings not read: {exc}")
    except Exception as exc:
        if warnings is not None:
            warnings.append(f"{journal}: findings not computed ({type(exc).__name__}: {exc})")


def file_sha256(path: Path) -> str | None:
    """The sha256 of a file's bytes (hex), or None when it cannot be read."""
    import hashlib

    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _verified_path(digest: str) -> Path:
    """Where the integrity check of a journal with this sha256 is kept, per drillsim version and journal format."""
    import hashlib

    from drillsim import __version__
    from drillsim.simulator.metrics import FORMAT
    from drillsim.simulator.whatif import cache_dir

    key = hashlib.sha256(f"{__version__}/journal-{FORMAT}/{digest}".encode()).hexdigest()[:32]
    return cache_dir() / "verified" / f"{key}.json"


def journal_integrity(path: Path, records: list[dict[str, Any]], digest: str | None = None) -> tuple[str, bool] | None:
    """Why a journal fails its integrity check (``file:line: ...``) and whether that is fatal, or ``None``.

    Fatal: its scenario or roster copy is not valid or does not match its hash (the drill is
    skipped). Not fatal: its inputs, replayed, do not give the same journal (a warning: it was
    edited, or written by an earlier drillsim build).

    With the journal's ``digest`` (sha256), the outcome of the replay is kept in the cache
    (``<cache>/verified/``, keyed by the drillsim version, the journal format and the digest) and
    read from there the next time the same bytes are checked: the replay is what costs."""
    from drillsim.simulator.replay import located, verify

    cached = _verified_path(digest) if digest else None
    integrity: tuple[str, bool] | None = None
    try:
        data = json.loads(cached.read_text(encoding="utf-8")) if cached else None
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict) and "problem" in data:
        problem, fatal = data["problem"], bool(data.get("fatal"))
        integrity = (problem, fatal) if isinstance(problem, str) else None
    else:
        integrity = verify(records)
        if cached is not None:
            from drillsim.simulator.journal import atomic_write

            with contextlib.suppress(OSError):
                problem, fatal = integrity if integrity is not None else (None, False)
                atomic_write(cached, json.dumps({"problem": problem, "fatal": fatal}) + "\n")
    if integrity is None:
        return None
    problem, fatal = integrity
    if fatal:
        return located(path, f"{problem}; the journal fails its integrity check"), True
    return located(path, f"{problem}; it was edited since the drill, or written by an earlier drillsim build"), False


def _matches_scorecard(drill: DrillRow, records: list[dict[str, Any]]) -> str | None:
    """A scorecard and the journal beside it must be of the same drill (seed and scenario hash)."""
    first = records[0]
    journal = drill.run_dir / JOURNAL_NAME
    if drill.seed is not None and first.get("seed") != drill.seed:
        return f"{drill.path}: the scorecard's seed {drill.seed} is not the journal's ({journal})"
    if drill.scenario_hash is not None and first.get("scenario_hash") != drill.scenario_hash:
        return f"{drill.path}: the scorecard's scenario_hash is not the journal's ({journal})"
    return None


def load_drills(
    paths: Iterable[str | os.PathLike[str]], *, with_findings: bool = True, warnings: list[str] | None = None
) -> Collection:
    """Every drill under ``paths`` in drill order (date, then label); bad files become warnings."""
    collection = Collection(warnings=warnings if warnings is not None else [])
    for path in find_scorecards(paths, collection.warnings):
        try:
            drill = _score_journal(path) if path.name == JOURNAL_NAME else load_scorecard(path, collection.warnings)
        except ScorecardError as exc:
            log.debug("%s", exc)
            collection.warnings.append(str(exc))
            continue
        if with_findings:
            attach_findings(drill, collection.warnings)
        if drill.integrity is not None:
            collection.warnings.append(drill.integrity)
        collection.drills.append(drill)
    collection.drills.sort(key=lambda d: d.order_key)
    return collection


# ---------------------------------------------------------------------------- statistics (pure Python)


def summarize(values: Iterable[float | None]) -> dict[str, float | int | None]:
    """n, median, min, max, and p10/p90 (from ``PERCENTILE_MIN`` values): no mean, the tails are heavy."""
    clean = [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not clean:
        return {"n": 0, "median": None, "min": None, "max": None, "p10": None, "p90": None}
    enough = len(clean) >= PERCENTILE_MIN
    return {
        "n": len(clean),
        "median": quantile(clean, 0.5),
        "min": min(clean),
        "max": max(clean),
        "p10": quantile(clean, 0.1) if enough else None,
        "p90": quantile(clean, 0.9) if enough else None,
    }


def trend(values: Sequence[float | None], *, lower_is_better: bool = True, tolerance: float = 0.05) -> str:
    """``improving``, ``worsening``, ``flat`` or ``n/a`` across drills in order.

    The slope is Theil-Sen's (the median of every pairwise slope: robust to one bad
    quarter); the change over the span counts as flat when under ``tolerance`` of the median.
    """
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None and not math.isnan(float(v))]
    if len(points) < 2:
        return "n/a"
    slopes = [(y2 - y1) / (x2 - x1) for n, (x1, y1) in enumerate(points) for (x2, y2) in points[n + 1 :]]
    slope = quantile(slopes, 0.5)
    span = points[-1][0] - points[0][0]
    scale = abs(quantile([y for _, y in points], 0.5)) or 1.0
    if abs(slope * span) <= tolerance * scale:
        return "flat"
    better = slope < 0 if lower_is_better else slope > 0
    return "improving" if better else "worsening"


# ---------------------------------------------------------------------------- frames


def interval_names(drills: Sequence[DrillRow]) -> list[str]:
    """The key intervals any drill has, in ``KEY_INTERVALS`` order."""
    present = {name for d in drills for name, v in d.intervals.items() if v.seconds is not None or v.target}
    return [name for name in KEY_INTERVALS if name in present]


def drills_frame(drills: Sequence[DrillRow]) -> pd.DataFrame:
    """One row per drill in drill order.

    Columns: ``team``, ``scenario_id``, ``scenario_title``, ``scenario_hash``, ``scenario_changed``
    (the hash differs from the team's previous drill of the scenario), ``scenario_version``
    (1, 2, ... per distinct hash of the scenario, in order of first use), ``date``, ``label``,
    ``score``, ``par_score``, ``schema_version``, ``path``; per interval ``NAME`` (seconds),
    ``NAME_target``, ``NAME_par``, ``NAME_status``, ``NAME_met`` and ``NAME_vs_target``
    (seconds / target); ``objective:ID`` ratings; ``findings`` (count, empty if unknown).
    """
    import pandas as pd

    ordered = sorted(drills, key=lambda d: d.order_key)
    all_intervals: list[str] = list(interval_names(ordered))
    for d in ordered:
        for name in d.intervals:
            if name not in all_intervals:
                all_intervals.append(name)
    objectives: list[str] = []
    for d in ordered:
        objectives += [o for o in d.objectives if o not in objectives]
    last_hash: dict[tuple[str, str], str | None] = {}
    versions: dict[str, list[str]] = {}
    rows = []
    for order, d in enumerate(ordered):
        key = (d.team, d.scenario_id)
        previous = last_hash.get(key)
        changed = (
            key in last_hash and d.scenario_hash is not None and previous is not None and previous != d.scenario_hash
        )
        if d.scenario_hash is not None:
            last_hash[key] = d.scenario_hash
        else:
            last_hash.setdefault(key, None)
        known = versions.setdefault(d.scenario_id, [])
        if d.scenario_hash is not None and d.scenario_hash not in known:
            known.append(d.scenario_hash)
        row: dict[str, Any] = {
            "order": order,
            "team": d.team,
            "scenario_id": d.scenario_id,
            "scenario_title": d.scenario_title,
            "scenario_hash": d.scenario_hash,
            "scenario_version": known.index(d.scenario_hash) + 1 if d.scenario_hash in known else None,
            "scenario_changed": changed,
            "date": d.date,
            "label": d.label,
            "score": d.score,
            "par_score": d.par_score,
        }
        for name in all_intervals:
            value = d.intervals.get(name)
            seconds = value.seconds if value else None
            target = value.target if value else None
            row[name] = seconds
            row[f"{name}_target"] = target
            row[f"{name}_par"] = value.par if value else None
            row[f"{name}_status"] = value.status if value else None
            row[f"{name}_met"] = None if value is None or target is None else value.status == "met"
            row[f"{name}_vs_target"] = seconds / target if seconds is not None and target else None
        for objective in objectives:
            row[f"objective:{objective}"] = d.objectives.get(objective)
        row["findings"] = None if d.findings is None else len(d.findings)
        row["findings_source"] = d.findings_source
        row["schema_version"] = d.schema_version
        row["path"] = str(d.path)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    for name in all_intervals:
        for column in (name, f"{name}_target", f"{name}_par", f"{name}_vs_target"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("score", "par_score"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def findings_frame(drills: Sequence[DrillRow]) -> pd.DataFrame:
    """One row per area for improvement per drill: drill order, team, scenario, label, rule key, title, action, owner.

    ``key`` identifies "the same area for improvement": a generic rule (``slow-detection``,
    ``clock-missed:gdpr``) is the same across scenarios; a scenario's own lesson
    (``scenario:N``) only within its scenario (``flash-sale-latency/scenario:2``).
    """
    import pandas as pd

    ordered = sorted(drills, key=lambda d: d.order_key)
    rows = []
    for order, d in enumerate(ordered):
        for f in d.findings or []:
            key = f"{d.scenario_id}/{f.rule}" if f.rule.startswith("scenario:") else f.rule
            rows.append(
                {
                    "order": order,
                    "team": d.team,
                    "scenario_id": d.scenario_id,
                    "date": d.date,
                    "label": d.label,
                    "key": key,
                    "rule": f.rule,
                    "title": f.title,
                    "corrective_action": f.corrective_action or "",
                    "owner": f.owner or "",
                }
            )
    columns = ["order", "team", "scenario_id", "date", "label", "key", "rule", "title", "corrective_action", "owner"]
    return pd.DataFrame(rows, columns=columns)


def missing(value: Any) -> bool:
    """A cell without a value: None or NaN (pandas' empty cell)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def drill_name(row: Any) -> str:
    """How a drill is named in tables: its label, else its date, else its order (a dict or a frame row)."""
    for column in ("label", "date"):
        value = row.get(column)
        if isinstance(value, str) and value:
            return value
    return f"#{int(row.get('order', 0)) + 1}"


def interval_stats(frame: pd.DataFrame, groups: Sequence[str] = ("team", "scenario_id")) -> pd.DataFrame:
    """Per group and key interval (and ``score``): n, median, min, max, p10, p90, share met, trend."""
    import pandas as pd

    columns = [*groups, "measure", "n", "median", "min", "max", "p10", "p90", "met", "met_n", "trend", "changed"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    names = [n for n in KEY_INTERVALS if n in frame.columns]
    rows = []
    for key, part in frame.groupby(list(groups), sort=True, dropna=False):
        keys = key if isinstance(key, tuple) else (key,)
        part = part.sort_values("order")
        changed = bool(part["scenario_changed"].any())
        for measure in [*names, "score"]:
            values = [None if pd.isna(v) else float(v) for v in part[measure]]
            if measure != "score" and all(v is None for v in values) and part[f"{measure}_target"].isna().all():
                continue
            stats = summarize(values)
            met_col = part[f"{measure}_met"] if measure != "score" else None
            met_known = [bool(v) for v in met_col if v is not None and not pd.isna(v)] if met_col is not None else []
            rows.append(
                {
                    **dict(zip(groups, keys, strict=True)),
                    "measure": measure,
                    **stats,
                    "met": sum(met_known),
                    "met_n": len(met_known),
                    "trend": trend(values, lower_is_better=measure != "score"),
                    "changed": changed,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def relative_summary(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """The terminal summary: per ``by`` value (team, scenario_id or label), drills, score median and range,
    and per key interval the median of seconds / target and how many drills met the target.

    Ratios make drills of different scenarios comparable; within one scenario the median
    seconds are given as well.
    """
    import pandas as pd

    names = [n for n in KEY_INTERVALS if n in frame.columns]
    rows = []
    if frame.empty:
        return pd.DataFrame()
    order = frame.groupby(by, sort=False)["order"].min().sort_values()
    for value in order.index:
        part = frame[frame[by] == value]
        score = summarize([None if pd.isna(v) else float(v) for v in part["score"]])
        row: dict[str, Any] = {
            by: value,
            "drills": len(part),
            "scenarios": part["scenario_id"].nunique(),
            "score_median": score["median"],
            "score_min": score["min"],
            "score_max": score["max"],
            "changed": bool(part["scenario_changed"].any()),
        }
        single = part["scenario_id"].nunique() == 1
        for name in names:
            ratio = summarize([None if pd.isna(v) else float(v) for v in part[f"{name}_vs_target"]])
            seconds = summarize([None if pd.isna(v) else float(v) for v in part[name]])
            met = [bool(v) for v in part[f"{name}_met"] if v is not None and not pd.isna(v)]
            row[f"{name}_ratio"] = ratio["median"]
            row[f"{name}_median"] = seconds["median"] if single else None
            row[f"{name}_met"] = sum(met)
            row[f"{name}_met_n"] = len(met)
        rows.append(row)
    return pd.DataFrame(rows)


def _names_by_order(drills: pd.DataFrame) -> dict[int, str]:
    """Each drill's table name (:func:`drill_name`) by its order, computed once."""
    columns = [c for c in ("label", "date", "order") if c in drills.columns]
    return {int(row["order"]): drill_name(row) for row in drills[columns].to_dict("records")}


def _recurring(
    findings: pd.DataFrame, drills: pd.DataFrame, keys: list[str], latest: pd.Series, minimum: int
) -> pd.DataFrame:
    """One row per (team, key) raised in ``minimum`` or more drills, grouped once (no scan of the frame per row).

    Columns: ``keys``, the latest row's other columns, ``drills`` (how many drills raised it),
    ``labels`` (their names, in drill order) and ``latest`` (raised in the team's latest drill,
    ``latest``: team -> its latest drill's order: still open).
    """
    names = _names_by_order(drills)
    part = findings.drop_duplicates([*keys, "order"]).sort_values([*keys, "order"], kind="stable")
    part = part.assign(name=part["order"].map(names))
    grouped = part.groupby(keys, sort=False)
    out = grouped.tail(1).set_index(keys).drop(columns="name")
    out["drills"] = grouped.size()
    out["labels"] = grouped["name"].agg(", ".join)
    out = out.reset_index()
    # orders are sorted: the key is still open when its last drill is the team's latest
    out["latest"] = out["order"].to_numpy() == out["team"].map(latest).fillna(-1).to_numpy()
    return out[out["drills"] >= minimum]


def recurring_findings(findings: pd.DataFrame, drills: pd.DataFrame, minimum: int = 2) -> pd.DataFrame:
    """Areas for improvement raised in ``minimum`` or more of a team's drills.

    Columns: team, key, title (the latest), owner, drills (how many raised it), of (the
    team's drills with known findings), labels (where), latest (raised in the team's latest
    drill: still open).
    """
    import pandas as pd

    columns = ["team", "key", "title", "owner", "drills", "of", "labels", "latest"]
    if findings.empty:
        return pd.DataFrame(columns=columns)
    known = drills[drills["findings"].notna()] if "findings" in drills.columns else drills
    by_team = known.groupby("team")["order"]
    rows = _recurring(findings, drills, ["team", "key"], by_team.max(), minimum)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(of=rows["team"].map(by_team.size()).fillna(0).astype(int))[columns]
    return rows.sort_values(["team", "drills", "key"], ascending=[True, False, True], ignore_index=True)


def recurring_actions(findings: pd.DataFrame, drills: pd.DataFrame, minimum: int = 2) -> pd.DataFrame:
    """Corrective actions that keep coming back: the same action text in ``minimum`` or more of a team's drills."""
    import pandas as pd

    columns = ["team", "corrective_action", "owner", "drills", "labels", "latest"]
    part = findings[findings["corrective_action"] != ""] if not findings.empty else findings
    if part.empty:
        return pd.DataFrame(columns=columns)
    rows = _recurring(part, drills, ["team", "corrective_action"], drills.groupby("team")["order"].max(), minimum)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    return rows[columns].sort_values(["team", "drills"], ascending=[True, False], ignore_index=True)


# ---------------------------------------------------------------------------- the comparison


@dataclass
class Comparison:
    """Everything the report shows, computed once."""

    drills: pd.DataFrame
    findings: pd.DataFrame
    stats: pd.DataFrame
    summary: pd.DataFrame
    recurring: pd.DataFrame
    actions: pd.DataFrame
    by: str
    intervals: list[str]
    warnings: list[str]
    findings_known: int
    """How many drills had findings (in the scorecard or from a journal)."""
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    """Derived views computed once by the renderer (``reports.compare_render``)."""


def drill_records(cmp: Comparison) -> list[dict[str, Any]]:
    """The drills as one dict per drill, in drill order, made once (``DataFrame.to_dict`` per group or per
    figure cost a tenth of a second each for a thousand drills); read them, never change them."""
    if "records" not in cmp.cache:
        cmp.cache["records"] = cmp.drills.sort_values("order", kind="stable").to_dict("records")
    records: list[dict[str, Any]] = cmp.cache["records"]
    return records


BY_COLUMNS = {"team": "team", "scenario": "scenario_id", "label": "label"}


def compare(drills: Sequence[DrillRow], *, by: str = "team", warnings: Sequence[str] = ()) -> Comparison:
    """Build every table of the comparison from loaded drills (``by``: team, scenario or label)."""
    if by not in BY_COLUMNS:
        raise ValueError(f"by must be one of {', '.join(BY_COLUMNS)}")
    frame = drills_frame(drills)
    found = findings_frame(drills)
    return Comparison(
        drills=frame,
        findings=found,
        stats=interval_stats(frame),
        summary=relative_summary(frame, BY_COLUMNS[by]),
        recurring=recurring_findings(found, frame),
        actions=recurring_actions(found, frame),
        by=by,
        intervals=[n for n in KEY_INTERVALS if n in frame.columns],
        warnings=list(warnings),
        findings_known=sum(1 for d in drills if d.findings is not None),
    )
