"""Eligibility on the date of service, from the payer's roster (or the claim when off-roster)."""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork

__all__ = ["eligibility"]


@register("eligibility")
def eligibility(work: ClaimWork) -> list[Adj]:
    """Deny lines outside coverage: CO-109 wrong payer, CO-31 not a member, CO-26/CO-27 dates."""
    claim = work.claim
    profile = work.profile
    if claim.coverage.payer_id not in (profile.name, profile.x12_payer_id):
        return work.deny_all("CO", "109", (), "eligibility.wrong_payer")
    roster = work.ledger.roster.get(claim.coverage.member_id)
    if roster is None:
        if profile.eligibility.strict_roster:
            return work.deny_all("CO", "31", ("N30",), "eligibility.roster")
        roster = [claim.coverage]
    made: list[Adj] = []
    for line in work.open_lines():
        day = line.line.service_date
        if any(coverage.is_active_on(day) for coverage in roster):
            continue
        if all(day < coverage.effective_date for coverage in roster):
            made += work.deny(line, "CO", "26", ("N30",), "eligibility.not_yet_covered")
        else:
            made += work.deny(line, "CO", "27", ("N30",), "eligibility.coverage_ended")
    return made
