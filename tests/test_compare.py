"""drillsim compare: the tolerant loader, the comparison frames, the report and the command, HistoryScreen."""

from __future__ import annotations

import asyncio
import copy
import csv
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from drillsim.main import main
from drillsim.reports.compare import (
    CHANGED_MARK,
    compare,
    drills_frame,
    find_scorecards,
    load_drills,
    load_scorecard,
    summarize,
    trend,
)

DATA = Path(__file__).resolve().parent / "data"
CARDS = DATA / "scorecards"
BASE = json.loads((CARDS / "base-v1.scorecard.json").read_text(encoding="utf-8"))
QUARTERS = [("2026-Q1", "2026-01-20"), ("2026-Q2", "2026-04-21"), ("2026-Q3", "2026-07-22")]


def make_card(
    *,
    team: str = "Crisis A",
    label: str,
    date: str,
    detect: float,
    score: float = 60.0,
    scenario_hash: str | None = None,
    scenario_id: str | None = None,
    detect_target: float | None = None,
) -> dict[str, Any]:
    card = copy.deepcopy(BASE)
    card.update(team=team, label=label, date=date)
    card["score"]["total"] = score
    if scenario_hash is not None:
        card["scenario_hash"] = scenario_hash
    if scenario_id is not None:
        card["scenario_id"] = scenario_id
    for interval in card["intervals"]:
        if interval["name"] == "detect_from_impact":
            interval["seconds"] = detect
            if detect_target is not None:
                interval["target"] = detect_target
            target = interval["target"]
            interval["status"] = "met" if detect <= target else "late"
    return card


def write_run(root: Path, name: str, card: dict[str, Any]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "scorecard.json").write_text(json.dumps(card), encoding="utf-8")
    return folder


@pytest.fixture
def quarters(tmp_path: Path) -> Path:
    """Detection improving 10m -> 6m -> 4m across Q1-Q3 (target 5m); score improving."""
    root = tmp_path / "drills"
    for (label, date), detect, score in zip(QUARTERS, (600.0, 360.0, 240.0), (40.0, 55.0, 80.0), strict=True):
        write_run(root, f"{date}-crisis-a", make_card(label=label, date=date, detect=detect, score=score))
    return root


def test_known_trend_medians_direction_and_target_flags(quarters: Path) -> None:
    collection = load_drills([quarters])
    assert collection.warnings == []
    assert [d.label for d in collection.drills] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    cmp = compare(collection.drills)
    frame = cmp.drills
    assert list(frame["detect_from_impact"]) == [600.0, 360.0, 240.0]
    assert list(frame["detect_from_impact_met"]) == [False, False, True]
    assert list(frame["detect_from_impact_vs_target"]) == pytest.approx([2.0, 1.2, 0.8])
    assert not frame["scenario_changed"].any()
    detect = cmp.stats[cmp.stats["measure"] == "detect_from_impact"].iloc[0]
    assert detect["median"] == 360.0
    assert (detect["min"], detect["max"]) == (240.0, 600.0)
    assert detect["p10"] is None or detect["p10"] != detect["p10"]  # too few drills for percentiles
    assert detect["trend"] == "improving"
    assert (detect["met"], detect["met_n"]) == (1, 3)
    score = cmp.stats[cmp.stats["measure"] == "score"].iloc[0]
    assert score["median"] == 55.0 and score["trend"] == "improving"
    summary = cmp.summary.iloc[0]
    assert summary["detect_from_impact_median"] == 360.0
    assert summary["detect_from_impact_ratio"] == pytest.approx(1.2)


def test_drills_of_one_date_are_in_the_order_of_their_numbers(tmp_path: Path) -> None:
    root = tmp_path / "drills"
    for n in (10, 2, 1, 11, 3):
        write_run(root, f"sim-{n}", make_card(label=f"sim-{n}", date="2026-05-04", detect=300.0))
    write_run(root, "earlier", make_card(label="sim-9", date="2026-05-03", detect=300.0))
    labels = [d.label for d in load_drills([root]).drills]
    assert labels == ["sim-9", "sim-1", "sim-2", "sim-3", "sim-10", "sim-11"]


def test_trend_and_summary_helpers() -> None:
    assert trend([600, 360, 240]) == "improving"
    assert trend([240, 360, 600]) == "worsening"
    assert trend([300, 301, 299]) == "flat"
    assert trend([40, 55, 80], lower_is_better=False) == "improving"
    assert trend([None, 5.0]) == "n/a"
    stats = summarize(range(1, 11))
    assert stats["median"] == 5.5 and stats["p10"] == pytest.approx(1.9) and stats["p90"] == pytest.approx(9.1)
    assert summarize([1.0, 100.0, 2.0])["median"] == 2.0  # heavy tail: the median, not the mean


