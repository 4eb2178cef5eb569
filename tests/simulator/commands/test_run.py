"""Tests for ``payersim run`` and ``payersim scenarios``."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from simulator.cli import main
from simulator.engine import CLAIM_COLUMNS
from simulator.eventlog import read_events


def test_run_writes_the_folder_and_prints_kpis(tmp_path, capsys):
    """Events, claims and summary are written; the KPI table is printed."""
    out = tmp_path / "run"
    assert main(["run", "quick", "--seed", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "initial_denial_rate" in printed and "days_in_ar" in printed
    events = read_events(out / "events.parquet")
    claims = pq.read_table(out / "claims.parquet")
    assert claims.column_names == list(CLAIM_COLUMNS)
    assert claims.num_rows == len({e.claim_id for e in events if e.kind == "claim_created"})
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["claims"] == claims.num_rows
    for key in ("initial_denial_rate_by_payer_type", "denial_reason_mix", "cash_by_week", "cost_to_collect"):
        assert key in summary


def test_csv_format(tmp_path):
    """--format csv writes CSV tables."""
    out = tmp_path / "csv"
    assert main(["run", "quick", "--out", str(out), "--format", "csv", "--quiet"]) == 0
    assert (out / "events.csv").read_text(encoding="utf-8").startswith("seq,time,date,kind")
    assert (out / "claims.csv").read_text(encoding="utf-8").startswith("claim_id,payer,")


def test_rerun_in_the_other_format_leaves_no_stale_tables(tmp_path, capsys):
    """A run into a folder that holds an earlier run's Parquet tables, now as CSV, removes them."""
    out = tmp_path / "again"
    assert main(["run", "quick", "--seed", "3", "--out", str(out), "--quiet"]) == 0
    assert main(["run", "quick", "--seed", "4", "--out", str(out), "--format", "csv", "--quiet"]) == 0
    assert not (out / "events.parquet").exists() and not (out / "claims.parquet").exists()
    assert (out / "events.csv").is_file() and (out / "claims.csv").is_file()
    summary = (out / "summary.json").read_text(encoding="utf-8")
    assert main(["report", str(out)]) == 0
    assert (out / "summary.json").read_text(encoding="utf-8") == summary
    kpis = (out / "report" / "kpis.csv").read_text(encoding="utf-8")
    assert kpis.splitlines()[1].startswith("4,")


def test_rerun_without_x12_removes_the_earlier_runs_x12_files(tmp_path):
    """X12 files of an earlier --x12 run do not stay beside a run that wrote none."""
    out = tmp_path / "x12-then-none"
    assert main(["run", "quick", "--seed", "3", "--out", str(out), "--x12", "--quiet"]) == 0
    assert any((out / "x12").glob("*.x12"))
    assert main(["run", "quick", "--seed", "4", "--out", str(out), "--quiet"]) == 0
    assert not (out / "x12").exists()


def test_bad_scenario_is_a_clear_error(tmp_path, capsys):
    """A missing scenario file or unknown name exits 2 with a message naming it."""
    assert main(["run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "x")]) == 2
    assert "nope.yaml" in capsys.readouterr().err
    assert main(["run", "no_such_scenario"]) == 2
    assert "unknown scenario 'no_such_scenario'" in capsys.readouterr().err


def test_scenarios_lists_one_line_each(capsys):
    """payersim scenarios prints a line per shipped scenario."""
    assert main(["scenarios"]) == 0
    lines = capsys.readouterr().out.splitlines()
    shipped = {"community_practice", "denial_spike", "quick", "understaffed"}
    assert {line.split()[0] for line in lines} >= shipped


def test_no_shipped_scenarios_says_how_to_install(tmp_path, capsys, monkeypatch):
    """Installed without -e (no scenarios folder beside the package): both commands say what to do."""
    monkeypatch.setattr("simulator.scenario._shipped_folder", lambda: tmp_path / "scenarios")
    assert main(["scenarios"]) == 2
    assert "pip install -e ." in capsys.readouterr().err
    assert main(["run", "quick", "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "unknown scenario 'quick'" in err and "pip install -e ." in err
