"""What-if analysis: statistics on known inputs, determinism across worker counts, rosters, CLI, files, par cache."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from drillsim.main import main
from drillsim.reports.whatif_render import csv_text, format_table, score_total
from drillsim.simulator.model import Roster, Scenario
from drillsim.simulator.whatif import (
    MilestoneTarget,
    RunSummary,
    aggregate,
    derive_seeds,
    distribution,
    par_median,
    quantile,
    roster_stats,
    simulate,
    wilson,
)

SCENARIO = "flash-sale-latency"
RUNS = 20


# --------------------------------------------------------------------------- statistics on known inputs


def test_quantile_matches_linear_interpolation() -> None:
    values = [float(v) for v in range(1, 11)]  # 1..10
    assert quantile(values, 0.5) == pytest.approx(5.5)
    assert quantile(values, 0.1) == pytest.approx(1.9)
    assert quantile(values, 0.9) == pytest.approx(9.1)
    assert quantile(values, 0.0) == 1.0
    assert quantile(values, 1.0) == 10.0
    assert quantile([7.0], 0.9) == 7.0
    assert quantile([3.0, 1.0, 2.0], 0.5) == 2.0  # unsorted input


def test_quantile_treats_infinity_as_latest() -> None:
    values = [1.0, 2.0, 3.0, math.inf, math.inf]
    assert quantile(values, 0.5) == 3.0  # falls exactly on the third value
    assert quantile(values, 0.6) == math.inf  # between 3 and never
    assert quantile(values, 0.1) == pytest.approx(1.4)


def test_distribution_counts_never_as_not_met() -> None:
    d = distribution([60.0, 120.0, 300.0, 301.0, None], target=300.0)
    assert d.n == 5 and d.reached == 4
    assert d.met == 3 and d.p_met == pytest.approx(0.6)
    assert d.median == 300.0
    assert d.p90 == math.inf
    assert d.mean == pytest.approx((60 + 120 + 300 + 301) / 4)
    out = d.to_dict()
    assert out["p90"] is None and out["p_met"] == pytest.approx(0.6)
    assert distribution([None, None], target=10.0).p_met == 0.0
    assert distribution([1.0, 2.0]).p_met is None


def test_wilson_interval_known_values() -> None:
    low, high = wilson(0, 50)
    assert low == 0.0 and high == pytest.approx(0.0713, abs=1e-4)
    low, high = wilson(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4) and high == pytest.approx(0.7634, abs=1e-4)


def test_roster_stats_on_synthetic_runs() -> None:
    milestones = [MilestoneTarget("detected", "Detected", 300.0), MilestoneTarget("mitigated", "Mitigated", None)]

    def run(i: int, detect: float | None, score: float) -> RunSummary:
        return RunSummary("r", i, i, 0.0, (detect, 10.0), 100.0 * i, i % 2, score, "resolved")

    runs = [run(0, 100.0, 90.0), run(1, 400.0, 50.0), run(2, None, 10.0), run(3, 300.0, 70.0)]
    st = roster_stats(runs, milestones, "Team")
    assert st.intervals["detected"].met == 2
    assert st.intervals["mitigated"].met is None
    assert st.all_met == 2  # a milestone without a target never fails "every target met"
    assert st.score is not None and st.score.median == pytest.approx(60.0)
    assert st.revenue_lost.median == pytest.approx(150.0)


def test_seeds_are_derived_deterministically() -> None:
    assert derive_seeds(0, 3) == [0, 1, 2]
    assert derive_seeds(2, 2) == [2_000_006, 2_000_007]


# --------------------------------------------------------------------------- simulating


def test_same_seed_same_csv_whatever_jobs(scenario: Scenario, crisis: Roster, weekend: Roster) -> None:
    one = simulate(scenario, [crisis, weekend], RUNS, seed=5, jobs=1, scorer=score_total)
    two = simulate(scenario, [crisis, weekend], RUNS, seed=5, jobs=2, scorer=score_total)
    assert csv_text(one) == csv_text(two)
    assert format_table(one, aggregate(one)) == format_table(two, aggregate(two))
    rows = list(csv.DictReader(io.StringIO(csv_text(one))))
    assert len(rows) == 2 * RUNS
    assert [r["run"] for r in rows[:RUNS]] == [str(i) for i in range(RUNS)]
    assert {r["roster"] for r in rows} == {"crisis-team", "weekend-skeleton"}
    # Both rosters play the same seeds (paired comparison).
    assert [r["seed"] for r in rows[:RUNS]] == [r["seed"] for r in rows[RUNS:]]
    assert all(0.0 <= float(r["score"]) <= 100.0 for r in rows)


def test_weekend_skeleton_is_slower_to_acknowledge(scenario: Scenario, crisis: Roster, weekend: Roster) -> None:
    sim = simulate(scenario, [crisis, weekend], 5, seed=1, jobs=1)
    stats = aggregate(sim)
    assert not sim.scored and stats["crisis-team"].score is None
    ack_crisis = stats["crisis-team"].intervals["acknowledged"]
    ack_weekend = stats["weekend-skeleton"].intervals["acknowledged"]
    assert ack_weekend.median > ack_crisis.median
    assert ack_weekend.target == 300.0


def test_bad_arguments_raise(scenario: Scenario, crisis: Roster) -> None:
    with pytest.raises(ValueError, match="runs"):
        simulate(scenario, [crisis], 0)
    with pytest.raises(ValueError, match="jobs"):
        simulate(scenario, [crisis], 1, jobs=0)
    with pytest.raises(ValueError, match="twice"):
        simulate(scenario, [crisis, crisis], 1)


# --------------------------------------------------------------------------- par


def test_par_median_is_cached(tmp_path: Path, scenario: Scenario, crisis: Roster) -> None:
    first = par_median(scenario, crisis, runs=5, seed=0, cache=tmp_path)
    assert first["cached"] is False
    assert first["intervals"]["acknowledged"] == pytest.approx(150.0)
    assert first["score"] is None  # no scorer
    second = par_median(scenario, crisis, runs=5, seed=0, cache=tmp_path)
    assert second["cached"] is True
    assert {k: v for k, v in second.items() if k != "cached"} == {k: v for k, v in first.items() if k != "cached"}
    assert len(list((tmp_path / "par").glob("*.json"))) == 1


def test_par_median_tolerates_an_unwritable_cache(tmp_path: Path, scenario: Scenario, crisis: Roster) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = par_median(scenario, crisis, runs=2, seed=0, cache=blocker)
    assert result["cached"] is False and result["runs"] == 2


# --------------------------------------------------------------------------- the command


def test_cli_compares_rosters_and_writes_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sim"
    argv = ["simulate", SCENARIO, "--runs", str(RUNS), "--roster", "crisis-team", "--roster", "weekend-skeleton"]
    code = main([*argv, "--jobs", "2", "--seed", "3", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "crisis-team" in captured.out and "weekend-skeleton" in captured.out
    assert "Acknowledged within 5m" in captured.out
    for name in ("runs.csv", "summary.json", "summary.txt", "ecdf.png", "histograms.png", "score.png"):
        assert (out / name).is_file(), name
    assert (out / "ecdf.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["runs"] == RUNS and list(summary["rosters"]) == ["crisis-team", "weekend-skeleton"]
    assert summary["rosters"]["weekend-skeleton"]["intervals"]["acknowledged"]["p_met"] == 0.0
    assert not list(out.glob(".*tmp*"))
    # jobs=1 gives the same CSV as jobs=2.
    code = main([*argv, "--jobs", "1", "--seed", "3", "--out", str(tmp_path / "one"), "--no-figures"])
    assert code == 0
    assert (tmp_path / "one" / "runs.csv").read_bytes() == (out / "runs.csv").read_bytes()
    assert not (tmp_path / "one" / "ecdf.png").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", SCENARIO, "--runs", "0"], "--runs must be at least 1"),
        (["simulate", SCENARIO, "--runs", "-3"], "--runs must be at least 1"),
        (["simulate", SCENARIO, "--jobs", "0"], "--jobs must be at least 1"),
        (["simulate", "no-such-scenario"], "unknown scenario"),
        (["simulate", SCENARIO, "--roster", "no-such-roster"], "unknown roster"),
        (["simulate", SCENARIO, "--roster", "crisis-team", "--roster", "crisis-team"], "named twice"),
        (["simulate", SCENARIO, "--policy", "no-such-policy"], "unknown policy"),
        (["simulate", SCENARIO, "--runs", "many"], "invalid int value"),
    ],
)
def test_cli_usage_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_cli_unwritable_out_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["simulate", SCENARIO, "--runs", "1", "--out", str(blocker / "sub")]) == 2
    assert "cannot create the output folder" in capsys.readouterr().err


def _failing_scorer(records: list[dict[str, object]]) -> float:
    raise RuntimeError("boom")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_drill_names_its_seed(scenario: Scenario, crisis: Roster, jobs: int) -> None:
    from drillsim.simulator.whatif import SimulationError

    with pytest.raises(SimulationError, match=r"drill \d+ \(seed \d+, roster crisis-team\) failed: RuntimeError: boom"):
        simulate(scenario, [crisis], 4, jobs=jobs, scorer=_failing_scorer)


def test_par_computed_beside_the_figures_is_the_par_of_one_process(tmp_path: Path) -> None:
    """The report starts par in the background (its own worker processes) and draws the figures meanwhile:
    the par column is the one a single process computes."""
    from drillsim.reports.render import write_report

    assert main(["autoplay", "flash-sale-latency", "--seed", "2", "--no-report", "--out", str(tmp_path / "d")]) == 0
    (folder,) = (tmp_path / "d").iterdir()
    cards = []
    for jobs in (2, 1):
        write_report(folder, True, par_options={"jobs": jobs, "cache": tmp_path / f"cache-{jobs}"})
        card = json.loads((folder / "scorecard.json").read_text(encoding="utf-8"))
        cards.append([(i["name"], i.get("par"), i.get("par_p10"), i.get("par_p90")) for i in card["intervals"]])
    assert cards[0] == cards[1]
    assert any(par is not None for _, par, _, _ in cards[0])
    assert (folder / "figures" / "milestones.png").is_file()
