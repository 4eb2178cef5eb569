"""Deterministic outcomes chosen by a prefix on the subscriber's member id, for test suites.

In the spirit of clearinghouse test payers, a member id that starts with one of these prefixes
forces what happens to the claim, whatever the payer's rules would say:

=====================  ==========================================================================
``PSPAID_``            paid in full (allowed = billed, no patient share)
``PSPARTIAL_``         partly paid: 20% CO-45 contractual, 20% of the allowed amount PR-2
                       coinsurance, the rest paid
``PSDENY<carc>_``      denied, every line ``CO-<carc>`` (``PSDENY197_`` = no prior authorization)
``PSPEND_``            pended for documentation (CO-252 on each line); answered with records that
                       support the service it is paid in full, otherwise denied CO-50; left
                       unanswered until the due date it is denied CO-252
``PSINACTIVE_``        not enrolled: eligibility says inactive and claims deny CO-27
=====================  ==========================================================================

An appeal of a triggered denial is overturned and paid in full. Timing (decision lag, payment
run) still follows the payer's profile. Without a prefix, the payer's rules decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from simulator.codes import carc_codes
from simulator.models import (
    Adjustment,
    Claim,
    ClaimAdjudication,
    ClaimStatus,
    GroupCode,
    LineAdjudication,
    ServiceLine,
)
from simulator.money import percent_of

__all__ = [
    "Trigger",
    "find_trigger",
    "triggered_decision",
    "triggered_documentation",
    "triggered_overturn",
]

_PATTERN = re.compile(r"^PS(PAID|PARTIAL|PEND|INACTIVE|DENY(\d{1,3}))_")


@dataclass(frozen=True)
class Trigger:
    """A forced outcome: ``paid``, ``partial``, ``pend``, ``inactive`` or ``deny`` with a CARC."""

    outcome: str
    carc: str | None = None

    @property
    def label(self) -> str:
        """A short name such as ``deny:197``."""
        return f"{self.outcome}:{self.carc}" if self.carc else self.outcome


def find_trigger(member_id: str) -> Trigger | None:
    """The trigger a member id carries, or None (an unknown CARC after PSDENY is no trigger)."""
    match = _PATTERN.match(member_id.upper())
    if not match:
        return None
    if match.group(2):
        carc = str(int(match.group(2)))
        return Trigger("deny", carc) if carc in carc_codes() else None
    return Trigger(match.group(1).lower())


def _line(
    line: ServiceLine, paid: int, allowed: int, adjustments: tuple[Adjustment, ...], status: ClaimStatus
):
    return LineAdjudication(
        line_number=line.line_number,
        procedure_code=line.procedure_code,
        modifiers=line.modifiers,
        units=line.units,
        units_paid=line.units if paid else 0,
        service_date=line.service_date,
        billed=line.charge,
        allowed=allowed,
        paid=paid,
        adjustments=adjustments,
        status=status,
    )


def _adjust(carc: str, amount: int, group: GroupCode = GroupCode.CONTRACTUAL) -> tuple[Adjustment, ...]:
    return (Adjustment(group=group, carc=carc, amount=amount, rule=f"trigger:{carc}"),) if amount else ()


def _entry(claim: Claim, payer: str, number: str, received: date, decided: date, lines, status, rule):
    return ClaimAdjudication(
        claim_id=claim.claim_id,
        payer_id=payer,
        payer_claim_number=number,
        status=status,
        frequency=claim.frequency,
        received_date=received,
        decided_date=decided,
        billed=sum(line.billed for line in lines),
        allowed=sum(line.allowed for line in lines),
        paid=sum(line.paid for line in lines),
        lines=tuple(lines),
        rules_fired=(rule,),
    )


def _paid_in_full(claim: Claim, payer: str, number: str, received: date, decided: date, rule: str):
    lines = [_line(line, line.charge, line.charge, (), ClaimStatus.PAID) for line in claim.lines]
    return _entry(claim, payer, number, received, decided, lines, ClaimStatus.PAID, rule)


def _denied(claim: Claim, payer: str, number: str, received: date, decided: date, carc: str, rule: str):
    lines = [_line(line, 0, 0, _adjust(carc, line.charge), ClaimStatus.DENIED) for line in claim.lines]
    return _entry(claim, payer, number, received, decided, lines, ClaimStatus.DENIED, rule)


def _partial(claim: Claim, payer: str, number: str, received: date, decided: date):
    lines = []
    for line in claim.lines:
        allowed = line.charge - percent_of(line.charge, 20)
        coinsurance = percent_of(allowed, 20)
        adjustments = _adjust("45", line.charge - allowed) + _adjust("2", coinsurance, GroupCode.PATIENT)
        lines.append(_line(line, allowed - coinsurance, allowed, adjustments, ClaimStatus.PARTLY_PAID))
    return _entry(claim, payer, number, received, decided, lines, ClaimStatus.PARTLY_PAID, "trigger:partial")


def triggered_decision(
    trigger: Trigger, claim: Claim, payer: str, number: str, received: date, decided: date, due: date
) -> ClaimAdjudication:
    """The forced decision on ``claim`` (``due`` is the documentation due date of a pend)."""
    if trigger.outcome == "paid":
        return _paid_in_full(claim, payer, number, received, decided, "trigger:paid")
    if trigger.outcome == "partial":
        return _partial(claim, payer, number, received, decided)
    if trigger.outcome == "inactive":
        return _denied(claim, payer, number, received, decided, "27", "trigger:inactive")
    if trigger.outcome == "pend":
        pended = _denied(claim, payer, number, received, decided, "252", "trigger:pend")
        lines = tuple(line.model_copy(update={"status": ClaimStatus.PENDED}) for line in pended.lines)
        return pended.model_copy(
            update={
                "status": ClaimStatus.PENDED,
                "lines": lines,
                "documentation_due": due,
                "rarcs": ("M127",),
            }
        )
    return _denied(
        claim, payer, number, received, decided, trigger.carc or "16", f"trigger:deny{trigger.carc}"
    )


def triggered_documentation(
    claim: Claim, payer: str, number: str, received: date, decided: date, supports: bool | None
) -> ClaimAdjudication:
    """The decision on a triggered pend once records arrive (``supports``) or never do (None)."""
    if supports:
        return _paid_in_full(claim, payer, number, received, decided, "trigger:documentation")
    carc = "252" if supports is None else "50"
    return _denied(claim, payer, number, received, decided, carc, "trigger:documentation")


def triggered_overturn(
    claim: Claim, payer: str, number: str, received: date, decided: date
) -> ClaimAdjudication:
    """The new decision when an appeal of a triggered denial is overturned: paid in full."""
    return _paid_in_full(claim, payer, number, received, decided, "trigger:appeal")
