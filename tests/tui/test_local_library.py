"""One discovery for every command (#13): ./scenarios/ beside the built-ins, local copies shadowing them.

A trainer copies a built-in to ./scenarios/model-drift.yaml to tweak it: the launcher shows the
local copy (labelled, once, never a DuplicateKey), ``drillsim list`` shows it, and ``run``,
``autoplay``, ``validate`` and ``simulate`` with the id use it, each saying it shadows the
built-in. The repository root, whose ./scenarios holds the built-ins themselves, lists each
scenario once, as a built-in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from drillsim import launch
from drillsim.main import main
from drillsim.simulator.library import (
    BUILT_IN,
    LOCAL,
    builtin_scenarios,
    resolve_roster,
    resolve_scenario,
    roster_entries,
    scenario_entries,
)
from drillsim.tui.app import make_app
from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.screens.launcher import LauncherScreen, scenario_detail
from drillsim.tui.session import Settings, discover_scenarios
from textual.widgets import DataTable

from .conftest import SIZE
from .test_units import plain

ROOT = Path(__file__).resolve().parents[2]
TWEAKED = "My tweaked model drift"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trainer's folder: a tweaked copy of model-drift, a new scenario, and a copied roster."""
    builtin = dict(builtin_scenarios())["model-drift"]
    local = tmp_path / "scenarios"
    (local / "rosters").mkdir(parents=True)
    text = builtin.read_text(encoding="utf-8")
    (local / "model-drift.yaml").write_text(
        text.replace(
            "\ntitle: Grocery availability model drifts during a panic-buying surge\n", f"\ntitle: {TWEAKED}\n"
        )
    )
    (local / "my-drift.yaml").write_text(text.replace("\nid: model-drift\n", "\nid: my-drift\n"))
    shutil.copy(resolve_roster("crisis-team"), local / "rosters" / "crisis-team.yaml")  # the same bytes
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_local_copy_shadows_its_builtin_and_the_same_file_does_not(folder: Path) -> None:
    entries = {e.id: e for e in scenario_entries()}
    assert len(entries) == len(scenario_entries())  # one entry per id
    copy = entries["model-drift"]
    assert copy.source == LOCAL and copy.path == Path("scenarios/model-drift.yaml")
    assert copy.shadows == dict(builtin_scenarios())["model-drift"]
    assert copy.label == "local copy, shadows the built-in" and "shadows the built-in" in (copy.note or "")
    assert entries["my-drift"].source == LOCAL and entries["my-drift"].shadows is None
    assert entries["flash-sale-latency"].source == BUILT_IN
    notes: list[str] = []
    assert resolve_scenario("model-drift", notes=notes) == Path("scenarios/model-drift.yaml")
    assert len(notes) == 1 and "scenarios/model-drift.yaml" in notes[0]
    # an identical copy of a built-in roster is the built-in (as in a checkout with a regular install)
    crisis = {e.id: e for e in roster_entries()}["crisis-team"]
    assert crisis.source == BUILT_IN and crisis.shadows is None


def test_the_repository_root_lists_each_builtin_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # ./scenarios is the built-in library itself
    entries = scenario_entries()
    assert [e.id for e in entries] == [ident for ident, _ in builtin_scenarios()]
    assert all(e.source == BUILT_IN and e.shadows is None for e in entries + roster_entries())


def test_list_shows_the_local_copy(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.strip().startswith("model-drift "))
    assert TWEAKED in line and "local copy, shadows the built-in: scenarios/model-drift.yaml" in line
    assert "local: scenarios/my-drift.yaml" in out
    assert "note: using the local copy scenarios/model-drift.yaml of the built-in scenario 'model-drift'" in out


def test_commands_with_the_id_use_the_local_copy(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["autoplay", "model-drift", "--seed", "3", "--no-report", "--out", str(folder / "drills")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{TWEAKED} (model-drift)")
    assert "note: using the local copy scenarios/model-drift.yaml" in err
    assert main(["validate", "model-drift"]) == 0
    out, err = capsys.readouterr()
    assert "1 valid" in out and "shadows the built-in" in err
    assert main(["validate", "my-drift", "--play"]) == 0
    assert "scenarios/my-drift.yaml: play check passes" in capsys.readouterr().out


def test_run_id_opens_the_local_copy(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    seen = []
    monkeypatch.setattr(launch, "_run_app", lambda app: seen.append(app) or 0)
    monkeypatch.setattr(launch, "_require_terminal", lambda: None, raising=False)
    assert main(["run", "model-drift"]) == 0
    assert seen[0].initial_scenario.title == TWEAKED
    assert "shadows the built-in" in capsys.readouterr().err


def test_new_writes_where_the_discovery_finds_it(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "churn-drift"]) == 0
    out = capsys.readouterr().out
    assert "wrote scenarios/churn-drift.yaml" in out and "'drillsim run churn-drift'" in out
    assert not (folder / "scenarios" / "scenario.schema.json").exists()  # only with --schema
    assert "drillsim schema > scenarios/scenario.schema.json" in out
    assert "churn-drift" in {e.id for e in scenario_entries()}
    assert main(["new", "label-error", "--from", "label-error"]) == 0
    assert "shadows the built-in scenario 'label-error'" in capsys.readouterr().out
    assert {e.id: e for e in scenario_entries()}["label-error"].shadows is not None


async def test_launcher_shows_the_local_copy_labelled_and_paints_before_loading(folder: Path) -> None:
    app = make_app(settings=Settings(seed=7, out=folder / "drills"), cwd=folder, auto_advance=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LauncherScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one("#scenarios", DataTable)
        ids = [str(key.value) for key in table.rows]
        assert len(ids) == len(set(ids)) and "my-drift" in ids
        row = ids.index("model-drift")
        assert str(table.get_row_at(row)[-1]) == f"local copy {TWEAKED}"
        assert str(table.get_row_at(ids.index("my-drift"))[-1]).startswith("local ")
        assert all(entry.loaded for entry in screen.scenarios)
        table.move_cursor(row=row)
        await pilot.pause()
        detail = " ".join(plain(scenario_detail(screen.scenarios[row])).split())
        assert "local copy, shadows the built-in" in detail and "is used instead of the built-in" in detail
        await pilot.press("enter")
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario.title == TWEAKED


async def test_launcher_rows_are_marked_until_loaded_and_enter_loads_at_once(folder: Path) -> None:
    entries = discover_scenarios(folder, load=False)
    assert not any(entry.loaded for entry in entries)
    app = make_app(settings=Settings(seed=7), cwd=folder, scenarios=entries, auto_advance=False)
    screen = LauncherScreen(entries, app.rosters, app.settings, "flash-sale-latency")
    screen._load_scenarios = lambda: None  # hold the background check
    app.launcher = lambda: screen
    async with app.run_test(size=SIZE) as pilot:
        table = screen.query_one("#scenarios", DataTable)
        assert all(str(table.get_row_at(i)[2]) == "checking…" for i in range(table.row_count))
        assert "Checking this scenario" in plain(scenario_detail(screen.scenarios[0]))
        await pilot.press("enter")  # the highlighted one is loaded now
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario.id == "flash-sale-latency"
