"""Appends events to the run's log with the simulated time, date and sequence number."""

from __future__ import annotations

from datetime import date, timedelta

from simulator.eventlog import Event, EventKind

__all__ = ["Recorder"]


class Recorder:
    """Builds :class:`~simulator.eventlog.Event` records stamped with the environment's clock."""

    __slots__ = ("_dates", "env", "events", "start")

    def __init__(self, env, start: date) -> None:
        self.env = env
        self.start = start
        self.events: list[Event] = []
        self._dates: list[date] = []

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
        events.append(Event(len(events), round(now, 6), self.date_of(int(now)), kind, claim_id, **fields))
