"""A fuzzer for hostile scenario and roster files: mutate valid YAML, never a traceback or a hang.

Every mutated file is either accepted or reported as problems, each naming the file, and
an error with a position only where the parser gave one. Alias bombs are refused fast.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

from drillsim.simulator.loading import check_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    (ROOT / "scenarios" / "flash-sale-latency.yaml").read_bytes(),
    (ROOT / "scenarios" / "rosters" / "crisis-team.yaml").read_bytes(),
]
TOKENS = [
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\t",
    b"\x00",
    b"\xff\xfe",
    b"\xc3\x28",
    b": ",
    b"- ",
    b"---\n",
    b"...\n",
    b"? ",
    b"|\n",
    b">\n",
    b"'",
    b'"',
    b"#",
    b"1e999",
    b"-.inf",
    b".nan",
    b"null",
    b"~",
    b"yes",
    b"0x1F",
    b"5 minutes",
    b"<<: *a\n",
    b"%YAML 1.1\n",
    b"\xef\xbb\xbf",
    "\u202e".encode(),
    b"\r",
    b"\n" * 3,
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate", "flip", "indent", "nest"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "duplicate":
            chunk = data[at : at + draw(st.integers(1, 200))]
            data[at:at] = bytes(chunk) * draw(st.integers(1, 5))
        elif op == "truncate":
            del data[at:]
        elif op == "flip":
            if data:
                data[at] = draw(st.integers(0, 255))
        elif op == "indent":
            data[at:at] = b"\n" + b" " * draw(st.integers(1, 12))
        else:
            depth = draw(st.integers(1, 400))
            data[at:at] = b"[" * depth + b"]" * depth
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=mutated())
def test_mutated_files_are_accepted_or_reported_never_raised(raw: bytes) -> None:
    start = time.perf_counter()
    model, problems = check_bytes(raw, "fuzz.yaml")
    assert time.perf_counter() - start < 5, "no hang"
    assert model is not None or problems, "a refused file says why"
    for problem in problems:
        assert problem.path == "fuzz.yaml"
        assert problem.message
        assert (problem.line is None) == (problem.col is None)
        if problem.line is not None:
            assert 1 <= problem.line <= raw.count(b"\n") + 2


def test_alias_bomb_is_refused_in_under_a_second_within_a_memory_bound() -> None:
    bomb = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in range(1, 12):
        bomb += f"{chr(97 + level)}: &{chr(97 + level)} [".encode()
        bomb += b",".join([f"*{chr(96 + level)}".encode()] * 9) + b"]\n"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    model, problems = check_bytes(bomb, "bomb.yaml")
    elapsed = time.perf_counter() - start
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert model is None and problems
    assert elapsed < 1.0
    assert grown_kib < 100 * 1024
