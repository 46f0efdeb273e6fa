"""Start-up benchmark (run on demand): ``drillsim validate`` of the built-in library against the
bare ``python -c "import yaml, pydantic"`` it cannot do without, measured in the same run.

    python bench/validate_bench.py [--runs N]

Each command runs N times in a fresh interpreter, alternating, and the median CPU time (user +
system, so a busy machine matters less) is compared. Target (issue 17): at or under 2x.
Also times ``drillsim --help`` the same way, and four floors, each containing the one before:
``from pydantic import BaseModel`` (pydantic's model machinery, which ``import pydantic`` alone leaves
unloaded); ``import drillsim.simulator.model`` (the model classes created, each building its validator
when first used); the ``Scenario`` and ``Roster`` validators built (what any validation
with these models costs before it reads a file); and libyaml composing the built-in files' node trees
(what reading them with PyYAML costs at the least). What validate adds to the last is its own work:
the data and source map walked out of the trees, pydantic's validation and the cross-reference checks. Every command runs once first, unmeasured, with
bytecode written (``BYTECODE_ENV``), so each is measured as an installed drillsim runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

from timing import timed_run

TARGET = 2.0


BYTECODE_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
"""The commands run with bytecode written and read, as an installed drillsim has it (``pip install`` compiles
it): with ``PYTHONDONTWRITEBYTECODE`` set (some sandboxes and CI images set it), a module that has no ``.pyc``
yet would be compiled from source on every run, which no user pays."""


VALIDATORS = "import yaml, drillsim.simulator.model as m; m.Scenario.model_rebuild(force=True); m.Roster.model_rebuild(force=True)"
COMPOSE = (
    "\nfrom drillsim.simulator.library import builtin_rosters, builtin_scenarios"
    "\nfor _, path in builtin_scenarios() + builtin_rosters():"
    "\n    yaml.CSafeLoader(path.read_text(encoding='utf-8')).get_single_node()"
)


def cpu(command: list[str]) -> float:
    """CPU seconds of one run of ``command`` (a fresh process)."""
    return timed_run(command, env=BYTECODE_ENV)[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    commands = {
        "import yaml, pydantic": [sys.executable, "-c", "import yaml, pydantic"],
        "drillsim validate scenarios": [sys.executable, "-m", "drillsim", "validate", "scenarios"],
        "drillsim --help": [sys.executable, "-m", "drillsim", "--help"],
        "floor: from pydantic import BaseModel": [sys.executable, "-c", "import yaml; from pydantic import BaseModel"],
        "floor: the model classes": [sys.executable, "-c", "import yaml, drillsim.simulator.model"],
        "floor: + their validators": [sys.executable, "-c", VALIDATORS],
        "floor: + libyaml's node trees": [sys.executable, "-c", VALIDATORS + COMPOSE],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # a warm-up run each: the bytecode written, the files in the page cache
        cpu(command)
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(cpu(command))
    base = statistics.median(times["import yaml, pydantic"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<38} {median * 1000:>7.0f} ms CPU  {median / base:>5.2f}x")
    ratio = statistics.median(times["drillsim validate scenarios"]) / base
    print(f"validate: {ratio:.2f}x the yaml + pydantic import (target <= {TARGET:.0f}x)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
