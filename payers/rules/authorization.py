"""Prior authorization and referral: codes the profile lists need an authorization on file (CO-197)
or a referral on the claim (CO-288)."""

from __future__ import annotations

from payers.profile import PayerProfile
from payers.rules import register
from payers.tables import Tables
from payers.work import Adj, ClaimWork

__all__ = ["acts_on", "authorization", "prepare"]


def prepare(profile: PayerProfile, tables: Tables) -> tuple[frozenset[str], frozenset[str]] | None:
    """The codes needing a prior authorization and those needing a referral; None when none do."""
    rules = profile.authorization
    if not rules.prior_auth_codes and not rules.referral_codes:
        return None
    return frozenset(rules.prior_auth_codes), frozenset(rules.referral_codes)


def acts_on(prepared: tuple[frozenset[str], frozenset[str]]) -> frozenset[str]:
    """The codes needing an authorization or a referral."""
    prior_auth_codes, referral_codes = prepared
    return prior_auth_codes | referral_codes


@register("authorization", prepare, acts_on)
def authorization(work: ClaimWork) -> list[Adj]:
    """Deny lines missing a required prior authorization or referral."""
    prior_auth_codes, referral_codes = work.setup["authorization"]
    claim = work.claim
    ledger, member = work.ledger, claim.coverage.member_id
    referred = bool(claim.referral_number) or claim.referring_provider is not None
    made: list[Adj] = []
    for line in work.open_lines():
        code = line.code
        if code in prior_auth_codes and not ledger.authorized(member, code, line.day):
            made += work.deny(line, "CO", "197", ("M62",), "authorization.prior_auth")
        elif code in referral_codes and not referred:
            made += work.deny(line, "CO", "288", (), "authorization.referral")
    return made
