"""Prior authorization and referral: codes the profile lists need an authorization on file (CO-197)
or a referral on the claim (CO-288)."""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork

__all__ = ["authorization"]


@register("authorization")
def authorization(work: ClaimWork) -> list[Adj]:
    """Deny lines missing a required prior authorization or referral."""
    rules = work.profile.authorization
    if not rules.prior_auth_codes and not rules.referral_codes:
        return []
    claim = work.claim
    ledger, member = work.ledger, claim.coverage.member_id
    referred = bool(claim.referral_number) or claim.referring_provider is not None
    made: list[Adj] = []
    for line in work.open_lines():
        code = line.line.procedure_code
        day = line.line.service_date
        if code in rules.prior_auth_codes and not ledger.authorized(member, code, day):
            made += work.deny(line, "CO", "197", ("M62",), "authorization.prior_auth")
        elif code in rules.referral_codes and not referred:
            made += work.deny(line, "CO", "288", (), "authorization.referral")
    return made
