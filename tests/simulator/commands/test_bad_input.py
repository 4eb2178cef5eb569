"""Bad input on the command line: every subcommand exits 2 with a message naming the problem.

Files that are not UTF-8, YAML dates no calendar has, option values out of range and output
paths that cannot be used each get one line of explanation naming the file or option, never a
traceback. No test here runs a simulation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.server.config import DEFAULT_CONFIG

REPO = Path(__file__).resolve().parents[3]
QUICK = REPO / "scenarios" / "quick.yaml"
CLAIM = REPO / "examples" / "claim-office-visit.json"
LATIN_1 = "description: Caf\u00e9 Clinic\n".encode("latin-1")


def _fails(argv: list[str], capsys) -> str:
    """Run ``payersim argv``; assert it exits 2 and return what it printed on stderr."""
    assert main(argv) == 2
    return capsys.readouterr().err


def _latin_1_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(LATIN_1)
    return path


def _study(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "study.yaml"
    path.write_text(f"scenario: quick\nreplications: 1\n{body}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["run"], "scenario.yaml"),
        (["compare"], "scenario.yaml"),
        (["study"], "study.yaml"),
        (["serve", "--config"], "server.yaml"),
        (["adjudicate"], "claim.json"),
    ],
)
def test_a_file_that_is_not_utf8_is_named(tmp_path, capsys, command, name) -> None:
    """A Latin-1 file is refused with its name and the offending byte."""
    path = _latin_1_file(tmp_path, name)
    argv = [*command, str(path)]
    if command == ["compare"]:
        argv += ["--vary", "staff.billers=1,2"]
    if command == ["adjudicate"]:
        argv += ["--payer", "medicare"]
    err = _fails(argv, capsys)
    assert f"{path}: not UTF-8 text (byte 0xe9" in err


@pytest.mark.parametrize("command", [["adjudicate", str(CLAIM)], ["x12", "respond", str(CLAIM)]])
def test_a_payer_profile_that_is_not_utf8_is_named(tmp_path, capsys, command) -> None:
    """--payer pointing at a Latin-1 file names that file."""
    path = _latin_1_file(tmp_path, "payer.yaml")
    err = _fails([*command, "--payer", str(path)], capsys)
    assert f"{path}: not UTF-8 text" in err


def test_a_scenario_with_a_date_no_calendar_has(tmp_path, capsys) -> None:
    """start_date: 2026-02-30 is a YAML error naming the file, the value and the line."""
    path = tmp_path / "feb30.yaml"
    path.write_text(QUICK.read_text(encoding="utf-8").replace("2026-01-05", "2026-02-30"), encoding="utf-8")
    err = _fails(["run", str(path)], capsys)
    assert "feb30.yaml: not valid YAML" in err
    assert "'2026-02-30' is not a valid date" in err and "line 4" in err


def test_a_study_with_a_date_no_calendar_has(tmp_path, capsys) -> None:
    """A variant setting start_date: 2026-02-31 names the study file and the line."""
    path = _study(tmp_path, "variants:\n  - name: a\n    set: {start_date: 2026-02-31}\n")
    err = _fails(["study", str(path)], capsys)
    assert "study.yaml: line 5 is not valid YAML" in err and "'2026-02-31'" in err


def test_a_compare_value_that_is_no_date(tmp_path, capsys) -> None:
    """--vary start_date=2026-02-30 is refused as a bad start_date, not a traceback."""
    err = _fails(["compare", "quick", "--vary", "start_date=2026-02-30,2026-03-02"], capsys)
    assert "start_date" in err


def test_a_server_configuration_with_a_date_no_calendar_has(tmp_path, capsys) -> None:
    """clock.start: 2026-04-31 names the configuration file and the value."""
    path = tmp_path / "server.yaml"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    path.write_text(text.replace("start: 2026-03-02", "start: 2026-04-31"), encoding="utf-8")
    err = _fails(["serve", "--config", str(path)], capsys)
    assert "server.yaml: not valid YAML" in err and "'2026-04-31' is not a valid date" in err


def test_x12_respond_names_the_file_that_is_not_x12(tmp_path, capsys) -> None:
    """Plain text given to x12 respond is refused with the file's name."""
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not an interchange\n", encoding="utf-8")
    err = _fails(["x12", "respond", str(path), "--out", str(tmp_path / "out")], capsys)
    assert f"{path}: not an X12 interchange" in err


