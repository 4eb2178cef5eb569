"""Hand-built adjudications covering what an 835 must carry, for the remittance tests.

Each builder returns a :class:`~simulator.models.ClaimAdjudication` that balances (billed ==
paid + adjustments on every line and on the claim), shaped like the payer pipeline's output.
"""

from __future__ import annotations

from datetime import date

from simulator.models import (
    Adjustment,
    Claim,
    ClaimAdjudication,
    ClaimKind,
    ClaimStatus,
    Frequency,
    GroupCode,
    LineAdjudication,
)
from simulator.samples import sample_claim
from simulator.x12.remittance import Payer, RemitClaim, remit_claim

__all__ = [
    "DECIDED",
    "PAYER",
    "RECEIVED",
    "denied",
    "negate",
    "paid",
    "partly_paid",
    "remit",
    "reversal_and_correction",
    "sample_claim_for_tests",
    "secondary",
    "spread",
    "with_interest",
]

RECEIVED = date(2026, 3, 2)
DECIDED = date(2026, 3, 16)
PAYER = Payer(name="COMMERCIAL PPO", payer_id="60054", tin="061234567")


def _adj(group: GroupCode, carc: str, cents: int, *rarcs: str) -> Adjustment:
    return Adjustment(group=group, carc=carc, amount=cents, rarcs=tuple(rarcs), rule="fixture")


def _line(
    number: int, code: str, billed: int, paid: int, adjustments: list[Adjustment], **extra
) -> LineAdjudication:
    allowed = billed - sum(a.amount for a in adjustments if a.group == GroupCode.CONTRACTUAL)
    fields = dict(
        line_number=number,
        procedure_code=code,
        service_date=date(2026, 2, 20),
        billed=billed,
        allowed=allowed if paid or allowed != billed else 0,
        paid=paid,
        adjustments=tuple(adjustments),
        units=1,
        units_paid=1 if paid else 0,
        status=ClaimStatus.PAID if paid else ClaimStatus.DENIED,
    )
    return LineAdjudication(**(fields | extra))


def _claim(claim_id: str, number: str, lines: list[LineAdjudication], **extra) -> ClaimAdjudication:
    fields = dict(
        claim_id=claim_id,
        payer_id="commercial_ppo",
        payer_claim_number=number,
        status=ClaimStatus.PAID,
        received_date=RECEIVED,
        decided_date=DECIDED,
        billed=sum(line.billed for line in lines),
        allowed=sum(line.allowed for line in lines),
        paid=sum(line.paid for line in lines),
        lines=tuple(lines),
    )
    return ClaimAdjudication(**(fields | extra))


def paid(claim_id: str = "PCN001", number: str = "26075000001") -> ClaimAdjudication:
    """Two lines paid after a contractual write-down, a deductible and coinsurance."""
    lines = [
        _line(
            1,
            "99213",
            15000,
            6000,
            [_adj(GroupCode.CONTRACTUAL, "45", 5000), _adj(GroupCode.PATIENT, "2", 4000)],
        ),
        _line(
            2,
            "36415",
            3000,
            1000,
            [_adj(GroupCode.CONTRACTUAL, "45", 1000), _adj(GroupCode.PATIENT, "1", 1000)],
            modifiers=("25", "59"),
        ),
    ]
    return _claim(claim_id, number, lines)


def partly_paid(claim_id: str = "PCN002", number: str = "26075000002") -> ClaimAdjudication:
    """One line paid, one denied as bundled with a remark code."""
    lines = [
        _line(
            1,
            "99214",
            20000,
            12000,
            [_adj(GroupCode.CONTRACTUAL, "45", 5000), _adj(GroupCode.PATIENT, "3", 3000)],
        ),
        _line(2, "93000", 5000, 0, [_adj(GroupCode.CONTRACTUAL, "97", 5000, "M15")]),
    ]
    return _claim(claim_id, number, lines, status=ClaimStatus.PARTLY_PAID, rarcs=("MA01",))


def denied(claim_id: str = "PCN003", number: str = "26075000003") -> ClaimAdjudication:
    """A claim denied for missing prior authorization."""
    lines = [_line(1, "70553", 180000, 0, [_adj(GroupCode.CONTRACTUAL, "197", 180000, "N54")])]
    return _claim(claim_id, number, lines, status=ClaimStatus.DENIED, allowed=0)


