"""Eligibility on the date of service, from the payer's roster (or the claim when off-roster)."""

from __future__ import annotations

from payers.profile import PayerProfile
from payers.rules import register
from payers.tables import Tables
from payers.work import Adj, ClaimWork

__all__ = ["eligibility", "prepare"]


def prepare(profile: PayerProfile, tables: Tables) -> tuple[tuple[str, str], bool]:
    """The payer ids a claim may name (profile name, X12 payer id) and whether the roster is strict."""
    return (profile.name, profile.x12_payer_id), profile.eligibility.strict_roster


@register("eligibility", prepare)
def eligibility(work: ClaimWork) -> list[Adj]:
    """Deny lines outside coverage: CO-109 wrong payer, CO-31 not a member, CO-26/CO-27 dates."""
    payer_ids, strict_roster = work.setup["eligibility"]
    coverage = work.claim.coverage
    if coverage.payer_id not in payer_ids:
        return work.deny_all("CO", "109", (), "eligibility.wrong_payer")
    roster = work.ledger.roster.get(coverage.member_id)
    if roster is None:
        if strict_roster:
            return work.deny_all("CO", "31", ("N30",), "eligibility.roster")
        roster = [coverage]
    made: list[Adj] = []
    checked, covered = None, False
    for line in work.open_lines():
        day = line.day
        if day != checked:  # the lines of a claim mostly share one date of service
            checked, covered = day, any(held.is_active_on(day) for held in roster)
        if covered:
            continue
        if all(day < held.effective_date for held in roster):
            made += work.deny(line, "CO", "26", ("N30",), "eligibility.not_yet_covered")
        else:
            made += work.deny(line, "CO", "27", ("N30",), "eligibility.coverage_ended")
    return made
