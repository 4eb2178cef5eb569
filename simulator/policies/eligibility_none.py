"""No eligibility check before visits: coverage changes surface as denials."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["NoVerification"]


@register("eligibility", "none")
@dataclass(frozen=True, slots=True)
class NoVerification:
    """Never verify coverage before the visit."""

    def verifies(self, draw: float) -> bool:
        """Never."""
        return False