def test_changed_scenario_is_flagged(tmp_path: Path) -> None:
    root = tmp_path / "drills"
    for (label, date), digest in zip(QUARTERS, ("a" * 64, "a" * 64, "b" * 64), strict=True):
        write_run(root, label, make_card(label=label, date=date, detect=200.0, scenario_hash=digest))
    cmp = compare(load_drills([root]).drills)
    assert list(cmp.drills["scenario_changed"]) == [False, False, True]
    assert list(cmp.drills["scenario_version"]) == [1, 1, 2]
    from drillsim.reports.compare_render import terminal_summary

    text = terminal_summary(cmp)
    assert f"2026-Q3{CHANGED_MARK}" in text
    assert "content hash differs" in text


def test_different_scenarios_compare_relative_to_target(tmp_path: Path) -> None:
    root = tmp_path / "drills"
    write_run(root, "a", make_card(label="2026-Q1", date="2026-01-01", detect=600.0))
    write_run(
        root,
        "b",
        make_card(label="2026-Q1", date="2026-01-02", detect=600.0, scenario_id="model-drift", detect_target=1200.0),
    )
    cmp = compare(load_drills([root]).drills, by="label")
    assert list(cmp.drills["detect_from_impact_vs_target"]) == pytest.approx([2.0, 0.5])
    row = cmp.summary.iloc[0]
    assert row["label"] == "2026-Q1" and row["scenarios"] == 2
    assert row["detect_from_impact_ratio"] == pytest.approx(1.25)
    assert row["detect_from_impact_median"] is None  # seconds of different scenarios are not pooled


def test_version_0_scorecard_loads() -> None:
    drill = load_scorecard(CARDS / "legacy" / "scorecard.json")
    assert drill.schema_version == 0
    assert drill.scenario_hash is None and drill.date == "2025-04-10" and drill.score == 31.5
    assert drill.intervals["detect_from_impact"].status == "late"
    assert drill.intervals["contain_from_impact"].status == "missed"
    assert drill.objectives == {"contain-fast": "U", "communicate": "M"}
    # it compares with schema 1 drills of the same scenario
    base = load_scorecard(CARDS / "base-v1.scorecard.json")
    frame = drills_frame([base, drill])
    assert list(frame["schema_version"]) == [0, 1]
    assert not frame["scenario_changed"].any()


def test_broken_files_are_skipped_with_warnings(quarters: Path) -> None:
    shutil.copytree(CARDS / "broken", quarters / "broken")
    collection = load_drills([quarters])
    assert len(collection.drills) == 3
    text = "\n".join(collection.warnings)
    for name, reason in [
        ("truncated.scorecard.json", "truncated JSON"),
        ("invalid.scorecard.json", "invalid JSON"),
        ("foreign.scorecard.json", "not a scorecard"),
        ("list.scorecard.json", "not a scorecard"),
    ]:
        assert any(name in w and reason in w for w in collection.warnings), (name, text)


def test_find_scorecards_run_folder_file_and_missing(quarters: Path, tmp_path: Path) -> None:
    run = next(quarters.iterdir())
    warnings: list[str] = []
    found = find_scorecards([run, run / "scorecard.json", tmp_path / "nope"], warnings)
    assert found == [run / "scorecard.json"]
    assert any("no such file or folder" in w for w in warnings)


def test_findings_recomputed_from_the_journal(tmp_path: Path) -> None:
    """scorecard.json has no findings: they come from journal.jsonl beside it; recurring ones are found."""
    journal = DATA / "journals" / "flash-sale-late.jsonl"
    root = tmp_path / "drills"
    recorded = json.loads(journal.read_text(encoding="utf-8").splitlines()[0])["scenario_hash"]
    for label, date in QUARTERS[:2]:
        folder = write_run(root, label, make_card(label=label, date=date, detect=400.0, scenario_hash=recorded))
        shutil.copy(journal, folder / "journal.jsonl")
    # a run folder with only a journal is scored on load
    only_journal = root / "2026-Q3"
    only_journal.mkdir()
    shutil.copy(journal, only_journal / "journal.jsonl")
    collection = load_drills([root])
    assert len(collection.drills) == 3
    assert all(d.findings for d in collection.drills)
    cmp = compare(collection.drills)
    assert cmp.findings_known == 3
    # the don'ts are the scenario's own lessons now (one row each, #14); the missing update recurs
    recurring = cmp.recurring[cmp.recurring["key"] == "no-update"]
    assert len(recurring) >= 1
    assert cmp.recurring["drills"].max() >= 2
    assert not cmp.actions.empty


