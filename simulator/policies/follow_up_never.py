"""No follow-up: claims with no answer wait until the payer speaks or the horizon ends."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["NoFollowUp"]


@register("follow_up", "never")
@dataclass(frozen=True, slots=True)
class NoFollowUp:
    """Never ask."""

    def inquiry_after(self, days_waiting: float) -> float | None:
        """Never."""
        return None
