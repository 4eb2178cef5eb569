"""Patient statements on a cycle, then the collection agency."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["StatementCycle"]


@register("statements", "cycle")
@dataclass(frozen=True, slots=True)
class StatementCycle:
    """Statements on the listed days after the first, then collections on ``agency_day``."""

    # source: Texas Medical Association cycle: statements at 0 and 30 days,
    # letter at 45, call at 60, final notice at 75, collection agency at 90
    days: tuple[int, ...] = (0, 30, 45, 60, 75)
    agency_day: int = 90

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", tuple(self.days))
        if not self.days or list(self.days) != sorted(self.days) or self.agency_day < self.days[-1]:
            raise TypeError("days must be ascending and end no later than agency_day")

    def next_step(self, sent: int, days_since_first: float) -> tuple[str, float]:
        """(``statement`` or ``collections``, days to wait first) after ``sent`` statements."""
        if sent < len(self.days):
            return "statement", max(0.0, self.days[sent] - days_since_first)
        return "collections", max(0.0, self.agency_day - days_since_first)