def test_cli_writes_report_and_csv_one_row_per_drill(
    quarters: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(CARDS / "broken" / "truncated.scorecard.json", quarters / "truncated.scorecard.json")
    out = tmp_path / "out"
    assert main(["compare", str(quarters), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "truncated.scorecard.json" in captured.err and "skipped" in captured.err
    assert "Compared 3 drills" in captured.out and "improving" in captured.out
    with (out / "drills.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["label"] for r in rows] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert [r["detect_from_impact"] for r in rows] == ["600.0", "360.0", "240.0"]
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "<script" not in html
    assert (out / "comparison.md").read_text(encoding="utf-8").startswith("# Drill comparison")
    assert list((out / "figures").glob("*.png"))


def test_cli_escapes_hostile_text(tmp_path: Path) -> None:
    root = tmp_path / "drills"
    hostile = "<script>alert(1)</script>|=cmd"
    write_run(root, "x", make_card(team=hostile, label="=HYPERLINK(1)", date="2026-01-01", detect=100.0))
    out = tmp_path / "out"
    assert main(["compare", str(root), "--out", str(out), "--no-figures"]) == 0
    assert "<script>alert" not in (out / "comparison.html").read_text(encoding="utf-8")
    comparison_md = (out / "comparison.md").read_text(encoding="utf-8")
    assert "\\<script>alert" in comparison_md and not re.search(r"(?<!\\)<script", comparison_md)
    assert "'=HYPERLINK(1)" in (out / "drills.csv").read_text(encoding="utf-8")


def test_cli_no_scorecards_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["compare", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "no scorecards to compare" in err
    assert not (tmp_path / "out").exists()
    # only broken files: warnings, then the same single message and exit 2
    assert main(["compare", str(CARDS / "broken"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("no scorecards to compare") == 1 and "skipped" in err


def test_cli_bad_by_is_usage_error(tmp_path: Path) -> None:
    assert main(["compare", str(tmp_path), "--by", "colour"]) == 2


def test_history_screen_lists_drills(quarters: Path) -> None:
    from drillsim.tui.screens.history import HistoryScreen
    from textual.app import App
    from textual.widgets import DataTable, Sparkline

    async def run() -> None:
        app: App[None] = App()
        async with app.run_test(size=(120, 40)) as pilot:
            screen = HistoryScreen(quarters)
            await app.push_screen(screen)
            await pilot.pause()
            table = screen.query_one("#drills", DataTable)
            assert table.row_count == 3
            assert [table.get_row_at(i)[3] for i in range(3)] == ["2026-Q1", "2026-Q2", "2026-Q3"]
            assert table.get_row_at(0)[:2] == ["2026-01-20", "Crisis A"]
            assert list(screen.query_one("#sparkline", Sparkline).data or []) == [40.0, 55.0, 80.0]
            assert screen.query_one("#intervals", DataTable).row_count == 3

    asyncio.run(run())


def test_a_reported_run_is_trusted_while_its_journal_keeps_the_recorded_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report records the journal's sha256 in scorecard.json: compare then reads the scorecard's findings
    without replaying the journal; a journal edited since is named and checked again; a journal-only folder's
    check is kept by the hash of its bytes, and the second comparison says the same as the first."""
    import hashlib
    import os

    assert main(["autoplay", "flash-sale-latency", "--seed", "3", "--no-report", "--out", str(tmp_path / "d")]) == 0
    (folder,) = (tmp_path / "d").iterdir()
    assert main(["report", str(folder), "--no-par"]) == 0
    capsys.readouterr()
    journal = folder / "journal.jsonl"
    card = json.loads((folder / "scorecard.json").read_text(encoding="utf-8"))
    assert card["journal_sha256"] == hashlib.sha256(journal.read_bytes()).hexdigest()
    collection = load_drills([folder])
    assert collection.warnings == [] and collection.drills[0].findings_source == "scorecard"

    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    submitted = next(r for r in records if r["type"] == "action_submitted")
    submitted["action"] = "rollback-model" if submitted["action"] != "rollback-model" else "add-replicas"
    journal.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    collection = load_drills([folder])
    assert any("changed since its report was written" in w for w in collection.warnings)
    assert any("does not replay to the same drill" in w for w in collection.warnings)
    assert collection.drills[0].findings_source == "journal"

    only = tmp_path / "only"
    only.mkdir()
    shutil.copy(journal, only / "journal.jsonl")
    first = load_drills([only]).warnings
    verified = Path(os.environ["XDG_CACHE_HOME"]) / "drillsim" / "verified"
    assert any(verified.iterdir())
    assert load_drills([only]).warnings == first
    assert any("does not replay to the same drill" in w for w in first)


def test_a_teams_trend_line_goes_through_the_median_of_its_drills_at_each_label() -> None:
    """Three drills of one team in a quarter: the trend line zigzagged through each of them at that label
    (97, 95, then 0 for the idle one, then up again); it goes through their median, each drill a dot."""
    from drillsim.reports.compare_figures import median_by_slot

    points = [(0, 97.1), (0, 95.2), (0, 0.0), (1, 96.8), (2, 95.0), (2, 97.0)]
    assert median_by_slot(points) == ([0, 1, 2], [95.2, 96.8, 96.0])
    assert median_by_slot([]) == ([], [])
