"""Lean per-claim state kept while a claim is open, and the money ledger that moves with it."""

from __future__ import annotations

__all__ = ["ClaimState"]


class ClaimState:
    """One claim's running state; its heavy objects are dropped when it closes."""

    __slots__ = (
        "adjusted",
        "attempt",
        "balance",
        "billed",
        "claim",
        "claim_id",
        "created",
        "decision",
        "defect",
        "group",
        "last_carc",
        "order",
        "paid_patient",
        "paid_payers",
        "paid_secondary",
        "patient_balance",
        "payer",
        "pcn",
        "pending",
        "person",
        "received",
        "service_day",
        "state",
        "written_off",
    )

    def __init__(self, claim_id: str, person, payer: str, claim, defect: str, created: float) -> None:
        self.claim_id = claim_id
        self.person = person
        self.payer = payer
        self.claim = claim
        self.defect = defect
        self.created = created
        self.service_day = int(created)
        self.billed = claim.total_charge
        self.balance = claim.total_charge
        self.patient_balance = 0
        self.paid_payers = 0
        self.paid_patient = 0
        self.adjusted = 0
        self.written_off = 0
        self.attempt = 1
        self.order = 1
        self.pcn = ""
        self.pending = 0
        self.paid_secondary = 0
        self.group = 0
        self.decision = None
        self.received = None
        self.last_carc = ""
        self.state = "open"

    def take(self, paid: int = 0, adjusted: int = 0, written_off: int = 0) -> None:
        """Move money off the open balance (payer or patient cash, adjustments, write-offs)."""
        self.balance -= paid + adjusted + written_off
        self.adjusted += adjusted
        self.written_off += written_off

    def release(self) -> None:
        """Drop the heavy objects of a closed claim."""
        self.claim = None
        self.person = None
        self.decision = None
