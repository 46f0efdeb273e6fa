"""Scorecards of hand-written journals with known answers."""

from __future__ import annotations

import json

import pytest
from drillsim.reports.scoring import SCHEMA_VERSION, Par, ParBasis, ParValue, Scorecard, rate, score, timeliness


def intervals(card: Scorecard) -> dict[str, float | None]:
    return {i.name: i.seconds for i in card.intervals}


def test_flash_sale_seed_timeline_gives_the_guides_intervals(journal):
    card = score(journal("flash-sale-seed"))
    got = intervals(card)
    assert got["first_alert_from_impact"] == 0
    assert got["detect_from_impact"] == 0
    assert got["ack_from_first_alert"] == 90  # the paged crisis lead acts at 01:30 (the playbook is done 02:00)
    assert got["acknowledged_from_first_alert"] == 120
    assert got["ack_from_impact"] == 120
    assert got["declare_from_impact"] == 120
    assert got["contain_from_impact"] == 330  # rollback at 00:05 taking 30 s
    assert got["first_external_update_from_impact"] == 420  # status page at 00:07
    assert got["first_update_from_impact"] == 420  # opening #ai-crisis is internal coordination, not an update
    assert got["recover_from_impact"] == 720  # stable by 00:12
    assert got["postmortem_from_impact"] == 1800  # post-mortem by 00:30
    assert got["identify_from_impact"] == 1800
    assert got["mitigate_from_impact"] is None
    assert all(i.status in ("met", "reached", "not_reached") for i in card.intervals)
    # every target met, but root cause and post-mortem only at their 30:00 targets: 0.8 credit each
    assert card.score.total == 94.5
    credits = {t.item: t.credit for t in card.score.terms}
    assert (credits["identified"], credits["postmortem"], credits["contained"]) == (0.8, 0.8, 0.98)
    assert [o.rating for o in card.objectives] == ["P", "P", "P"]
    assert card.communication.updates == 2  # status page 07:00, executive brief 09:30
    assert card.communication.largest_gap == 150  # 07:00 -> 09:30 and 09:30 -> recovered 12:00
    assert card.communication.gap_end == "recovered"
    assert card.people.decisions_answered == 1 and card.people.decisions_timed_out == 0
    assert card.people.decisions[0].response_seconds == 30


def test_late_drill_score_breakdown_term_by_term(journal):
    card = score(journal("flash-sale-late"))
    components = card.score.components
    assert set(components) == {"milestones", "communication", "decisions"}
    assert sum(components.values()) == pytest.approx(100.0)
    assert components["milestones"] == pytest.approx(50 * 100 / 85, abs=1e-3)
    credits = {t.item: t.credit for t in card.score.terms if t.component == "milestones"}
    assert credits == {
        "detected": pytest.approx(0.92),  # acknowledged by the paged crisis lead at 03:30 of 05:00
        "acknowledged": pytest.approx(0.88),  # 04:00 of 05:00: 1 - 0.2 x 1.5/2.5
        "declared": 1.0,  # 04:00, within half of its 10:00 target
        "contained": pytest.approx(0.56),  # 13:00 vs 10:00: 0.8 x (1 - 3/10)
        "identified": 0.0,
        "recovered": pytest.approx(0.56),  # 19:30 vs 15:00: 0.8 x (1 - 4.5/15)
        "postmortem": pytest.approx(0.9067, abs=1e-4),  # 22:00 of 30:00
    }
    assert card.penalty_total == 20  # the timed-out decision's 5 is charged once, as its 0 credit
    assert [(p.points, p.counted) for p in card.penalties] == [(10, True), (10, True), (5, False)]
    assert [p.scope for p in card.penalties] == [["communicate"]] * 3
    comm = {t.item: t.credit for t in card.score.terms if t.component == "communication"}
    assert comm == {"first_update": 0.0, "cadence": 0.0}  # two don'ts and an internal channel: no update
    decisions = {t.item: t.credit for t in card.score.terms if t.component == "decisions"}
    assert decisions == {"ceo-asks": 0.0, "marketing-extend": 1.0}
    earned = sum(t.points for t in card.score.terms if t.component != "penalties")
    assert card.score.earned == pytest.approx(earned, abs=1e-3)
    assert card.score.total == round(earned - 20, 1) == 29.4


def test_overrides_show_computed_and_overridden(journal):
    card = score(journal("flash-sale-late"))
    communicate = next(o for o in card.objectives if o.id == "communicate")
    assert communicate.computed == "U"  # no sound update at all, and two don'ts in scope
    assert "Shared unverified speculation" in communicate.computed_reason
    assert communicate.override == "M"
    assert communicate.rating == "M"
    assert "hurt" in (communicate.override_reason or "")
    contain = next(o for o in card.objectives if o.id == "contain-fast")
    assert (contain.computed, contain.override, contain.rating) == ("S", None, "S")


def test_tiny_good_clock_met_and_communication(journal):
    card = score(journal("tiny-good"))
    assert card.impact_started_at == 60
    (clock,) = card.clocks
    assert (clock.status, clock.started_at, clock.notified_at, clock.due_at) == ("met", 330, 390, 930)
    assert intervals(card)["notify_gdpr_from_clock_start"] == 60
    comm = card.communication
    assert (comm.updates, comm.internal_updates, comm.external_updates) == (3, 1, 2)  # 1 executive brief
    assert comm.update_times == [210, 320, 660]
    assert comm.largest_gap == 340  # 05:20 -> 11:00; 11:00 -> drill end 15:00 is only 240
    assert card.score.total == 97.2  # acknowledged 01:30 of 02:00 (0.9), the gap 05:40 of 10:00 (0.97)
    assert card.business.revenue_lost == 300.0
    assert card.business.metrics[0].outside_slo_seconds == 180.0


