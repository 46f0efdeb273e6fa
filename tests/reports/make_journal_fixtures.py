"""Write the hand-written journal fixtures under tests/data/journals.

Run ``python tests/reports/make_journal_fixtures.py`` after changing a
story; tests/reports/test_journal_fixtures.py checks the files match what this script builds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from journal_builder import DATA, ROOT, JournalBuilder, load_yaml_scenario, tiny_roster, tiny_scenario

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "<b onmouseover=alert(1)>raw html</b>",
    "| pipe | *star* _under_ `tick` # hash",
]


def flash_sale() -> tuple[dict[str, Any], dict[str, Any]]:
    scenario = load_yaml_scenario(ROOT / "scenarios" / "flash-sale-latency.yaml")
    roster = load_yaml_scenario(ROOT / "scenarios" / "rosters" / "crisis-team.yaml")
    return scenario, roster


def _flash_samples(b: JournalBuilder, end: float, contained: float, recovered: float) -> None:
    """A coarse minute-by-minute picture of the flash-sale metrics (hand-made, not the engine's numbers)."""
    revenue = 0.0
    outside = {"latency_p95_ms": 0.0, "conversion_pct": 0.0, "error_rate_pct": 0.0}
    t = 0.0
    while t <= end:
        if t < contained:
            latency = min(8000.0, 180 + (8000 - 180) * t / 90)
            errors = min(6.0, 0.2 + 5.8 * t / 120)
            conversion = max(2.64, 3.1 - 0.46 * t / 180)
        else:
            latency = max(180.0, 8000 - (8000 - 180) * (t - contained) / 60)
            errors = max(0.2, 6 - 5.8 * (t - contained) / 60)
            conversion = min(3.1, 2.64 + 0.46 * (t - contained) / max(1.0, recovered - contained))
        values = {
            "latency_p95_ms": round(latency, 1),
            "conversion_pct": round(conversion, 3),
            "error_rate_pct": round(errors, 2),
        }
        b.sample(t, values, round(revenue, 2), dict(outside))
        revenue += 12000 * (3.1 - conversion) / 3.1
        outside["latency_p95_ms"] += 60 if latency > 360 else 0
        outside["conversion_pct"] += 60 if conversion < 2.9 else 0
        outside["error_rate_pct"] += 60 if errors > 1.0 else 0
        t += 60


def flash_sale_seed() -> JournalBuilder:
    """The seed guide's section 6 timeline: alert 00:00, playbook 00:02, rollback 00:05 (30 s),
    status page 00:07, stable by 00:12, post-mortem and root cause by 00:30."""
    scenario, roster = flash_sale()
    b = JournalBuilder(
        scenario,
        roster,
        seed=42,
        team="Checkout crisis team",
        label="2025 Q3",
        participants={"Avery": "Dana R.", "Blake": "Sam K.", "Casey": "Lee M.", "Devi": "Ira P.", "Emeka": "Jo T."},
    )
    b.add(0, "fault_started", fault="schema-change", impact=True)
    b.add(0, "impact_started", fault="schema-change")
    _flash_samples(b, 1800, contained=330, recovered=720)
    b.inject(0, "latency-page")
    b.add(0, "page", member="Blake", reason="alert: latency-page", available_at=60)
    b.inject(0, "escalation")
    b.add(0, "page", member="Avery", reason="alert: escalation", available_at=60)
    b.milestone(0, "detected")
    b.add(0, "metric_breach", metric="latency_p95_ms", value=400.0, bound="max")
    b.action(90, "activate-playbook", "Avery")  # finishes 02:00: acknowledged, declared
    b.add(180, "fault_started", fault="cdn-blip", impact=False)
    b.inject(180, "cdn-red-herring")
    b.inject(240, "support-tickets")
    b.action(300, "rollback-model", "Blake")  # 05:00 + 30 s: contained 05:30
    b.add(330, "fault_stopped", fault="schema-change", action="rollback-model", member="Blake")
    b.action(330, "status-page", "Casey", duration=90)  # posted 07:00
    b.inject(480, "ceo-asks")
    b.add(
        510, "decision_answered", inject="ceo-asks", action="exec-brief", input=True, wall="2025-09-18T10:08:30+00:00"
    )
    b.action(510, "exec-brief", "Avery", source="decision")
    b.add(
        600,
        "note",
        text="Team checked the CDN alert against the timeline before dismissing it.",
        author="facilitator",
        input=True,
        wall="2025-09-18T10:10:00+00:00",
    )
    b.milestone(720, "recovered")
    b.inject(720, "stabilised")
    b.action(1620, "check-change-log", "Blake", duration=180)  # identified 30:00
    b.action(1740, "schedule-postmortem", "Avery")  # postmortem 30:00
    b.end(1800, "resolved")
    b.add(
        1800,
        "hotwash",
        kind="strength",
        text="The rollback script worked first time.",
        input=True,
        wall="2025-09-18T10:45:00+00:00",
    )
    b.add(
        1800,
        "hotwash",
        kind="improvement",
        text="Nobody owned the CDN alert for two minutes.",
        input=True,
        wall="2025-09-18T10:46:00+00:00",
    )
    return b


def flash_sale_late() -> JournalBuilder:
    """A slower flash-sale drill: late rollback, a promise to the CEO, a timed-out decision."""
    scenario, roster = flash_sale()
    b = JournalBuilder(scenario, roster, seed=42, team="Checkout crisis team", label="2025 Q4")
    b.add(0, "fault_started", fault="schema-change", impact=True)
    b.add(0, "impact_started", fault="schema-change")
    _flash_samples(b, 2700, contained=780, recovered=1170)
    b.inject(8, "latency-page")
    b.milestone(8, "detected")
    b.action(210, "activate-playbook", "Avery")  # 04:00
    b.inject(180, "cdn-red-herring")
    b.action(270, "restart-pods", "Blake", duration=180)  # a distractor
    b.inject(240, "support-tickets")
    b.action(300, "blame-cdn", "Casey")
    b.inject(480, "ceo-asks")
    b.action(500, "promise-eta", "Avery")
    b.add(660, "decision_timed_out", inject="ceo-asks", text="The CEO posts in #general asking why nobody answers.")
    b.add(
        660,
        "penalty",
        points=5,
        reason="Executive question left unanswered past the deadline",
        source="decision:ceo-asks",
    )
    b.inject(600, "marketing-extend")
    b.add(
        630,
        "decision_answered",
        inject="marketing-extend",
        action="serve-bestsellers",
        input=True,
        wall="2025-09-18T10:10:30+00:00",
    )
    b.action(630, "serve-bestsellers", "Avery", role_match=False, duration=120, source="decision")  # mitigated 12:30
    b.action(690, "rollback-model", "Blake", started=750, duration=30)  # waited 60 s: contained 13:00
    b.milestone(1170, "recovered")
    b.action(1250, "schedule-postmortem", "Avery", duration=70)  # 22:00
    b.inject(1200, "journalist")
    b.end(2700, "time_limit")
    b.add(
        2700,
        "rating_override",
        objective="communicate",
        rating="M",
        reason="Blaming the CDN <b>hurt</b> trust more than the numbers show.",
        input=True,
        wall="2025-09-18T11:00:00+00:00",
    )
    return b


def tiny_good() -> JournalBuilder:
    b = JournalBuilder(tiny_scenario(), tiny_roster(), participants={"Ana": "Ann", "Bo": "Bob", "Cy": "Cyd"})
    b.impact(60, "leak")
    b.sample(0, {"errors": 1.0}, 0.0, {"errors": 0.0})
    b.sample(300, {"errors": 6.0}, 250.0, {"errors": 120.0})
    b.sample(600, {"errors": 1.0}, 300.0, {"errors": 180.0})
    b.inject(120, "page")
    b.action(120, "ack", "Ana")  # acknowledged 02:30 (1:30 from impact)
    b.action(150, "rollback", "Bo")  # contained 04:10 (3:10 from impact)
    b.action(150, "status", "Cy")  # first update 04:10
    b.inject(240, "boss")
    b.add(260, "decision_answered", inject="boss", action="brief", input=True, wall="2025-09-18T10:04:20+00:00")
    b.action(260, "brief", "Ana", source="decision")  # 05:20
    b.action(300, "confirm-breach", "Cy")  # clock starts 05:30
    b.add(330, "clock_started", clock="gdpr", regime="GDPR Art. 33", due_at=930)
    b.action(330, "notify-dpa", "Cy")  # 06:30
    b.add(390, "clock_met", clock="gdpr", regime="GDPR Art. 33")
    b.action(600, "status", "Cy")  # 11:00
    b.end(900, "time_limit")
    return b


def tiny_bad() -> JournalBuilder:
    b = JournalBuilder(tiny_scenario(), tiny_roster(), label=None)
    b.impact(60, "leak")
    for n, value in enumerate([1, 12, 14, 13, 4, 1]):
        b.sample(n * 60, {"errors": float(value)}, float(n * 40), {"errors": float(max(0, n - 0) * 50)})
    b.inject(120, "page")
    b.action(300, "ack", "Bo", role_match=False)  # acknowledged 05:30 = 4:30 after impact (target 2m, credit 0)
    b.inject(240, "boss")
    b.add(360, "decision_timed_out", inject="boss", text="The CEO is angry.")
    b.action(330, "blame", "Bo", role_match=False)
    b.action(360, "rollback", "Bo", started=420)  # waited 60 s; contained 08:00 (7:00, met)
    b.action(500, "confirm-breach", "Bo", role_match=False)  # clock starts 08:50
    b.add(530, "clock_started", clock="gdpr", regime="GDPR Art. 33", due_at=1130)
    b.add(1130, "clock_missed", clock="gdpr", regime="GDPR Art. 33")
    b.add(
        700,
        "note",
        text="Bo did everything; Ana watched.",
        author="facilitator",
        input=True,
        wall="2025-09-18T10:11:40+00:00",
    )
    b.end(1500, "time_limit")
    b.add(
        1500,
        "rating_override",
        objective="contain",
        rating="S",
        reason="The rollback itself was clean.",
        input=True,
        wall="2025-09-18T10:30:00+00:00",
    )
    b.add(
        1500,
        "hotwash",
        kind="improvement",
        text="Roles were unclear at the start.",
        input=True,
        wall="2025-09-18T10:31:00+00:00",
    )
    return b


def hostile() -> JournalBuilder:
    """The tiny drill with every trainer- and participant-typed text replaced by injection attempts."""
    scenario = tiny_scenario()
    evil = " ".join(HOSTILE)
    scenario["title"] = HOSTILE[0]
    scenario["summary"] = evil
    scenario["briefing"] = evil
    scenario["references"] = [
        {"title": HOSTILE[1], "url": "javascript:alert(1)", "kind": "incident"},
        {"title": HOSTILE[2], "url": "https://example.com/a)b<c", "kind": "guide"},
    ]
    scenario["metrics"]["errors"]["label"] = HOSTILE[1]
    scenario["metrics"]["errors"]["unit"] = "<i>%</i>"
    scenario["faults"][0]["label"] = HOSTILE[3]
    for n, inject in enumerate(scenario["injects"]):
        inject["text"] = HOSTILE[n % len(HOSTILE)]
        inject["from"] = HOSTILE[(n + 1) % len(HOSTILE)]
    for n, action in enumerate(scenario["actions"]):
        action["label"] = HOSTILE[n % len(HOSTILE)][:200]
        action["outcome"] = evil
    for n, objective in enumerate(scenario["objectives"]):
        objective["text"] = HOSTILE[n % len(HOSTILE)]
        objective["target"] = HOSTILE[(n + 2) % len(HOSTILE)]
        objective["capability"] = HOSTILE[(n + 3) % len(HOSTILE)]
    for n, lesson in enumerate(scenario["lessons"]):
        lesson["finding"] = HOSTILE[n % len(HOSTILE)]
        lesson["corrective_action"] = HOSTILE[(n + 1) % len(HOSTILE)]
    for spec in scenario["scoring"]["milestones"].values():
        spec["label"] = HOSTILE[1]
    roster = tiny_roster()
    roster["team"] = HOSTILE[0]
    roster["members"][0]["name"] = "<script>alert('ana')</script>"
    participants = {"<script>alert('ana')</script>": HOSTILE[1], "Bo": HOSTILE[2], "Cy": HOSTILE[3]}
    b = JournalBuilder(scenario, roster, team=HOSTILE[0], label=HOSTILE[2], participants=participants)
    lead = "<script>alert('ana')</script>"
    b.impact(60, "leak")
    b.sample(0, {"errors": 1.0}, 0.0, {"errors": 0.0})
    b.sample(300, {"errors": 12.0}, 250.0, {"errors": 120.0})
    b.sample(400, {"errors": 12.0}, 250.0, {"errors": 220.0})
    b.inject(120, "page")
    b.action(120, "ack", lead)
    b.action(200, "blame", "Cy")
    b.inject(240, "boss")
    b.add(360, "decision_timed_out", inject="boss", text=HOSTILE[0])
    b.add(
        380,
        "facilitator_inject",
        text=HOSTILE[1],
        to="everyone",
        channel="chat",
        **{"from": HOSTILE[2]},
        input=True,
        wall="2025-09-18T10:06:20+00:00",
    )
    b.add(400, "note", text=evil, author=HOSTILE[0], input=True, wall="2025-09-18T10:06:40+00:00")
    b.end(900, "facilitator")
    b.add(
        900,
        "rating_override",
        objective="contain",
        rating="U",
        reason=evil,
        input=True,
        wall="2025-09-18T10:20:00+00:00",
    )
    b.add(900, "hotwash", kind="improvement", text=evil, input=True, wall="2025-09-18T10:21:00+00:00")
    b.add(900, "hotwash", kind="strength", text=HOSTILE[2], input=True, wall="2025-09-18T10:21:30+00:00")
    return b


FIXTURES: dict[str, Callable[[], JournalBuilder]] = {
    "flash-sale-seed": flash_sale_seed,
    "flash-sale-late": flash_sale_late,
    "tiny-good": tiny_good,
    "tiny-bad": tiny_bad,
    "hostile": hostile,
}


def render(name: str) -> str:
    return "".join(
        json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in FIXTURES[name]().sorted_records()
    )


def main() -> None:
    for name in FIXTURES:
        path: Path = DATA / f"{name}.jsonl"
        path.write_text(render(name), encoding="utf-8")
        print(path)
    # a journal whose last line was cut mid-write
    text = render("tiny-good")
    (DATA / "torn.jsonl").write_text(text + '{"seq": 999, "t": 901.0, "type": "no', encoding="utf-8")
    print(DATA / "torn.jsonl")


if __name__ == "__main__":
    main()
