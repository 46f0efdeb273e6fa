"""Drive a real, journaled drill from a separate process, as the UI would, for crash tests.

    python scripts/drive_drill.py OUT_DIR SEED [STEPS]

It starts a drill of the flash-sale scenario in a run folder under OUT_DIR and then, step by
step, advances sim time and makes an input (an action, a note, a facilitator inject, a pause
and resume, a decision answer). After each input is recorded it prints ``ACK <seq> <type>``:
the moment the UI would show the input on screen. A test kills this process with SIGKILL at a
random moment and checks that every acknowledged input is in the resumed drill.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from drillsim.simulator.session import load_pair, start_run


def main() -> None:
    out, seed = Path(sys.argv[1]), int(sys.argv[2])
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    run = start_run(load_pair("flash-sale-latency"), seed=seed, out=out, team="crash test")
    drill = run.drill
    print(f"RUN {run.folder}", flush=True)
    rng = random.Random(seed)
    actions = [a.id for a in drill.scenario.actions]
    t = 0.0
    for step in range(steps):
        t += rng.uniform(1, 20)
        drill.advance_to(t)
        if drill.ended:
            break
        kind = rng.choice(["submit", "submit", "note", "inject", "pause", "answer"])
        if kind == "submit":
            drill.submit(rng.choice(actions))
        elif kind == "note":
            drill.note(f"note {step}")
        elif kind == "inject":
            drill.facilitator_inject(f"ad-hoc {step}", to="crisis-lead")
        elif kind == "pause":
            drill.pause()
            drill.note(f"discussion {step}")
            drill.resume()
        else:
            view = drill.view(feed_limit=0)
            if view.decisions:
                drill.answer(view.decisions[0].inject, view.decisions[0].options[0].action)
            else:
                drill.note(f"no decision open at {step}")
        inputs = [r for r in drill.records if r.get("input")]
        if inputs:
            print(f"ACK {inputs[-1]['seq']} {inputs[-1]['type']}", flush=True)
        time.sleep(0.002)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
