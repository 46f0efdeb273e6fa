"""Properties over random seeds and random input sequences (hypothesis)."""

from __future__ import annotations

import math

from drillsim.simulator.engine import Drill
from drillsim.simulator.replay import check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine.helpers import load_builtin, load_builtin_roster

SCENARIO = load_builtin("flash-sale-latency")
ROSTER = load_builtin_roster("crisis-team")
ACTIONS = [a.id for a in SCENARIO.actions]
MEMBERS = [m.name for m in ROSTER.members]

inputs = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=2800, allow_nan=False),
        st.sampled_from(["submit", "submit", "submit", "answer", "pause", "note", "inject", "end"]),
        st.sampled_from(ACTIONS),
        st.one_of(st.none(), st.sampled_from(MEMBERS)),
    ),
    max_size=25,
)


def play(seed: int, steps: list) -> Drill:
    drill = Drill(SCENARIO, ROSTER, seed, wall="fixed")
    for at, what, action, member in sorted(steps, key=lambda s: s[0]):
        drill.advance_to(at)
        if what == "submit":
            drill.submit(action, member)
        elif what == "answer":
            view = drill.view(feed_limit=0)
            if view.decisions:
                drill.answer(view.decisions[0].inject, view.decisions[0].options[-1].action)
        elif what == "pause":
            drill.pause() if not drill.paused else drill.resume()
        elif what == "note":
            drill.note(f"note at {at:.0f}")
        elif what == "inject":
            drill.facilitator_inject("Ad-hoc: the CFO asks for numbers", to="crisis-lead")
        elif what == "end" and at > 2000:
            drill.end()
    if drill.paused:
        drill.resume()
    drill.advance_to(SCENARIO.duration + 1)
    return drill


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32), steps=inputs)
def test_random_drills_keep_their_invariants_and_replay_exactly(seed: int, steps: list) -> None:
    drill = play(seed, steps)
    records = drill.records
    assert drill.ended
    end = next(i for i, r in enumerate(records) if r["type"] == "drill_ended")
    assert all(r["type"] in ("note", "rating_override", "hotwash") for r in records[end + 1 :])
    assert [r["seq"] for r in records] == list(range(len(records)))
    times = [r["t"] for r in records]
    assert times == sorted(times), "time never runs backwards"
    assert all(0 <= t <= SCENARIO.duration for t in times)
    for r in records:
        if r["type"] == "metric_sample":
            assert all(math.isfinite(v) for v in r["values"].values())
            assert math.isfinite(r["revenue_lost"]) and r["revenue_lost"] >= 0
    started = [r["action"] for r in records if r["type"] == "action_started"]
    ended = [r["action"] for r in records if r["type"] in ("action_finished", "action_cancelled")]
    assert sorted(started) == sorted(a for a in ended if a in started) or len(ended) >= len(started)
    open_tasks = [t for t in drill.tasks if not t.done]
    assert open_tasks == [], "every started action ends or is cancelled with the drill"
    assert check(records) is None, "replay reproduces the journal"