def test_tiny_bad_people_clocks_penalties(journal):
    card = score(journal("tiny-bad"))
    assert card.clocks[0].status == "missed"
    assert card.penalty_total == 10
    people = card.people
    assert people.total_actions == 4
    bo = next(m for m in people.members if m.member == "Bo")
    assert (bo.actions, bo.role_mismatches, bo.waited_seconds, bo.share) == (4, 3, 60.0, 1.0)
    assert people.waited_total == 60.0
    assert [(w.action, w.waited) for w in people.waits] == [("rollback", 60.0)]
    assert people.decisions_timed_out == 1
    ack = card.interval("ack_from_impact")
    assert ack is not None and (ack.seconds, ack.status, ack.credit) == (270, "late", 0.0)
    ratings = {o.id: (o.computed, o.rating) for o in card.objectives}
    assert ratings["comply"] == ("U", "U")
    assert ratings["contain"] == ("P", "S")  # met; the don't (blaming the vendor) is not in its scope
    assert ratings["tell"][0] == "U"  # no update, and the don't is in its scope
    comm = card.communication
    assert comm.updates == 0 and comm.largest_gap is None  # blaming the vendor is a don't, never an update
    assert [(st.action, st.counted) for st in comm.statements] == [("blame", False)]
    assert comm.cadence_credit == 0.0


def test_par_fills_each_interval(journal):
    basis = ParBasis(policy="playbook", runs=101, seed=0)
    par = Par(
        basis=basis,
        values={
            "ack_from_impact": ParValue(p10=200.0, median=270.0, p90=400.0),
            "contain_from_impact": ParValue(p10=390.0, median=420.0, p90=None),
            "score": ParValue(p10=70.0, median=82.5, p90=95.0),
        },
    )
    card = score(journal("tiny-good"), par)
    assert card.par_available and card.par_basis == basis and card.par_score == 82.5
    ack = card.interval("ack_from_impact")
    assert ack is not None and (ack.par_p10, ack.par, ack.par_p90) == (200.0, 270.0, 400.0)
    contain = card.interval("contain_from_impact")
    assert contain is not None and (contain.par, contain.par_p90) == (420.0, None)
    first_alert = card.interval("first_alert_from_impact")
    assert first_alert is not None and first_alert.par is None  # par has no value for it
    # the team's own numbers are untouched by par
    assert ack.seconds == score(journal("tiny-good")).interval("ack_from_impact").seconds
    assert score(journal("tiny-good")).par_basis is None


def test_scorecard_json_is_versioned_and_round_trips(journal):
    card = score(journal("flash-sale-seed"))
    data = json.loads(card.model_dump_json())
    assert data["schema_version"] == SCHEMA_VERSION == 3
    for key in ("scenario_id", "scenario_title", "scenario_hash", "team", "label", "seed", "date"):
        assert key in data
    assert data["date"] == "2025-09-18"
    assert data["seed"] == 42
    assert Scorecard.model_validate(data) == card


@pytest.mark.parametrize(
    ("elapsed", "target", "credit"),
    [(None, 60, 0.0), (30, 60, 1.0), (45, 60, 0.9), (60, 60, 0.8), (90, 60, 0.4), (120, 60, 0.0), (0, 0, 1.0)],
)
def test_score_credit(elapsed, target, credit):
    from drillsim.reports.scoring import score_credit

    assert score_credit(elapsed, target) == pytest.approx(credit)


@pytest.mark.parametrize(
    ("elapsed", "target", "credit"),
    [(None, 60, 0.0), (30, 60, 1.0), (60, 60, 1.0), (90, 60, 0.5), (120, 60, 0.0), (500, 60, 0.0), (1, 0, 0.0)],
)
def test_timeliness(elapsed, target, credit):
    assert timeliness(elapsed, target) == pytest.approx(credit)


def test_rating_rules():
    from drillsim.reports.scoring import MeasureResult

    def m(status: str, credit: float | None = 1.0) -> MeasureResult:
        return MeasureResult(measure="x", kind="milestone", status=status, credit=credit, detail="")

    assert rate([], 0)[0] == "N/A"
    assert rate([m("met"), m("met")], 0)[0] == "P"
    assert rate([m("met")], 5)[0] == "M"  # a don't in scope caps the objective at M
    assert rate([m("met"), m("late", 0.5)], 0)[0] == "S"
    assert rate([m("met"), m("late", 0.0)], 0)[0] == "M"
    assert rate([m("met"), m("missed", 0.0)], 0)[0] == "M"
    assert rate([m("missed", 0.0), m("missed", 0.0), m("met")], 0)[0] == "U"


def test_journal_without_drill_ended_scores_to_last_record(journal):
    records = [r for r in journal("tiny-good") if r["type"] != "drill_ended"]
    card = score(records)
    assert card.end_reason is None
    assert card.ended_at == max(r["t"] for r in records)


def test_the_waits_are_listed_in_the_order_they_started() -> None:
    """A run submitted earlier can start later (its member was busier): the report's "Started" table listed
    runs in submission order, so 09:09 came before 08:15 in a reference drill of chatbot-false-refund."""
    from drillsim.simulator.policies import play
    from drillsim.simulator.session import load_pair

    loaded = load_pair("chatbot-false-refund")
    records = play(loaded.scenario, loaded.roster, seed=113080, policy="reference").records
    people = score(records).people
    started = [w.t for w in people.waits]
    assert len(started) >= 5 and started == sorted(started)
    assert [m.t for m in people.role_mismatches] == sorted(m.t for m in people.role_mismatches)
