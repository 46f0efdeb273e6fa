"""Metrics as functions of time (simulator/metrics.py): exact crossings, exact impact, flat memory,
and format-1 journals still rebuilt by the engine that wrote them."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
from drillsim.reports.render import render_report
from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import JournalWriter, read_journal
from drillsim.simulator.library import builtin_scenarios
from drillsim.simulator.metrics import (
    BLOCK_MIN,
    FORMAT,
    SAMPLE_EVERY,
    clipped_integral,
    round4,
    round4_range,
    samples_of,
)
from drillsim.simulator.policies import play
from drillsim.simulator.replay import check, rebuild
from drillsim.simulator.session import load_pair

from tests.engine.helpers import tiny_roster, tiny_scenario


def _crossing_scenario(over: str, to: float, slo_max: float, hold: str = "0s"):
    return tiny_scenario(
        duration="20m",
        metrics={"latency": {"baseline": 100, "slo": {"max": slo_max}}, "conversion": {"baseline": 2.0}},
        faults=[
            {
                "id": "bad-deploy",
                "label": "Bad deploy",
                "at": "7s",
                "effects": [{"metric": "latency", "ramp": {"to": to, "over": over}}],
            }
        ],
        injects=[
            {
                "id": "page",
                "when": {"metric": "latency", "above": 777, "for": hold},
                "channel": "pager",
                "from": "Monitoring",
                "to": "ai-ops-engineer",
                "text": "latency high",
            }
        ],
        scoring={"milestones": {}, "end_on": []},
    )


@pytest.mark.parametrize(("over", "to", "slo_max", "hold"), [("61s", 1000, 333, "0s"), ("13s", 5000, 101, "17s")])
def test_a_ramp_crosses_its_slo_and_conditions_at_the_analytic_time(over, to, slo_max, hold) -> None:
    scenario = _crossing_scenario(over, to, slo_max, hold)
    drill = Drill(scenario, tiny_roster(), seed=3)
    drill.advance_to(400)
    seconds = float(over[:-1])
    slope = (to - 100) / seconds
    breach = next(r for r in drill.records if r["type"] == "metric_breach")
    assert breach["t"] == pytest.approx(7 + (slo_max - 100) / slope, abs=1e-9)
    assert breach["value"] == pytest.approx(slo_max, abs=1e-3)
    page = next(r for r in drill.records if r["type"] == "inject" and r["inject"] == "page")
    assert page["t"] == pytest.approx(7 + (777 - 100) / slope + float(hold[:-1]), abs=1e-9)
    # not on a sample: the old engine saw both at the next multiple of SAMPLE_EVERY
    assert breach["t"] % SAMPLE_EVERY != 0
    # time outside the SLO up to 400 s is exact too
    assert drill._sampler.totals(drill.now)[1]["latency"] == pytest.approx(400 - breach["t"], abs=1e-9)


def test_revenue_lost_is_the_exact_integral_of_the_clipped_shortfall() -> None:
    # conversion ramps 2.0 -> -1.0 over 60 s from 30 s: the shortfall grows 0 -> 1.5, clipped at 1 from 70 s
    scenario = tiny_scenario(
        faults=[
            {
                "id": "bad-deploy",
                "label": "Bad deploy",
                "at": "30s",
                "effects": [{"metric": "conversion", "ramp": {"to": -1.0, "over": "60s"}}],
            }
        ],
        injects=[],
        scoring={"milestones": {}, "end_on": []},
    )
    drill = Drill(scenario, tiny_roster(), seed=1)
    drill.advance_to(120)
    # 600/min = 10/s; 0..1 linearly over 30..70 s (40 s, area 20), then 1 for 50 s
    assert drill.view().revenue_lost == pytest.approx(10 * (20 + 50), rel=1e-12)
    assert clipped_integral(-1.0, 2.0, 3.0) == pytest.approx(0.5 + 1.0)
    assert clipped_integral(0.25, 0.25, 4.0) == 1.0


def test_samples_do_not_depend_on_how_often_a_ui_looks() -> None:
    scenario, roster = tiny_scenario(), tiny_roster()
    quiet = Drill(scenario, roster, seed=9, wall="w")
    quiet.advance_to(700)
    watched = Drill(scenario, roster, seed=9, wall="w")
    t = 0.0
    while t < 700:
        t += 0.37
        watched.advance_to(t)
        watched.view()
    assert json.dumps(watched.records) == json.dumps(quiet.records)


def test_a_long_drill_with_a_journal_keeps_flat_memory(tmp_path: Path) -> None:
    scenario = tiny_scenario(duration="48h", injects=[], scoring={"milestones": {}, "end_on": []})
    lengths = []
    for hours in (12, 48):
        writer = JournalWriter(tmp_path / f"{hours}.jsonl")
        drill = Drill(scenario, tiny_roster(), seed=1, journal=writer)
        drill.advance_to(hours * 3600.0)
        drill.end()
        writer.close()
        lengths.append(sum(len(c) for r in drill.records for c in (r.get("values") or {}).values()))
        on_disk = samples_of(read_journal(tmp_path / f"{hours}.jsonl").records)
        assert len([s for s in on_disk if s["values"]]) == hours * 3600 / SAMPLE_EVERY + 1
    assert lengths == [0, 0]  # the samples are on disk, not in memory


def test_new_drills_write_format_3_and_rebuild_exactly() -> None:
    drill = Drill(tiny_scenario(), tiny_roster(), seed=4)
    drill.submit("ack")
    drill.advance_to(1000)
    drill.end()
    assert drill.records[0]["format"] == FORMAT == 3
    blocks = [r for r in drill.records if r["type"] == "metric_samples"]
    # a block holds five minutes of samples or more, but the last one (at the end), not the few between two records
    assert all(len(b["values"]["latency"]) >= BLOCK_MIN for b in blocks[:-1])
    assert len(blocks) < len([r for r in drill.records if r["type"] != "metric_samples"])
    assert check(json.loads(json.dumps(drill.records))) is None


def _without_blocks(records: list[dict]) -> list[dict]:
    """The records but the blocks of samples, without their positions and the format."""
    return [
        {k: v for k, v in r.items() if k not in ("seq", "format", "wall")}
        for r in records
        if r["type"] != "metric_samples"
    ]


def _rows(records: list[dict]) -> list[tuple[float, dict]]:
    """Every sample, (time, values), whatever blocks hold it."""
    return [(s["t"], s["values"]) for s in samples_of(records) if s["values"]]


def test_a_format_2_journal_rebuilds_with_a_block_before_every_record_and_reports_the_same() -> None:
    journal = Path(__file__).parents[1] / "data" / "journals" / "flash-sale-format2.jsonl"
    records = read_journal(journal).records
    assert records[0]["format"] == 2
    assert check(records) is None  # record for record, a block before every record with samples before it
    rebuilt = rebuild(records)
    assert rebuilt.journal_format == 2
    # the same drill in format 3: the same records and samples in fewer blocks, the same report
    scenario, roster = rebuilt.scenario, rebuilt.roster
    new = play(scenario, roster, seed=5, policy="reference", wall=records[0]["wall"])
    new.note("debrief: good drill")
    assert new.records[0]["format"] == 3
    assert _without_blocks(new.records) == _without_blocks(records)
    assert [(s["t"], s["values"]) for s in samples_of(new.records) if s["values"]] == [
        (s["t"], s["values"]) for s in samples_of(records) if s["values"]
    ]
    assert len([r for r in new.records if r["type"] == "metric_samples"]) < len(
        [r for r in records if r["type"] == "metric_samples"]
    )
    new_records = json.loads(json.dumps(new.records))
    for mine, theirs in zip(
        [r for r in new_records if "wall" in r], [r for r in records if "wall" in r], strict=True
    ):  # the wall clock of the inputs: when the journal was written
        mine["wall"] = theirs["wall"]
    old_report = render_report(records, figures=False)
    new_report = render_report(new_records, figures=False)
    assert new_report.markdown == old_report.markdown
    assert new_report.scorecard == old_report.scorecard


def test_a_format_1_journal_rebuilds_with_the_sampled_engine_and_reports_the_same() -> None:
    scenario, roster = tiny_scenario(), tiny_roster()
    old = Drill(scenario, roster, seed=4, journal_format=1, wall="w")
    old.submit("ack")
    old.advance_to(1000)
    records = json.loads(json.dumps(old.records))
    assert "format" not in records[0]
    assert any(r["type"] == "metric_sample" for r in records)
    assert check(records) is None
    rebuilt = rebuild(records)
    assert rebuilt.journal_format == 1
    report = render_report(records, figures=False)
    assert render_report(rebuilt.records, figures=False).markdown == report.markdown
    assert report.scorecard.business.revenue_lost > 0


@pytest.mark.parametrize("scenario_id", [scenario_id for scenario_id, _ in builtin_scenarios()])
def test_format_3_writes_the_records_and_samples_of_format_2_in_fewer_blocks(scenario_id: str) -> None:
    loaded = load_pair(scenario_id)
    drills = {
        fmt: play(loaded.scenario, loaded.roster, seed=1, policy="random", wall="w", journal_format=fmt)
        for fmt in (2, 3)
    }
    two, three = drills[2].records, drills[3].records
    assert _without_blocks(three) == _without_blocks(two)
    assert _rows(three) == _rows(two)
    blocks = [[r for r in records if r["type"] == "metric_samples"] for records in (two, three)]
    totals = [{k: b[-1][k] for k in ("t", "revenue_lost", "outside_slo", "range")} for b in blocks]
    assert totals[0] == totals[1]  # the drill's totals and ranges at its end
    assert len(blocks[1]) < len(blocks[0])
    # the same view, to the last bit of the impact sums (the feed's items but their record numbers)
    views = [drills[fmt].view(controller=True) for fmt in (2, 3)]
    views = [replace(v, feed=tuple(replace(item, seq=0) for item in v.feed)) for v in views]
    assert views[1] == views[0]
    assert drills[3].revenue_lost == drills[2].revenue_lost and drills[3].outside_slo == drills[2].outside_slo


def test_round4_gives_the_floats_round_gives() -> None:
    rng = random.Random(4)
    tricky = [0.0, 1e-9, 0.00005, 0.00015, 0.00025, 2.5e-5, 0.1 + 0.2, 999999.99995, 1e6, 2e6 + 0.00005, -0.00001]
    lists = [tricky * 2, [-3.5] * 9]
    lists += [[(rng.randint(0, 10**7) + 0.5) / 1e4 for _ in range(20)] for _ in range(300)]  # exact halves
    lists += [[rng.random() * 10 ** rng.randint(-6, 6) for _ in range(rng.randint(0, 40))] for _ in range(300)]
    for values in lists:
        assert [repr(v) for v in round4(values)] == [repr(round(v, 4)) for v in values]
        if values:  # and the lowest and highest rounded value, found without a pass over the rounded ones
            rounded, low, high = round4_range(values)
            assert (repr(low), repr(high)) == (repr(min(rounded)), repr(max(rounded)))
