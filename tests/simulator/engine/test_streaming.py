"""Streaming a run's event log to disk: same events, same bytes, bounded memory."""

from __future__ import annotations

from datetime import date

import pytest
import simpy

from simulator.engine import run_scenario
from simulator.engine.claimtable import ClaimTable
from simulator.engine.recorder import Recorder
from simulator.eventlog import EventFile, EventKind, EventWriter, read_events, write_events

from .conftest import variant


def test_streamed_run_equals_the_run_in_memory(quick_run, tmp_path):
    """A run writing its log as it goes leaves the file of the in-memory run, byte for byte."""
    scenario = variant({})
    streamed = run_scenario(scenario, events_path=tmp_path / "events.parquet")
    assert isinstance(streamed.events, EventFile)
    assert streamed.events_path == tmp_path / "events.parquet"
    assert len(streamed.events) == len(quick_run.events)
    whole = write_events(quick_run.events, tmp_path / "whole.parquet")
    assert streamed.events_path.read_bytes() == whole.read_bytes()
    assert list(streamed.claims) == list(quick_run.claims)


def test_streamed_csv_run_equals_the_run_in_memory(quick_run, tmp_path):
    """The CSV log streamed during the run is the CSV of the in-memory events."""
    streamed = run_scenario(variant({}), events_path=tmp_path / "events.csv", fmt="csv")
    whole = write_events(quick_run.events, tmp_path / "whole.csv", "csv")
    assert (tmp_path / "events.csv").read_bytes() == whole.read_bytes()
    assert read_events(streamed.events_path)[-1].kind == EventKind.RUN_ENDED


def test_recorder_holds_at_most_one_chunk(tmp_path):
    """With a writer the recorder keeps no more than ``chunk`` events; numbering runs on."""
    env = simpy.Environment()
    writer = EventWriter(tmp_path / "e.csv", "csv")
    log = Recorder(env, date(2026, 1, 5), writer, chunk=7)
    held = []
    for n in range(30):
        log.emit(EventKind.VISIT, f"C{n}")
        held.append(len(log.events))
    assert max(held) < 7 and log.count == 30
    log.flush()
    writer.close()
    assert [e.seq for e in read_events(tmp_path / "e.csv")] == list(range(30))


def test_recorder_without_writer_keeps_every_event():
    """Without a writer the whole log stays in ``events``; flush changes nothing."""
    log = Recorder(simpy.Environment(), date(2026, 1, 5))
    for n in range(10):
        log.emit(EventKind.VISIT, f"C{n}")
    log.flush()
    assert [e.seq for e in log.events] == list(range(10)) and log.count == 10


def _row(claim_id: str, closed: date | None, billed: int) -> tuple:
    amounts = (billed, billed, 0, 0, 0, 0, 0, 0)
    return (claim_id, "medicare", "medicare", date(2026, 1, 5), closed, "paid", 1, *amounts)


def test_claim_table_packs_rows_and_reads_them_back_in_claim_id_order():
    """Rows come back equal, as tuples, sorted by claim id, with an open claim's missing date."""
    table = ClaimTable()
    rows = [_row("C3", date(2026, 2, 1), 300), _row("C1", None, 100), _row("C2", date(2026, 3, 1), -5)]
    for row in rows:
        table.append(row)
    assert list(table) == sorted(rows)
    assert len(table) == 3 and table[0] == rows[1] and table[-1] == rows[0]
    assert table[0:2] == sorted(rows)[:2]
    assert table.column(4) == [None, date(2026, 3, 1), date(2026, 2, 1)]
    table.append(_row("C0", None, 1))
    assert table[0][0] == "C0"


def test_claim_table_refuses_a_row_it_cannot_pack():
    """A non-integer amount is an error, not a silently changed row."""
    with pytest.raises(TypeError):
        ClaimTable().append(_row("C1", None, "12.00"))


def test_claim_table_is_unchanged_by_a_refused_row():
    """A refused row leaves the table as it was."""
    table = ClaimTable()
    table.append(_row("C1", None, 100))
    with pytest.raises(TypeError):
        table.append(_row("C2", None, "12.00"))
    assert list(table) == [_row("C1", None, 100)]
