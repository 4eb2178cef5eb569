"""Follow-up: a status inquiry on a claim with no answer after N days, then every M days."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["FollowUpAfterDays"]


@register("follow_up", "after_days")
@dataclass(frozen=True, slots=True)
class FollowUpAfterDays:
    """First inquiry after ``first`` days without an answer, then every ``every`` days."""

    # source: DOMAIN.md prompt-pay rules, 30 days electronic (42 CFR 422.520, 447.45)
    first: float = 30.0
    every: float = 21.0

    def inquiry_after(self, days_waiting: float) -> float | None:
        """Days from now until the next inquiry, given how long the claim has waited."""
        if days_waiting < self.first:
            return self.first - days_waiting
        return self.every
