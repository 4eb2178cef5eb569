"""Appends events to the run's log with the simulated time, date and sequence number.

By default the log stays in memory (``events`` holds every event). Given an
:class:`~simulator.eventlog.EventWriter`, the recorder hands it the events a chunk at a time,
so a long run keeps no more than one chunk of events as objects.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from simulator.eventlog import CHUNK_EVENTS, Event, EventKind, EventWriter

__all__ = ["Recorder"]


class Recorder:
    """Builds :class:`~simulator.eventlog.Event` records stamped with the environment's clock."""

    __slots__ = ("_dates", "_limit", "_written", "env", "events", "start", "writer")

    def __init__(
        self, env, start: date, writer: EventWriter | None = None, chunk: int = CHUNK_EVENTS
    ) -> None:
        self.env = env
        self.start = start
        self.writer = writer
        self.events: list[Event] = []
        self._dates: list[date] = []
        self._written = 0
        self._limit = sys.maxsize if writer is None else max(1, chunk)

    @property
    def count(self) -> int:
        """Events recorded so far, written out or not."""
        return self._written + len(self.events)

    def date_of(self, day: int) -> date:
        """Calendar date of simulated day ``day``."""
        dates = self._dates
        while len(dates) <= day:
            dates.append(self.start + timedelta(days=len(dates)))
        return dates[day]

    def day_of(self, when: date) -> int:
        """Simulated day number of ``when``."""
        return (when - self.start).days

    def today(self) -> date:
        """The simulated date now."""
        return self.date_of(int(self.env.now))

    def emit(self, kind: EventKind, claim_id: str = "", **fields) -> None:
        """Append one event happening now."""
        now = self.env.now
        events = self.events
        seq = self._written + len(events)
        events.append(Event(seq, round(now, 6), self.date_of(int(now)), kind, claim_id, **fields))
        if len(events) >= self._limit:
            self.flush()

    def flush(self) -> None:
        """Hand the events held to the writer (nothing happens without one)."""
        if self.writer is None or not self.events:
            return
        self.writer.write(self.events)
        self._written += len(self.events)
        self.events = []
