"""Timely filing: a line received more than the profile's limit after its date of service (CO-29)."""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork

__all__ = ["timely_filing"]


@register("timely_filing")
def timely_filing(work: ClaimWork) -> list[Adj]:
    """Deny lines filed after the limit, counted from each line's date of service."""
    limit = work.profile.timely_filing
    made: list[Adj] = []
    for line in work.open_lines():
        if (work.received - line.line.service_date).days > limit.days:
            made += work.deny(line, "CO", "29", limit.rarcs, "timely_filing")
    return made
