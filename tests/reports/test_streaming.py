"""Folding a run's events from a stream: batches, iterators and files give the same KPIs."""

from __future__ import annotations

import pyarrow as pa
import pytest

from reports import metrics
from reports.claims import event_batches, fold
from reports.kpis import summarize
from simulator.eventlog import EventFile, events_to_table, write_events


def test_every_source_gives_the_summary_of_the_list(synthetic_events, tmp_path):
    """List, table, EventFile (Parquet and CSV), iterator, batches and record batches agree."""
    expected = summarize(synthetic_events)
    table = events_to_table(synthetic_events)
    parquet = write_events(synthetic_events, tmp_path / "e.parquet")
    csv = write_events(synthetic_events, tmp_path / "e.csv", "csv")
    chunks = [synthetic_events[i : i + 97] for i in range(0, len(synthetic_events), 97)]
    sources = {
        "table": table,
        "parquet file": EventFile(parquet),
        "csv file": EventFile(csv),
        "iterator": iter(synthetic_events),
        "batches": iter(chunks),
        "record batches": iter(table.to_batches(max_chunksize=61)),
    }
    for name, source in sources.items():
        assert summarize(source) == expected, name


def test_a_shuffled_list_is_still_put_in_log_order(synthetic_events):
    """A list is sorted by sequence number before folding, as before."""
    assert summarize(list(reversed(synthetic_events))) == summarize(synthetic_events)


def test_a_stream_out_of_order_is_refused(synthetic_events):
    """A one-pass stream cannot be sorted: an event out of order is an error naming it."""
    shuffled = [synthetic_events[1], synthetic_events[0], *synthetic_events[2:]]
    with pytest.raises(ValueError, match="out of order"):
        fold(iter(shuffled))


def test_a_one_pass_stream_keeps_no_events_but_a_file_does(synthetic_events, tmp_path):
    """Folding an iterator keeps only per-claim facts; an EventFile stays walkable for metrics."""
    assert fold(iter(synthetic_events)).events is None
    log = EventFile(write_events(synthetic_events, tmp_path / "e.parquet"))
    run = fold(log)
    assert run.events is log
    assert metrics.cash_by_week(run) == metrics.cash_by_week(fold(synthetic_events))
    assert metrics.staff(run) == metrics.staff(fold(synthetic_events))


def test_money_totals_are_summed_in_the_fold(synthetic_events):
    """The fold's totals are the sums over the events."""
    totals = fold(iter(synthetic_events)).totals
    assert totals.cash == sum(e.paid for e in synthetic_events)
    assert totals.costs == sum(e.cost for e in synthetic_events)
    assert sum(totals.cash_by_week.values()) == totals.cash


def test_event_batches_flattens_to_the_events(synthetic_events):
    """event_batches of any source gives back the events in order."""
    table = pa.Table.from_batches(events_to_table(synthetic_events).to_batches(max_chunksize=50))
    flat = [e for batch in event_batches(table) for e in batch]
    assert flat == synthetic_events
    assert list(event_batches(iter([]))) == []
