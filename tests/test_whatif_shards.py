"""``drillsim simulate --shard K/N`` on separate machines, then ``--merge``: the same results as one run."""

from __future__ import annotations

import json

from drillsim.main import main

ARGS = ["simulate", "flash-sale-latency", "--runs", "20", "--seed", "4", "--no-figures", "--quiet"]


def test_shards_merge_into_the_whole_simulation(tmp_path, capsys) -> None:
    assert main([*ARGS, "--jobs", "1", "--out", str(tmp_path / "whole")]) == 0
    whole = capsys.readouterr().out
    shards = [tmp_path / f"shard-{k}" for k in (1, 2, 3)]
    for k, folder in enumerate(shards, start=1):
        assert main([*ARGS, "--jobs", "1", "--shard", f"{k}/3", "--out", str(folder)]) == 0
        assert json.loads((folder / "summary.json").read_text())["shard"] == f"{k}/3"
    capsys.readouterr()
    # the shards in any order
    assert main([*ARGS, "--merge", *map(str, reversed(shards)), "--out", str(tmp_path / "merged")]) == 0
    merged = capsys.readouterr().out
    assert merged.split("\n\n")[0] == whole.split("\n\n")[0]
    assert (tmp_path / "merged" / "runs.csv").read_text() == (tmp_path / "whole" / "runs.csv").read_text()
    assert (tmp_path / "merged" / "summary.json").read_text() == (tmp_path / "whole" / "summary.json").read_text()


def test_a_missing_shard_or_another_seed_is_one_clear_line(tmp_path, capsys) -> None:
    one, two = tmp_path / "1", tmp_path / "2"
    assert main([*ARGS, "--jobs", "1", "--shard", "1/2", "--out", str(one)]) == 0
    capsys.readouterr()
    assert main([*ARGS, "--merge", str(one), "--out", str(tmp_path / "m")]) == 2
    assert "runs are in none of the merged folders (the first: run 10); merge every shard" in capsys.readouterr().err
    other = [a if a != "4" else "5" for a in ARGS]
    assert main([*other, "--jobs", "1", "--shard", "2/2", "--out", str(two)]) == 0
    capsys.readouterr()
    assert main([*ARGS, "--merge", str(one), str(two), "--out", str(tmp_path / "m2")]) == 2
    assert "played with --seed 5, not 4" in capsys.readouterr().err
    assert main([*ARGS, "--shard", "3/2"]) == 2
    assert "K must be between 1 and N" in capsys.readouterr().err
