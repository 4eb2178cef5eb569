"""Eligibility verification (270/271) before a share of visits."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["VerifyBeforeVisit"]


@register("eligibility", "verify")
@dataclass(frozen=True, slots=True)
class VerifyBeforeVisit:
    """Verify coverage before ``share`` of visits (front-desk time, not billers')."""

    # source: registration/eligibility is 26.6% of denials (CHC 2020) even with checks
    share: float = 0.6

    def __post_init__(self) -> None:
        if not 0 <= self.share <= 1:
            raise ValueError("share must be between 0 and 1")

    def verifies(self, draw: float) -> bool:
        """True when this visit's coverage is checked."""
        return draw < self.share
