"""835 balancing: every line, claim and payment must add up, and the first one that does not is named.

The three rules of the 835 (005010X221A1, section 1.10.2):

* line: SVC02 charge - SVC03 paid = sum of the line's CAS amounts;
* claim: CLP03 charge - CLP04 paid = sum of the CAS amounts at claim and line level;
* payment: BPR02 = sum of CLP04 - sum of PLB amounts.

The checks work on models (:class:`~simulator.models.ClaimAdjudication`,
:class:`~simulator.x12.remittance.Payment`), so they apply equally to a remittance about to be
written and to one read back from an 835 (:func:`check_835` takes X12 text).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simulator.models import ClaimAdjudication, LineAdjudication
from simulator.money import format_dollars
from simulator.x12.remittance import Payment

__all__ = [
    "Imbalance",
    "check_835",
    "claim_imbalance",
    "first_imbalance",
    "line_imbalance",
    "payment_imbalance",
    "total_imbalance",
]


@dataclass(frozen=True, slots=True)
class Imbalance:
    """Where an 835 fails to balance, what the rule expected and what it found (cents)."""

    where: str
    rule: str
    expected: int
    found: int

    @property
    def message(self) -> str:
        """A sentence naming the place, the rule and the two amounts."""
        return (
            f"{self.where}: {self.rule}: expected {format_dollars(self.expected)}, "
            f"found {format_dollars(self.found)} (off by {format_dollars(self.found - self.expected)})"
        )

    def __str__(self) -> str:
        return self.message


def line_imbalance(line: LineAdjudication, where: str = "") -> Imbalance | None:
    """The line's imbalance (charge - paid != sum of its adjustments), or None."""
    expected = line.billed - line.paid
    found = sum(a.amount for a in line.adjustments)
    if expected == found:
        return None
    place = f"{where}line {line.line_number} ({line.procedure_code})".strip()
    return Imbalance(place, "SVC02 - SVC03 = line CAS total", expected, found)


def claim_imbalance(claim: ClaimAdjudication) -> Imbalance | None:
    """The first imbalance in a claim: a line, then the claim total; None when it balances."""
    found = 0
    for line in claim.lines:
        adjusted = 0
        for adjustment in line.adjustments:  # plain loops: this runs for every claim of every 835
            adjusted += adjustment.amount
        if line.billed - line.paid != adjusted:
            return line_imbalance(line, f"{_claim_place(claim)} ")
        found += adjusted
    for adjustment in claim.claim_adjustments:
        found += adjustment.amount
    expected = claim.billed - claim.paid
    if expected == found:
        return None
    return Imbalance(_claim_place(claim), "CLP03 - CLP04 = claim and line CAS total", expected, found)


def _claim_place(claim: ClaimAdjudication) -> str:
    return f"claim {claim.claim_id} ({claim.payer_claim_number})"


def payment_imbalance(payment: Payment) -> Imbalance | None:
    """The first imbalance in a payment: a claim, then BPR02 against the claims less PLB."""
    for claim in payment.claims:
        problem = claim_imbalance(claim.adjudication)
        if problem:
            return problem
    return total_imbalance(payment)


def total_imbalance(payment: Payment) -> Imbalance | None:
    """BPR02 against the sum of the claim payments less the PLB amounts, or None when they agree."""
    expected = payment.claims_paid - payment.provider_adjusted
    if payment.amount == expected:
        return None
    where = f"payment {payment.trace_number} to {payment.payee.name}"
    return Imbalance(where, "BPR02 = sum CLP04 - sum PLB", expected, payment.amount)


def first_imbalance(payments: Iterable[Payment]) -> Imbalance | None:
    """The first imbalance over several payments, in order, or None when all balance."""
    for payment in payments:
        problem = payment_imbalance(payment)
        if problem:
            return problem
    return None


def check_835(text: str | bytes) -> Imbalance | None:
    """Read an 835 interchange and return its first imbalance, or None when it balances."""
    from simulator.x12.remit835 import read_835  # the reader imports this module's checks

    return first_imbalance(read_835(text))
