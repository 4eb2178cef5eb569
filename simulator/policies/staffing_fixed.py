"""Staffing: the billers the scenario lists."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["FixedStaffing"]


@register("staffing", "fixed")
@dataclass(frozen=True, slots=True)
class FixedStaffing:
    """Keep the scenario's billers."""

    def billers(self, base: int) -> int:
        """The scenario's count."""
        return base
