"""The command line basics: validate, schema, list, --version, --help, exit codes; library lookup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from drillsim.main import SUBCOMMANDS, build_parser, main
from drillsim.simulator.library import (
    DEFAULT_SCENARIO,
    LibraryError,
    builtin_rosters,
    builtin_scenarios,
    resolve_roster,
    resolve_scenario,
)

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_valid_files_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(VALID / "tiny.yaml"), str(VALID / "roster.yaml"))
    assert code == 0
    assert out == "2 files checked: 2 valid\n"


def test_validate_invalid_exits_2_with_one_line_per_problem(capsys: pytest.CaptureFixture[str]) -> None:
    several = INVALID / "several_problems.yaml"
    code, out, _ = run(capsys, "validate", str(VALID / "tiny.yaml"), str(several))
    assert code == 2
    lines = out.splitlines()
    assert lines[0].startswith(f"{several}:7:11: severity: 'SEV9' is not an allowed value")
    assert lines[-1] == "2 files checked: 1 valid, 1 with 3 errors"
    assert len(lines) == 4


def test_validate_folder_recurses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(VALID))
    assert code == 0
    assert out == f"{len(list(VALID.glob('*.yaml')))} files checked: {len(list(VALID.glob('*.yaml')))} valid\n"


def test_validate_builtin_library(capsys: pytest.CaptureFixture[str]) -> None:
    from drillsim import scenarios

    code, out, _ = run(capsys, "validate", str(Path(scenarios.__file__).parent))
    assert code == 0, out


def test_validate_warnings_do_not_fail(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (VALID / "tiny.yaml").read_text().replace("duration: 30m\n", "duration: 30m\ndefault_roster: nobody\n")
    path = tmp_path / "warn.yaml"
    path.write_text(text)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert "warning: unknown built-in roster 'nobody'" in out
    assert out.splitlines()[-1] == "1 file checked: 1 valid, 1 warning"


def test_validate_missing_path_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert f"{tmp_path / 'nope.yaml'}: no such file" in out
    assert "Traceback" not in out + err


def test_validate_empty_folder_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 2
    assert "no .yaml or .yml files" in err


def test_validate_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "validate", "--format", "json", str(VALID / "tiny.yaml"), str(INVALID / "unknown_key.yaml")
    )
    assert code == 2
    report = json.loads(out)
    assert report["summary"] == {"files": 2, "valid": 1, "invalid": 1, "errors": 1, "warnings": 0}
    tiny, bad = report["files"]
    assert tiny == {"path": str(VALID / "tiny.yaml"), "kind": "scenario", "valid": True, "problems": []}
    assert bad["valid"] is False
    assert bad["problems"] == [
        {
            "path": str(INVALID / "unknown_key.yaml"),
            "line": 19,
            "col": 5,
            "where": "injects[0]",
            "message": "unknown key 'chanel' (did you mean 'channel'?)",
            "level": "error",
        }
    ]


def test_validate_hostile_files_never_trace(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(INVALID))
    assert code == 2
    assert "Traceback" not in out + err
    assert out.splitlines()[-1].startswith(f"{len(list(INVALID.glob('*.yaml')))} files checked: 0 valid")


def test_schema_prints_the_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from drillsim import scenarios

    folder = Path(scenarios.__file__).parent
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert out == (folder / "scenario.schema.json").read_text()
    code, out, _ = run(capsys, "schema", "roster")
    assert code == 0
    assert out == (folder / "roster.schema.json").read_text()


def test_list_shows_builtin_scenarios_and_rosters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert re.search(r"flash-sale-latency +Flash-sale recommendation latency spike +capacity +SEV2 +45m", out)
    for ident, _ in builtin_scenarios() + builtin_rosters():
        assert ident in out
    assert "crisis-team" in out and "Crisis team" in out


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("drillsim 0.")
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "examples:" in out and "drillsim validate" in out


@pytest.mark.parametrize("name", [sub.name for sub in SUBCOMMANDS])
def test_every_subcommand_help_has_examples(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, name, "--help")
    assert code == 0
    assert "examples:" in out and f"drillsim {name}" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "no-such-command")
    assert code == 2 and "invalid choice" in err
    code, _, err = run(capsys, "validate")
    assert code == 2 and "PATH" in err
    code, _, err = run(capsys, "schema", "pizza")
    assert code == 2


def test_no_subcommand_launches_the_tui(monkeypatch: pytest.MonkeyPatch) -> None:
    import drillsim.main

    seen = []
    monkeypatch.setattr(drillsim.main, "launch_tui", lambda args: seen.append(args) or 0)
    assert main([]) == 0
    assert len(seen) == 1


def test_build_parser_has_the_subcommand_table() -> None:
    parser = build_parser()
    args = parser.parse_args(["validate", "x.yaml", "--format", "json"])
    assert args.func.__name__ == "cmd_validate"
    assert args.paths == ["x.yaml"] and args.format == "json"


# --------------------------------------------------------------------------- library


def test_builtin_library_is_found() -> None:
    ids = [ident for ident, _ in builtin_scenarios()]
    assert DEFAULT_SCENARIO in ids
    assert all(path.is_file() for _, path in builtin_scenarios() + builtin_rosters())
    assert "crisis-team" in [ident for ident, _ in builtin_rosters()]


def test_resolve_by_id_or_path(tmp_path: Path) -> None:
    assert resolve_scenario(DEFAULT_SCENARIO).name == "flash-sale-latency.yaml"
    assert resolve_roster("crisis-team").name == "crisis-team.yaml"
    assert resolve_scenario(VALID / "tiny.yaml") == VALID / "tiny.yaml"
    assert resolve_scenario(str(VALID / "tiny.yaml")) == VALID / "tiny.yaml"


def test_resolve_unknown_id_suggests_close_matches() -> None:
    with pytest.raises(LibraryError, match=r"unknown scenario 'flash-sale'.*did you mean 'flash-sale-latency'"):
        resolve_scenario("flash-sale")
    with pytest.raises(LibraryError, match=r"unknown roster 'zzzz'.*built-in rosters: .*crisis-team"):
        resolve_roster("zzzz")
    with pytest.raises(LibraryError, match="no such file"):
        resolve_scenario("missing/scenario.yaml")
    with pytest.raises(LibraryError, match="is a folder"):
        resolve_scenario(str(VALID))


def test_validate_parses_each_roster_once(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in library's scenarios name its rosters as their default (the cover check reads them): each
    roster file is still read once, and the report keeps the files in the order they were found."""
    from drillsim import scenarios
    from drillsim.simulator import loading

    reads: list[str] = []
    read_text = loading.read_text

    def counting(path: str | Path, name: str | None = None) -> tuple[str | None, list[object]]:
        reads.append(Path(path).resolve().name)
        return read_text(path, name)

    monkeypatch.setattr(loading, "read_text", counting)
    monkeypatch.setattr(loading, "_ROSTERS", {})
    folder = Path(scenarios.__file__).parent
    code, out, _ = run(capsys, "validate", "--format", "json", str(folder))
    assert code == 0, out
    files = [Path(f["path"]) for f in json.loads(out)["files"]]
    assert files == list(loading.iter_yaml_files([folder]))
    rosters = [path.name for _, path in builtin_rosters()]
    assert rosters and all(reads.count(name) == 1 for name in rosters), reads
    assert len(reads) == len(files)


