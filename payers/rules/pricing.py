"""Pricing: allowed = fee schedule amount x units, never above what is left of the charge (CO-45)."""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork, percent_of

__all__ = ["pricing"]


@register("pricing")
def pricing(work: ClaimWork) -> list[Adj]:
    """Set each open line's allowed amount and adjust the rest of its charge as CO-45."""
    fees = work.fees
    unlisted = work.profile.fee_schedule.unlisted_percent_of_charge
    made: list[Adj] = []
    for line in work.open_lines():
        remaining = line.remaining
        fee = fees.get(line.code)
        if fee is None:
            allowed, rule = percent_of(remaining, unlisted), "pricing.unlisted"
        else:
            allowed, rule = min(fee * line.units, remaining), "pricing.fee_schedule"
        line.allowed = allowed
        made += work.adjust(line, "CO", "45", remaining - allowed, (), rule)
    return made
