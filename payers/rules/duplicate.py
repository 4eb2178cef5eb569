"""Duplicate check: a line already paid or pending on another active claim is denied (18)."""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork, LineWork
from simulator.models import Claim

__all__ = ["duplicate", "history_key"]


def history_key(claim: Claim, line: LineWork) -> tuple:
    """What makes two lines the same service: member, provider, code, modifiers, date, units."""
    service = line.line
    return (
        claim.coverage.member_id,
        claim.billing_provider.npi,
        service.procedure_code,
        service.modifiers,
        service.service_date,
        service.units,
    )


@register("duplicate")
def duplicate(work: ClaimWork) -> list[Adj]:
    """Deny lines that repeat a line of an active earlier claim (CO-18 or OA-18 per profile)."""
    history = work.ledger.history
    if not history:
        return []
    rule = work.profile.duplicates
    claim = work.claim
    member, npi = claim.coverage.member_id, claim.billing_provider.npi
    made: list[Adj] = []
    for line in work.open_lines():
        service = line.line
        key = (member, npi, line.code, service.modifiers, line.day, service.units)
        if key in history:  # history_key(claim, line), with the claim's parts read once
            made += work.deny(line, rule.group, "18", rule.rarcs, "duplicate")
    return made