def test_a_folder_or_id_with_an_escape_sequence_never_reaches_the_terminal_raw(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """compare named a hostile folder in its warning as it was: a shared drills folder with a run folder
    named ``x\\e]0;pwned\\a\\e[2J`` retitled and cleared the terminal of whoever compared it."""
    folder = tmp_path / "drills" / "x\x1b]0;pwned\x07\x1b[2J"
    folder.mkdir(parents=True)
    (folder / "scorecard.json").write_text("{bad", encoding="utf-8")
    code, _, err = run(capsys, "compare", str(tmp_path / "drills"), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "x\\x1b]0;pwned\\x07\\x1b[2J" in err and "skipped: invalid JSON" in err
    assert "\x1b" not in err and "\x07" not in err
    code, _, err = run(capsys, "new", "a\x1b[2J", "--dir", str(tmp_path))
    assert code == 2
    assert "'a\\x1b[2J' is not a scenario id" in err
    assert "\x1b" not in err


def test_autoplay_refuses_an_out_folder_it_cannot_create_before_playing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """autoplay warned 'the drill goes on in memory only' and exited 0 with nothing written: a headless
    drill kept only in memory is lost, and a script saw success."""
    (tmp_path / "afile").write_text("", encoding="utf-8")
    code, out, err = run(capsys, "autoplay", "flash-sale-latency", "--out", str(tmp_path / "afile" / "sub"))
    assert code == 2
    assert err.startswith("drillsim: cannot create a run folder in ") and "nothing was played" in err
    assert out == ""