@pytest.mark.parametrize("command", ["study", "compare"])
def test_a_study_folder_that_is_a_file_is_named(tmp_path, capsys, command) -> None:
    """--out naming an existing file is refused before anything runs."""
    taken = tmp_path / "taken"
    taken.write_text("a file, not a folder\n", encoding="utf-8")
    if command == "study":
        argv = ["study", str(_study(tmp_path, "variants:\n  - name: a\n"))]
    else:
        argv = ["compare", "quick", "--vary", "staff.billers=1,2", "--replications", "1"]
    err = _fails([*argv, "--out", str(taken), "--workers", "1", "--no-progress"], capsys)
    assert f"{taken}: cannot create the study folder" in err


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--replications", "0", "argument --replications: must be at least 1, not 0"),
        ("--replications", "many", "argument --replications: not a whole number: 'many'"),
        ("--seed", "-5", "argument --seed: must be at least 0, not -5"),
    ],
)
def test_compare_options_out_of_range_name_the_option(capsys, option, value, words) -> None:
    """compare's --replications and --seed are checked as options, and the option is named."""
    with pytest.raises(SystemExit) as caught:
        main(["compare", "quick", "--vary", "staff.billers=1,2", option, value])
    assert caught.value.code == 2
    assert words in capsys.readouterr().err


def test_a_payer_problem_in_a_scenario_names_the_scenario_file(tmp_path, capsys) -> None:
    """An unknown payer profile found when the run starts names the scenario file and the payer."""
    path = tmp_path / "acme.yaml"
    text = QUICK.read_text(encoding="utf-8")
    path.write_text(text.replace("{name: medicaid, profile: medicaid}", "{name: medicaid, profile: acme}"))
    err = _fails(["run", str(path), "--out", str(tmp_path / "run"), "--quiet"], capsys)
    assert f"{path}: payers.medicaid.profile: unknown payer profile 'acme'" in err


def test_a_scenario_file_without_a_yaml_suffix_is_read_as_a_file(tmp_path, capsys, monkeypatch) -> None:
    """An existing file not named .yaml gets its own error, not "unknown scenario"."""
    monkeypatch.chdir(tmp_path)
    Path("scenario.txt").write_text("just: [a, list\n", encoding="utf-8")
    err = _fails(["run", "scenario.txt"], capsys)
    assert "scenario.txt: not valid YAML" in err


def test_adjudicate_a_date_at_the_end_of_the_calendar(capsys) -> None:
    """--received 9999-12-31 leaves no room for the payer's lags: named, not an OverflowError."""
    err = _fails(["adjudicate", str(CLAIM), "--payer", "medicare", "--received", "9999-12-31"], capsys)
    assert f"{CLAIM}: received date 9999-12-31 is too near the end of the calendar" in err


def test_adjudicate_service_dates_at_the_end_of_the_calendar(tmp_path, capsys) -> None:
    """A claim served on 9999-12-31 (received the day after, by default) is named, not a traceback."""
    path = tmp_path / "far.json"
    path.write_text(CLAIM.read_text(encoding="utf-8").replace("2026-03-02", "9999-12-31"), encoding="utf-8")
    err = _fails(["adjudicate", str(path), "--payer", "medicare"], capsys)
    assert f"{path}: service date 9999-12-31 is too near the end of the calendar" in err


def test_x12_respond_a_date_at_the_end_of_the_calendar(tmp_path, capsys) -> None:
    """x12 respond --received 9999-12-31 on claims that pass the front end names the file and the date."""
    from tests.simulator.server.conftest import claims_for, make_837

    path = tmp_path / "claims.x12"
    path.write_text(make_837(claims_for("R", 1, member_prefix="M"), 4242), encoding="utf-8")
    argv = ["x12", "respond", str(path), "--received", "9999-12-31", "--out", str(tmp_path / "out")]
    err = _fails(argv, capsys)
    assert f"{path}: received date 9999-12-31 is too near the end of the calendar" in err


