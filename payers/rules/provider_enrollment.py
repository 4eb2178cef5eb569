"""Provider enrolment on the date of service, from the payer's provider roster.

A payer that keeps a provider roster (any provider enrolled on its ledger) denies a line whose
rendering provider (else the billing provider) is not enrolled on the line's date of service:
CO-B7 when the provider is on the roster but not for that date, CO-185 when it is not on the
roster at all. A payer with no provider roster trusts the claim. Both CARCs are in the
"other" denial category (Change Healthcare Denials Index 2020: provider eligibility 0.9%).
"""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork

__all__ = ["provider_enrollment"]


@register("provider_enrollment")
def provider_enrollment(work: ClaimWork) -> list[Adj]:
    """Deny lines whose provider is not enrolled with the payer on the date of service."""
    ledger = work.ledger
    if not ledger.providers:
        return []
    claim = work.claim
    npi = (claim.rendering_provider or claim.billing_provider).npi
    known = npi in ledger.providers
    made: list[Adj] = []
    for line in work.open_lines():
        if ledger.provider_enrolled(npi, line.day):
            continue
        if known:
            made += work.deny(line, "CO", "B7", (), "provider_enrollment.not_on_date")
        else:
            made += work.deny(line, "CO", "185", ("N290",), "provider_enrollment.not_enrolled")
    return made
