"""Tests for ``payersim report``: a run folder's report from its saved event log, clear errors."""

from __future__ import annotations

from datetime import date

from simulator.cli import main
from simulator.eventlog import Event, EventKind, write_events


def _events() -> list[Event]:
    day = date(2026, 1, 5)
    return [
        Event(0, 0.0, day, EventKind.RUN_STARTED, actor="system", detail="scenario=tiny seed=5"),
        Event(1, 0.0, day, EventKind.CLAIM_CREATED, "C1", "coder", "medicare", "medicare", order=1,
              billed=10000, balance=10000),
        Event(2, 1.0, date(2026, 1, 6), EventKind.SUBMITTED, "C1", "clearinghouse", "medicare", "medicare",
              order=1, attempt=1, balance=10000),
        Event(3, 15.0, date(2026, 1, 20), EventKind.ADJUDICATED, "C1", "payer:medicare", "medicare",
              "medicare", order=1, attempt=1, carc="197", detail="denied"),
        Event(4, 15.0, date(2026, 1, 20), EventKind.DENIED, "C1", "biller", "medicare", "medicare", order=1,
              carc="197", balance=10000),
        Event(5, 30.0, date(2026, 2, 4), EventKind.RUN_ENDED, actor="system", detail="open_claims=1"),
    ]  # fmt: skip


def test_report_renders_a_run_folder_and_prints_the_path(tmp_path, capsys):
    """The report lands in RUN_DIR/report/ and its path is printed; CARCs are categorised."""
    write_events(_events(), tmp_path / "events.parquet")
    assert main(["report", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == str(tmp_path / "report" / "report.html")
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "Scenario <b>tiny</b>" in page
    kpis = (tmp_path / "report" / "kpis.csv").read_text(encoding="utf-8")
    assert "denial_reason_mix,prior_authorization,1.0000" in kpis


def test_report_of_a_folder_without_events_is_a_clear_error(tmp_path, capsys):
    """A run folder missing its event log exits 2 and names the file it needs."""
    (tmp_path / "summary.json").write_text("{}", encoding="utf-8")
    assert main(["report", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("payersim: ")
    assert "no event log" in error and "events.parquet" in error


def test_report_of_a_missing_folder(tmp_path, capsys):
    """A folder that does not exist is named in the error."""
    assert main(["report", str(tmp_path / "nope")]) == 2
    assert "nope: no such folder" in capsys.readouterr().err


def test_report_of_a_corrupt_event_log(tmp_path, capsys):
    """An unreadable event log is a clear error, not a traceback."""
    (tmp_path / "events.parquet").write_bytes(b"not parquet")
    assert main(["report", str(tmp_path)]) == 2
    assert "cannot render the report" in capsys.readouterr().err


def test_report_again_matches_the_report_of_the_run(tmp_path, capsys):
    """`payersim report` on a run folder reproduces the report `payersim run` wrote, byte for byte."""
    out = tmp_path / "run"
    assert main(["run", "quick", "--out", str(out), "--quiet"]) == 0
    first = {p.name: p.read_bytes() for p in (out / "report").iterdir()}
    assert (out / "scenario.yaml").is_file() and "report.html" in first
    assert main(["report", str(out), "--out", str(tmp_path / "again")]) == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()} == first


def test_report_of_an_event_log_missing_a_column(tmp_path, capsys):
    """An event log without a column the report needs names the folder and the column."""
    import pyarrow.parquet as pq

    write_events(_events(), tmp_path / "events.parquet")
    table = pq.read_table(tmp_path / "events.parquet").drop_columns(["attempt"])
    pq.write_table(table, tmp_path / "events.parquet")
    assert main(["report", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path}: cannot render the report: the event log lacks a column" in error
    assert "attempt" in error


def test_report_into_an_out_that_is_a_file(tmp_path, capsys):
    """--out naming an existing file is refused with its name."""
    write_events(_events(), tmp_path / "events.parquet")
    taken = tmp_path / "taken.txt"
    taken.write_text("a file", encoding="utf-8")
    assert main(["report", str(tmp_path), "--out", str(taken)]) == 2
    assert f"{taken}: cannot write the report" in capsys.readouterr().err


def test_report_of_an_incomplete_study_file(tmp_path, capsys):
    """A study.json missing a part names the file and the part."""
    (tmp_path / "study.json").write_text('{"format": "payersim-study/1", "study": {}}', encoding="utf-8")
    assert main(["report", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path / 'study.json'}: study: 3 problem(s)" in error
    assert "scenario: required field is missing" in error


def test_report_of_a_study_file_that_is_not_utf8(tmp_path, capsys):
    """A study.json that is not UTF-8 names the file and the bad byte."""
    (tmp_path / "study.json").write_bytes(b'{"format": "payersim-study/1", "note": "\xff"}')
    assert main(["report", str(tmp_path)]) == 2
    assert f"{tmp_path / 'study.json'}: not UTF-8 text (byte 0xff" in capsys.readouterr().err
