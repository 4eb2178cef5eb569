"""Tests for ``payersim study`` and ``payersim compare`` on the toy model, run in this process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator import cli
from simulator.studies import simulation

STUDY = """\
# Question: do four billers halve the days of work?
question: Do four billers halve the days of work?
scenario: toy.yaml
seed: 4
replications: {replications}
variants:
  - name: two
  - name: four
    set: {{billers.count: 4{extra}}}
"""


@pytest.fixture
def toy_cli(toy_model, monkeypatch):
    """The study commands with the toy model in place of the simulation."""
    monkeypatch.setattr(simulation, "SIMULATION", toy_model)


def _study(folder: Path, replications: int = 5, extra: str = "") -> Path:
    path = folder / "toy_study.yaml"
    path.write_text(STUDY.format(replications=replications, extra=extra), encoding="utf-8")
    return path


def test_study_command_writes_the_folder_and_prints_verdicts(toy_cli, toy_study_dir: Path, capsys) -> None:
    """``payersim study`` writes every file and prints the differences with their verdicts."""
    out = toy_study_dir / "out"
    status = cli.main(
        ["study", str(_study(toy_study_dir)), "--out", str(out), "--workers", "1", "--no-progress"]
    )
    captured = capsys.readouterr()
    assert status == 0, captured.err
    for name in ("study.json", "replications.csv", "summary.csv", "differences.csv"):
        assert (out / name).is_file()
    assert "question: Do four billers halve the days of work?" in captured.out
    assert "four     days_of_work" in captured.out and "distinguishable" in captured.out
    assert f"study folder: {out}" in captured.out


def test_study_command_reports_a_failed_replication_and_goes_on(toy_cli, toy_study_dir: Path, capsys) -> None:
    """A failed replication is named with its seed and rerun command; the others are kept; exit 1."""
    out = toy_study_dir / "out"
    path = _study(toy_study_dir, replications=8, extra=", fail_one_in: 3")
    status = cli.main(["study", str(path), "--out", str(out), "--workers", "1", "--no-progress"])
    captured = capsys.readouterr()
    assert status == 1
    document = json.loads((out / "study.json").read_text(encoding="utf-8"))
    failures = document["failures"]
    assert failures and all(f["seed"] % 3 == 0 for f in failures)
    first = failures[0]
    assert f"replication {first['replication']} of variant four failed (seed {first['seed']})" in captured.err
    assert (
        f"rerun it alone: payersim run {out / 'variants' / 'four.yaml'} --seed {first['seed']}\n"
        in captured.err
    )
    assert sum(r["status"] == "ok" for r in document["replications"]) == 16 - len(failures)


def test_bad_study_file_exits_2_naming_file_and_field(toy_cli, toy_study_dir: Path, capsys) -> None:
    """A study file with a wrong field gives exit status 2 and names the file and the field."""
    path = _study(toy_study_dir).with_name("broken.yaml")
    path.write_text(STUDY.format(replications="-3", extra=""), encoding="utf-8")
    status = cli.main(["study", str(path), "--workers", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert status == 2
    assert str(path) in err and "replications" in err


def test_compare_command_runs_the_grid(toy_cli, toy_study_dir: Path, capsys, monkeypatch) -> None:
    """``payersim compare`` varies a field by path and compares with the first value."""
    monkeypatch.chdir(toy_study_dir)
    status = cli.main(
        ["compare", "toy.yaml", "--vary", "billers.count=1,2", "--replications", "3", "--out", "cmp",
         "--workers", "1", "--no-progress"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert status == 0, captured.err
    document = json.loads((toy_study_dir / "cmp" / "study.json").read_text(encoding="utf-8"))
    assert [v["name"] for v in document["study"]["variants"]] == ["billers.count=1", "billers.count=2"]
    assert len(document["replications"]) == 6
    assert "billers.count=2  days_of_work" in captured.out


def test_report_command_renders_a_study_folder_again(toy_cli, toy_study_dir: Path, capsys) -> None:
    """``payersim report STUDY_DIR`` writes the study's report.html and figures from study.json alone."""
    pytest.importorskip("simulator.commands.report", reason="payersim report is not there")
    pytest.importorskip("reports.html", reason="the reports package's HTML writer is not there")
    out = toy_study_dir / "out"
    assert (
        cli.main(["study", str(_study(toy_study_dir)), "--out", str(out), "--workers", "1", "--no-progress"])
        == 0
    )
    first = (out / "report.html").read_bytes()
    (out / "report.html").unlink()
    (out / "kpi_differences.png").unlink()
    capsys.readouterr()
    assert cli.main(["report", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out / "report.html")
    assert (out / "report.html").read_bytes() == first
    assert (out / "kpi_differences.png").is_file()
