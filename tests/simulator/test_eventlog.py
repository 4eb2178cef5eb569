"""Tests for simulator.eventlog: round trips and byte-identical files."""

from __future__ import annotations

from datetime import date

import pytest

from simulator.eventlog import Event, EventKind, read_events, write_events


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
