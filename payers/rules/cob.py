"""Coordination of benefits for a secondary payer.

The prior payers' payment on each line (from their line adjustments when given, otherwise
their claim payment split over the lines by charge) is shown as OA-23. The secondary pays the
lesser of its own normal benefit and its allowed amount less the prior payment, never more than
remains; the patient's share shrinks by what the prior payer covered.
"""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork, LineWork
from simulator.models import Claim
from simulator.money import split_by_weights

__all__ = ["cob", "prior_paid_by_line"]


def prior_paid_by_line(claim: Claim) -> dict[int, int]:
    """What the earlier payers paid on each line, in cents, by line number."""
    numbers = [line.line_number for line in claim.lines]
    totals = dict.fromkeys(numbers, 0)
    for other in claim.other_payers:
        if other.line_adjustments:
            billed = {line.line_number: line.charge for line in claim.lines}
            for number, adjustments in other.line_adjustments:
                if number in billed:
                    paid = billed[number] - sum(a.amount for a in adjustments)
                    totals[number] += max(0, paid)
        else:
            shares = split_by_weights(other.paid, [line.charge for line in claim.lines])
            for number, share in zip(numbers, shares, strict=True):
                totals[number] += share
    return totals


@register("cob")
def cob(work: ClaimWork) -> list[Adj]:
    """Reduce each open line's payment by what earlier payers paid (OA-23)."""
    if not work.claim.other_payers:
        return []
    prior = prior_paid_by_line(work.claim)
    made: list[Adj] = []
    for line in work.open_lines():
        made += _coordinate(work, line, prior[line.line.line_number])
    return made


def _coordinate(work: ClaimWork, line: LineWork, prior: int) -> list[Adj]:
    shares = [a for a in line.adjs if a.group == "PR"]
    patient = sum(a.amount for a in shares)
    normal = line.allowed - patient
    credited = min(prior, line.allowed)
    pays = max(0, min(normal, line.allowed - prior))
    cut = patient - (line.allowed - credited - pays)
    for share in reversed(shares):
        taken = min(cut, share.amount)
        share.amount -= taken
        cut -= taken
        if share.amount == 0:
            line.adjs.remove(share)
    return work.adjust(line, "OA", "23", credited, (), "cob.prior_payer")
