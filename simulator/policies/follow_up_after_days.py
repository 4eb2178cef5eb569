"""Follow-up: a status inquiry on a claim with no answer after N days, then every M days."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["FollowUpAfterDays"]


@register("follow_up", "after_days")
@dataclass(frozen=True, slots=True)
class FollowUpAfterDays:
    """First inquiry after ``first`` days without an answer, then every ``every`` days."""

    # source: prompt-pay rules, 30 days electronic (42 CFR 422.520, 447.45)
    first: float = 30.0
    every: float = 21.0

    def __post_init__(self) -> None:
        if self.first < 0 or self.every <= 0:
            raise ValueError("first must be 0 or more and every more than 0 days")

    def inquiry_after(self, days_waiting: float) -> float | None:
        """Days from now until the next inquiry, given how long the claim has waited."""
        if days_waiting < self.first:
            return self.first - days_waiting
        return self.every
