"""Tests for simulator.eventlog: round trips and byte-identical files."""

from __future__ import annotations

from datetime import date

import pytest

from simulator.eventlog import (
    Event,
    EventFile,
    EventKind,
    EventWriter,
    read_events,
    write_events,
    write_events_parquet,
)


def _events() -> list[Event]:
    return [
        Event(0, 0.0, date(2026, 1, 1), EventKind.RUN_STARTED, detail="scenario=quick seed=1"),
        Event(1, 0.375, date(2026, 1, 1), EventKind.CLAIM_CREATED, "C1", "coder", "medicare", "medicare",
              billed=15000, balance=15000, rule="missing_auth", stream="coding", draw=0.125),
        Event(2, 14.5, date(2026, 1, 15), EventKind.DENIED, "C1", "payer:medicare", "medicare", "medicare",
              order=1, attempt=1, ref="MCR1", carc="197", codes=("CO-197",), rarcs=("N54", "M1"),
              balance=15000),
        Event(3, 20.0, date(2026, 1, 21), EventKind.PAID, "C1", "biller:1", paid=9000, adjusted=4000,
              patient=2000, balance=2000, patient_balance=2000),
    ]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_round_trip_keeps_every_field(tmp_path, fmt):
    """What is written reads back equal, field for field."""
    path = write_events(_events(), tmp_path / f"events.{fmt}", fmt)
    assert read_events(path) == _events()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_same_events_same_bytes(tmp_path, fmt):
    """Two writes of the same events give byte-identical files."""
    first = write_events(_events(), tmp_path / f"a.{fmt}", fmt).read_bytes()
    second = write_events(list(_events()), tmp_path / f"b.{fmt}", fmt).read_bytes()
    assert first == second


def test_empty_log_writes_and_reads(tmp_path):
    """An empty log is a valid file with the header only."""
    assert read_events(write_events([], tmp_path / "e.parquet")) == []
    assert read_events(write_events([], tmp_path / "e.csv", "csv")) == []


def test_unknown_format_is_refused(tmp_path):
    """An unknown format names itself in the error."""
    with pytest.raises(ValueError, match="xml"):
        write_events(_events(), tmp_path / "e.xml", "xml")


def test_every_kind_is_documented():
    """Each event kind appears in the module docstring."""
    import simulator.eventlog as module

    for kind in EventKind:
        assert f"\n{kind.value} " in module.__doc__, kind


def _many(count: int) -> list[Event]:
    base = _events()
    return [base[i % len(base)]._replace(seq=i, time=i / 8) for i in range(count)]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_streamed_log_has_the_bytes_of_one_write(tmp_path, fmt):
    """Events handed to the writer in uneven chunks give the file of one write_events call."""
    events = _many(2_500)
    with EventWriter(tmp_path / f"s.{fmt}", fmt) as writer:
        for start, stop in ((0, 1), (1, 700), (700, 700), (700, 2_500)):
            writer.write(events[start:stop])
    assert writer.count == 2_500
    whole = write_events(events, tmp_path / f"w.{fmt}", fmt)
    assert (tmp_path / f"s.{fmt}").read_bytes() == whole.read_bytes()


def test_streamed_parquet_writes_full_row_groups_as_it_goes(tmp_path):
    """With small row groups the file equals a one-shot write of the same row-group size."""
    import pyarrow.parquet as pq

    events = _many(2_500)
    writer = EventWriter(tmp_path / "s.parquet", row_group_rows=1_000)
    writer.write(events[:1_500])
    assert writer._pending_rows == 500
    writer.write(events[1_500:])
    writer.close()
    whole = write_events_parquet(events, tmp_path / "w.parquet", row_group_rows=1_000)
    assert (tmp_path / "s.parquet").read_bytes() == whole.read_bytes()
    assert pq.ParquetFile(whole).num_row_groups == 3


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_empty_streamed_log_equals_an_empty_write(tmp_path, fmt):
    """A writer closed without events leaves the same file as writing no events."""
    EventWriter(tmp_path / f"s.{fmt}", fmt).close()
    assert (tmp_path / f"s.{fmt}").read_bytes() == write_events([], tmp_path / f"w.{fmt}", fmt).read_bytes()


def test_closed_writer_refuses_more_events(tmp_path):
    """Writing after close is an error naming the file, not a silently truncated log."""
    writer = EventWriter(tmp_path / "s.parquet")
    writer.write(_events())
    writer.close()
    writer.close()
    with pytest.raises(ValueError, match="closed"):
        writer.write(_events())
    assert read_events(tmp_path / "s.parquet") == _events()


def test_unknown_stream_format_is_refused(tmp_path):
    """The writer names an unknown format."""
    with pytest.raises(ValueError, match="xml"):
        EventWriter(tmp_path / "e.xml", "xml")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_event_file_reads_lazily_in_batches(tmp_path, fmt):
    """An EventFile walks the log in batches and answers len and indexing like the list."""
    events = _many(2_500)
    path = write_events_parquet(events, tmp_path / "e.parquet", 1_000) if fmt == "parquet" else None
    path = path or write_events(events, tmp_path / "e.csv", "csv")
    log = EventFile(path)
    assert [len(b) for b in log.batches(1_000)] == [1_000, 1_000, 500]
    assert list(log) == events
    assert len(log) == 2_500
    assert log[0] == events[0] and log[-1] == events[-1] and log[1_234] == events[1_234]
    assert log[10:13] == events[10:13]
    assert isinstance(log[5].kind, EventKind)
    with pytest.raises(IndexError):
        log[2_500]


def test_event_file_shares_one_date_object_per_day(tmp_path):
    """Events read back share their date objects, so per-claim facts stay small."""
    log = list(EventFile(write_events(_many(50), tmp_path / "e.parquet")))
    same_day = [e.date for e in log if e.date == date(2026, 1, 1)]
    assert len(same_day) > 1 and all(d is same_day[0] for d in same_day)


def test_streamed_parquet_matches_past_the_dictionary_limit(tmp_path):
    """A log long enough that the writer leaves dictionary encoding still streams to the same bytes."""
    events = _many(150_000)
    with EventWriter(tmp_path / "s.parquet") as writer:
        for start in range(0, len(events), 65_536):
            writer.write(events[start : start + 65_536])
    whole = write_events(events, tmp_path / "w.parquet")
    assert (tmp_path / "s.parquet").read_bytes() == whole.read_bytes()