def many_reasons(claim_id: str = "PCN004", number: str = "26075000004") -> ClaimAdjudication:
    """A line with eight patient-responsibility reasons: CAS must split into two segments."""
    reasons = [_adj(GroupCode.PATIENT, str(code), 100) for code in (1, 2, 3, 66, 122, 187, 201, 241)]
    lines = [_line(1, "99215", 30000, 29200, reasons)]
    return _claim(claim_id, number, lines)


def negate(decision: ClaimAdjudication, number: str) -> ClaimAdjudication:
    """The reversal entry of ``decision`` as the payer engine makes it: amounts, paid units and
    interest negated, status REVERSED, ``reverses`` set (``number`` is its own claim number)."""

    def flip(adjustments: tuple[Adjustment, ...]) -> tuple[Adjustment, ...]:
        return tuple(a.model_copy(update={"amount": -a.amount}) for a in adjustments)

    lines = tuple(
        line.model_copy(
            update={
                "billed": -line.billed,
                "allowed": -line.allowed,
                "paid": -line.paid,
                "units_paid": -line.units_paid,
                "adjustments": flip(line.adjustments),
                "status": ClaimStatus.REVERSED,
            }
        )
        for line in decision.lines
    )
    return decision.model_copy(
        update={
            "payer_claim_number": number,
            "status": ClaimStatus.REVERSED,
            "billed": -decision.billed,
            "allowed": -decision.allowed,
            "paid": -decision.paid,
            "interest": -decision.interest,
            "lines": lines,
            "claim_adjustments": flip(decision.claim_adjustments),
            "reverses": decision.payer_claim_number,
        }
    )


def reversal_and_correction(smaller: bool = False) -> list[ClaimAdjudication]:
    """A reversal of ``paid()`` and its replacement (frequency 7); ``smaller`` pays less."""
    original = paid("PCN010", "26070000010")
    reversal = negate(original, "26075000011")
    replacement = paid("PCN010", "26075000012")
    if smaller:
        line = replacement.lines[0]
        adjustments = (_adj(GroupCode.CONTRACTUAL, "45", 5000), _adj(GroupCode.PATIENT, "2", 9900))
        cheaper = line.model_copy(update={"paid": 100, "adjustments": adjustments})
        lines = (cheaper, replacement.lines[1])
        replacement = replacement.model_copy(update={"lines": lines, "paid": sum(x.paid for x in lines)})
    return [reversal, replacement.model_copy(update={"frequency": Frequency.REPLACEMENT})]


def secondary(claim_id: str = "PCN020", number: str = "26075000020") -> ClaimAdjudication:
    """A secondary payer's decision: the primary's payment as OA-23, a claim-level adjustment."""
    lines = [_line(1, "99213", 15000, 3000, [_adj(GroupCode.OTHER, "23", 12000)])]
    decision = _claim(claim_id, number, lines, coordination_order=2)
    return decision.model_copy(
        update={
            "billed": 16000,
            "claim_adjustments": (_adj(GroupCode.CONTRACTUAL, "45", 1000),),
        }
    )


def with_interest(claim_id: str = "PCN030", number: str = "26075000030") -> ClaimAdjudication:
    """A paid claim with late-payment interest (reported as PLB L6)."""
    return paid(claim_id, number).model_copy(update={"interest": 237})


def spread() -> list[ClaimAdjudication]:
    """Every kind of adjudication above, in remittance order."""
    return [
        paid(),
        partly_paid(),
        denied(),
        many_reasons(),
        *reversal_and_correction(),
        secondary(),
        with_interest(),
    ]


def sample_claim_for_tests(**overrides) -> Claim:
    """The sample claim with ``overrides`` (an institutional one gets a revenue code per line)."""
    if overrides.get("kind") == ClaimKind.INSTITUTIONAL:
        claim = sample_claim()
        overrides["lines"] = tuple(line.model_copy(update={"revenue_code": "0450"}) for line in claim.lines)
    return sample_claim(**overrides)


def remit(decisions: list[ClaimAdjudication]) -> list[RemitClaim]:
    """Remittance claims for ``decisions``, all billed by the sample provider for the sample patient."""
    claim = sample_claim()
    return [remit_claim(decision, claim) for decision in decisions]
