"""Timely filing: a line received more than the profile's limit after its date of service (CO-29).

For a secondary claim the clock starts at the latest prior payer's decision when the profile
says so (the usual practice: the secondary cannot be billed before the primary has decided).
"""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork

__all__ = ["timely_filing"]


@register("timely_filing")
def timely_filing(work: ClaimWork) -> list[Adj]:
    """Deny lines filed after the limit, counted from each line's date of service."""
    limit = work.profile.timely_filing
    prior = None
    if work.claim.other_payers and limit.secondary_from_prior_payer:
        prior = max(other.adjudication_date for other in work.claim.other_payers)
    last_start = work.received.toordinal() - limit.days  # a later start is in time
    made: list[Adj] = []
    for line in work.open_lines():
        start = line.day if prior is None else max(prior, line.day)
        if start.toordinal() < last_start:
            made += work.deny(line, "CO", "29", limit.rarcs, "timely_filing")
    return made
