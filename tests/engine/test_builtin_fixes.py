"""The built-in scenarios' fixes of #20, each as the players or the controller would notice it."""

from __future__ import annotations

from drillsim.simulator.engine import Drill

from tests.engine.helpers import load_builtin, load_builtin_roster


def _injects(drill: Drill) -> dict[str, float]:
    return {r["inject"]: r["t"] for r in drill.records if r["type"] == "inject"}


def test_flash_sale_starts_healthy_and_the_page_takes_time() -> None:
    drill = Drill(load_builtin("flash-sale-latency"), load_builtin_roster("crisis-team"), 0)
    drill.advance_to(1)
    first = next(r for r in drill.records if r["type"] == "metric_sample")
    assert first["t"] == 0 and first["values"]["latency_p95_ms"] < 360 * 1.05  # not 950 ms at t=0
    drill.advance_to(59)
    assert "latency-page" not in _injects(drill)
    assert not [i for i in drill.view().feed if i.kind == "alert"]  # the red dashboard is for players to notice
    drill.advance_to(61)
    assert _injects(drill)["latency-page"] == 60


def test_model_drift_muting_the_alert_mutes_the_page() -> None:
    scenario = load_builtin("model-drift")
    roster = load_builtin_roster("crisis-team")
    drill = Drill(scenario, roster, 0)
    while "drift-warning" not in drill.milestones:
        drill.advance_to(drill.now + 5)
    assert drill.submit("mute-drift-alert").ok
    drill.advance_to(30 * 60)
    assert "drift-page" not in _injects(drill)
    assert "detected" not in drill.milestones  # muted: nobody is credited with detecting the drift
    assert "psi_paged" not in [m.id for m in drill.view().metrics]  # the pager's view is ground truth
    # without the mute, the page fires and detection is credited
    plain = Drill(scenario, roster, 0)
    plain.advance_to(30 * 60)
    assert "drift-page" in _injects(plain) and "detected" in plain.milestones
