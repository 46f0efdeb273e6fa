"""Par in reports: a reference team's median over many drills of the drill's scenario and roster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drillsim.reports.journal_io import write_journal
from drillsim.reports.par import median_par, par_for, par_measures
from drillsim.reports.render import render_report, write_report
from drillsim.reports.scoring import score
from drillsim.simulator.library import resolve_roster
from drillsim.simulator.loading import load_roster
from drillsim.simulator.model import Roster, Scenario
from drillsim.simulator.policies import play
from drillsim.simulator.whatif import derive_seeds, quantile

RUNS = 9


def test_par_is_the_median_of_the_reference_teams_own_drills(
    tmp_path: Path, scenario: Scenario, crisis: Roster
) -> None:
    par = median_par(scenario, crisis, runs=RUNS, cache=tmp_path)
    assert (par.basis.policy, par.basis.runs, par.basis.seed) == ("reference", RUNS, 0)
    # the same drills played one by one, scored one by one
    cards = [score(play(scenario, crisis, seed=s, policy="reference").records) for s in derive_seeds(0, RUNS)]
    for name in ("identify_from_impact", "first_external_update_from_impact", "contain_from_impact"):
        seconds = [c.interval(name).seconds for c in cards]
        assert all(s is not None for s in seconds)
        value = par.values[name]
        assert value.median == pytest.approx(quantile(seconds, 0.5), abs=0.001)  # journal times are whole ms  # type: ignore[arg-type]
        assert value.p10 == pytest.approx(quantile(seconds, 0.1), abs=0.001)
        assert value.p10 <= value.median <= value.p90
    assert par.score == pytest.approx(quantile([c.score.total for c in cards], 0.5))
    # identification varies from drill to drill in this scenario: a real spread, not one drill copied
    spread = par.values["identify_from_impact"]
    assert spread.p10 < spread.p90
    # the reference team is competent, not perfect: it scores well, but not 100 by construction
    assert 70.0 < par.score < 100.0
    scores = par.values["score"]
    assert scores.p10 < scores.p90


def test_a_milestone_the_playbook_never_reaches_has_no_par(tmp_path: Path, scenario: Scenario, crisis: Roster) -> None:
    par = median_par(scenario, crisis, runs=RUNS, cache=tmp_path)
    # flash-sale's playbook contains by rollback and never takes the degraded mode
    assert par.values["mitigate_from_impact"].median is None
    assert par_measures(play(scenario, crisis, seed=1, policy="playbook").records)["mitigate_from_impact"] is None


def test_par_is_cached_and_the_same_with_two_workers(tmp_path: Path, scenario: Scenario, crisis: Roster) -> None:
    calls: list[tuple[int, int]] = []
    first = median_par(scenario, crisis, runs=4, cache=tmp_path, progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (4, 4)
    calls.clear()
    again = median_par(scenario, crisis, runs=4, cache=tmp_path, progress=lambda d, t: calls.append((d, t)))
    assert again == first and calls == []  # read from the cache: nothing played
    parallel = median_par(scenario, crisis, runs=4, jobs=2, use_cache=False)
    assert parallel == first


def test_par_does_not_depend_on_the_drills_own_seed(tmp_path: Path, scenario: Scenario, crisis: Roster) -> None:
    one = par_for(play(scenario, crisis, seed=3, policy="idle").records, runs=RUNS, cache=tmp_path)
    two = par_for(play(scenario, crisis, seed=77, policy="random").records, runs=RUNS, cache=tmp_path)
    assert one is not None and one == two


def test_a_changed_roster_gets_its_own_par(tmp_path: Path, scenario: Scenario, crisis: Roster) -> None:
    skeleton = load_roster(resolve_roster("weekend-skeleton"))
    crisis = median_par(scenario, crisis, runs=RUNS, cache=tmp_path)
    weekend = median_par(scenario, skeleton, runs=RUNS, cache=tmp_path)
    assert len(list((tmp_path / "par").glob("*.json"))) == 2
    assert weekend.values["ack_from_impact"] != crisis.values["ack_from_impact"]


def test_the_report_shows_par_with_its_spread(tmp_path: Path, scenario: Scenario, crisis: Roster) -> None:
    records = play(scenario, crisis, seed=5, policy="idle").records
    par = median_par(scenario, crisis, runs=RUNS, cache=tmp_path)
    md = render_report(records, par, figures=False).markdown
    identify = par.values["identify_from_impact"]
    row = next(line for line in md.splitlines() if "(identify\\_from\\_impact)" in line)
    assert f"({_mmss(identify.p10)}–{_mmss(identify.p90)})" in row and "not reached" in row
    assert f"Par: the median of {RUNS} drills of this scenario played by a reference team" in md
    assert f"(par {par.score:.1f})" in md


def test_write_report_plays_par_once_and_records_its_basis(tmp_path: Path, scenario: Scenario, crisis: Roster) -> None:
    run = tmp_path / "run"
    write_journal(run / "journal.jsonl", play(scenario, crisis, seed=2, policy="random").records)
    calls: list[int] = []
    options = {"runs": RUNS, "cache": tmp_path / "cache", "progress": lambda d, t: calls.append(d)}
    paths = write_report(run, figures=False, par_options=options)
    card = json.loads(paths.scorecard.read_text())
    assert card["par_basis"] == {"policy": "reference", "runs": RUNS, "seed": 0, "statistic": "median"}
    assert card["par_score"] is not None and calls
    calls.clear()
    write_report(run, figures=False, par_options=options)
    assert calls == []
    assert json.loads(paths.scorecard.read_text()) == card
    no_par = json.loads(write_report(run, par=False, figures=False).scorecard.read_text())
    assert no_par["par_basis"] is None and all(i["par"] is None for i in no_par["intervals"])


def _mmss(seconds: float | None) -> str:
    assert seconds is not None
    whole = round(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def test_par_agrees_with_the_simulate_table(tmp_path: Path, scenario: Scenario, crisis: Roster) -> None:
    from drillsim.reports.scoring import milestone_interval_name
    from drillsim.simulator.whatif import aggregate, simulate

    par = median_par(scenario, crisis, runs=RUNS, cache=tmp_path)
    stats = aggregate(simulate(scenario, [crisis], RUNS, seed=0, policy="reference"))[crisis.id]
    for milestone, distribution in stats.intervals.items():
        value = par.values[milestone_interval_name(milestone)]
        expected = None if distribution.median == float("inf") else distribution.median
        assert value.median == (None if expected is None else pytest.approx(expected, abs=0.001))
