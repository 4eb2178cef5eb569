"""Staffing: some billers short of the scenario's count (vacancies, leave)."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["ShortStaffing"]


@register("staffing", "short")
@dataclass(frozen=True, slots=True)
class ShortStaffing:
    """Run ``short_by`` billers below the scenario's count, never fewer than one."""

    short_by: int = 1

    def __post_init__(self) -> None:
        if self.short_by < 0:
            raise ValueError("short_by must be 0 or more")

    def billers(self, base: int) -> int:
        """The scenario's count less the vacancies."""
        return max(1, base - self.short_by)
