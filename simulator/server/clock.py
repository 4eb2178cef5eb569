"""Simulated time for the server: a date that moves by hand or at a chosen speed.

A ``manual`` clock moves only when told (``POST /clock/advance``), which is what tests want.
A ``realtime`` clock runs ``speed`` simulated days per real second from the moment the server
starts, and can also be pushed forward by hand. The date is kept in the store, so a restart
carries on from the last date the server reached.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date, timedelta

from simulator.server.config import ClockConfig
from simulator.server.store import Store

__all__ = ["SimClock"]


class SimClock:
    """The server's simulated date, backed by the store."""

    def __init__(
        self, store: Store, config: ClockConfig, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self.mode = config.mode
        self.speed = config.speed
        self._monotonic = monotonic
        self._lock = threading.Lock()
        saved = store.get_meta("clock_date")
        if saved is None:
            with store.transaction():
                store.set_meta("clock_date", config.start.isoformat())
            saved = config.start.isoformat()
        self._base = date.fromisoformat(saved)
        self._started = monotonic()

    def today(self) -> date:
        """The simulated date now."""
        with self._lock:
            if self.mode == "manual":
                return self._base
            elapsed_days = int((self._monotonic() - self._started) * self.speed)
            return self._base + timedelta(days=elapsed_days)

    def advance(self, days: int) -> date:
        """Move the clock ``days`` forward (0 or more); return the new date."""
        if days < 0:
            raise ValueError("the clock does not run backwards: days must be 0 or more")
        with self._lock:
            self._base += timedelta(days=days)
            return (
                self._base
                if self.mode == "manual"
                else self._base + timedelta(days=int((self._monotonic() - self._started) * self.speed))
            )

    def record(self, reached: date) -> None:
        """Persist ``reached`` as the date processing has caught up to (call inside a transaction)."""
        saved = self._store.get_meta("clock_date")
        if saved is None or date.fromisoformat(saved) < reached:
            self._store.set_meta("clock_date", reached.isoformat())
