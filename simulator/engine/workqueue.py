"""The billing office's work queue: billers take the waiting task with the lowest priority.

A heap of ``(priority, sequence, minutes, done)``; ties go to the task queued first, so the
order never depends on anything but the simulation. Each task occupies one biller for its
duration; ``done`` fires when the work is finished.
"""

from __future__ import annotations

import heapq
from itertools import count

__all__ = ["WorkQueue"]


class WorkQueue:
    """``billers`` identical workers serving prioritised tasks."""

    __slots__ = ("_heap", "_seq", "days_per_minute", "env", "free")

    def __init__(self, env, billers: int, days_per_minute: float) -> None:
        self.env = env
        self.free = billers
        self.days_per_minute = days_per_minute
        self._heap: list[tuple] = []
        self._seq = count()

    def __len__(self) -> int:
        return len(self._heap)

    def submit(self, priority: float, minutes: float):
        """Queue a task; returns an event that fires when a biller has finished it."""
        done = self.env.event()
        if self.free:
            self._start(minutes, done)
        else:
            heapq.heappush(self._heap, (priority, next(self._seq), minutes, done))
        return done

    def _start(self, minutes: float, done) -> None:
        self.free -= 1
        self.env.timeout(minutes * self.days_per_minute).callbacks.append(lambda _: self._finish(done))

    def _finish(self, done) -> None:
        self.free += 1
        done.succeed()
        if self._heap:
            _, _, minutes, waiting = heapq.heappop(self._heap)
            self._start(minutes, waiting)