def test_a_scenario_payer_profile_that_is_not_utf8_is_named(tmp_path, capsys) -> None:
    """A scenario payer whose profile file is Latin-1 names the scenario, the payer and the profile file."""
    profile = _latin_1_file(tmp_path, "acme.yaml")
    path = tmp_path / "scenario.yaml"
    text = QUICK.read_text(encoding="utf-8")
    payer = f"{{name: medicaid, profile: {profile}}}"
    path.write_text(text.replace("{name: medicaid, profile: medicaid}", payer), encoding="utf-8")
    err = _fails(["run", str(path), "--out", str(tmp_path / "run"), "--quiet"], capsys)
    assert f"{path}: payers.medicaid.profile: {profile}: not UTF-8 text (byte 0xe9" in err


@pytest.mark.parametrize(
    ("taken", "extra", "words"),
    [
        ("events.parquet", [], "Is a directory"),
        ("x12", ["--x12"], "File exists"),
    ],
)
def test_run_into_a_folder_whose_output_names_are_taken(tmp_path, capsys, taken, extra, words) -> None:
    """A run folder holding a folder where the event log goes (or a file where x12/ goes) is named."""
    out = tmp_path / "run"
    out.mkdir()
    if taken.endswith(".parquet"):
        (out / taken).mkdir()
    else:
        (out / taken).write_text("a file where a folder goes", encoding="utf-8")
    err = _fails(["run", "quick", "--out", str(out), "--quiet", *extra], capsys)
    assert f"(while writing the run folder {out})" in err and words in err


def _profile_with_a_date_no_calendar_has(tmp_path: Path) -> Path:
    path = tmp_path / "payer.yaml"
    path.write_text("name: acme\neffective: 2026-02-30\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["adjudicate", str(CLAIM)], ["x12", "respond", str(CLAIM)]])
def test_a_payer_profile_with_a_date_no_calendar_has_is_named(tmp_path, capsys, command) -> None:
    """--payer pointing at a profile with 2026-02-30 names that file and the line."""
    path = _profile_with_a_date_no_calendar_has(tmp_path)
    err = _fails([*command, "--payer", str(path)], capsys)
    assert f"payersim: {path}: not valid YAML: '2026-02-30' is not a valid date" in err and "line 2" in err


def test_a_scenario_payer_profile_with_a_date_no_calendar_has_is_named(tmp_path, capsys) -> None:
    """The scenario, the payer field and the profile file are all named."""
    profile = _profile_with_a_date_no_calendar_has(tmp_path)
    path = tmp_path / "scenario.yaml"
    payer = f"{{name: medicaid, profile: {profile}}}"
    text = QUICK.read_text(encoding="utf-8").replace("{name: medicaid, profile: medicaid}", payer)
    path.write_text(text, encoding="utf-8")
    err = _fails(["run", str(path), "--out", str(tmp_path / "run"), "--quiet"], capsys)
    named = f"{path}: payers.medicaid.profile: {profile}: not valid YAML"
    assert named in err and "'2026-02-30' is not a valid date" in err


@pytest.mark.parametrize("command", ["study", "compare"])
def test_workers_and_dask_together_are_refused(tmp_path, capsys, command) -> None:
    """--workers is meaningless with --dask: both given is an error naming both options."""
    if command == "study":
        argv = ["study", str(_study(tmp_path, "variants:\n  - name: a\n"))]
    else:
        argv = ["compare", "quick", "--vary", "staff.billers=1,2", "--replications", "1"]
    err = _fails([*argv, "--workers", "2", "--dask", "127.0.0.1:1", "--out", str(tmp_path / "out")], capsys)
    assert "--workers and --dask do not go together" in err


def test_report_out_for_a_study_folder_is_refused(tmp_path, capsys) -> None:
    """report --out on a study folder (where it would be ignored) says --out is for run folders."""
    (tmp_path / "study.json").write_text('{"format": "payersim-study/1"}', encoding="utf-8")
    err = _fails(["report", str(tmp_path), "--out", str(tmp_path / "elsewhere")], capsys)
    assert f"{tmp_path}: --out is for run folders" in err
