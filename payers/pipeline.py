"""The adjudication pipeline: run a profile's steps in order, then build the decision.

Pure: the claim, the received date, the ledger and an optional random stream go in; a
:class:`~simulator.models.ClaimAdjudication` and the ledger changes it implies come out.
The decision's pydantic models are built once, at the end.
"""

from __future__ import annotations

from datetime import date, timedelta

from payers.ledger import DecisionRecord
from payers.records import adjustment, claim_adjudication, line_adjudication
from payers.rules import STEPS
from payers.rules.duplicate import history_key
from payers.work import Adj, ClaimWork, LineWork
from simulator.models import ClaimStatus, LineAdjudication

__all__ = ["finish", "run_steps"]


def run_steps(work: ClaimWork) -> list[str]:
    """Run the profile's steps in order; return the rule ids that fired, first-seen order."""
    fired: dict[str, None] = {}
    for name in work.profile.steps:
        for adj in STEPS[name](work):
            fired.setdefault(adj.rule, None)
        if work.pend_rule is not None:
            fired.setdefault(work.pend_rule, None)
            break
    return list(fired)


def _line(work: ClaimWork, line: LineWork) -> LineAdjudication:
    service = line.line
    adjs = list(line.adjs)
    allowed, units_paid, status = line.allowed, line.units, ClaimStatus.PAID
    if line.denial is not None:
        line.denial.amount = line.remaining
        adjs.append(line.denial)
        allowed, units_paid, status = 0, 0, ClaimStatus.DENIED
    elif work.pend_rule is not None:
        adjs.append(Adj("CO", "252", line.remaining, ("N704",), work.pend_rule))
        allowed, units_paid, status = 0, 0, ClaimStatus.PENDED
    elif line.units < service.units:
        status = ClaimStatus.PARTLY_PAID
    paid = service.charge - sum(a.amount for a in adjs)
    rarcs: dict[str, None] = {}
    for adj in adjs:
        rarcs.update(dict.fromkeys(adj.rarcs))
    return line_adjudication(
        {
            "line_number": service.line_number,
            "procedure_code": service.procedure_code,
            "modifiers": service.modifiers,
            "units": service.units,
            "units_paid": units_paid,
            "service_date": service.service_date,
            "billed": service.charge,
            "allowed": allowed,
            "paid": paid,
            "adjustments": tuple(
                adjustment(a.group, a.carc, a.amount, a.rarcs, a.rule, a.quantity) for a in adjs
            ),
            "rarcs": tuple(rarcs),
            "status": status,
        }
    )


def _claim_status(work: ClaimWork, lines: list[LineAdjudication]) -> ClaimStatus:
    if work.pend_rule is not None:
        return ClaimStatus.PENDED
    denied = sum(1 for line in lines if line.status == ClaimStatus.DENIED)
    if denied == len(lines):
        return ClaimStatus.DENIED
    if denied or any(line.status == ClaimStatus.PARTLY_PAID for line in lines):
        return ClaimStatus.PARTLY_PAID
    return ClaimStatus.PAID


def _credits(work: ClaimWork) -> tuple[tuple[tuple[str, str, int], int, int], ...]:
    if work.pend_rule is not None:
        return ()
    coverage = work.claim.coverage
    totals: dict[tuple[str, str, int], list[int]] = {}
    for line in work.open_lines():
        key = (coverage.plan_id, coverage.member_id, line.line.service_date.year)
        for adj in line.adjs:
            if adj.group == "PR" and adj.carc in ("1", "2", "3"):
                slot = totals.setdefault(key, [0, 0])
                slot[0] += adj.amount if adj.carc == "1" else 0
                slot[1] += adj.amount
    return tuple((key, d, o) for key, (d, o) in totals.items() if d or o)


def finish(work: ClaimWork, payer_claim_number: str, decided: date, fired: list[str]) -> DecisionRecord:
    """Build the decision and the ledger record (credits, history) it implies."""
    claim = work.claim
    lines = [_line(work, line) for line in work.lines]
    pended = work.pend_rule is not None
    due = decided + timedelta(days=work.profile.documentation.due_days) if pended else None
    adjudication = claim_adjudication(
        {
            "claim_id": claim.claim_id,
            "payer_id": work.profile.name,
            "payer_claim_number": payer_claim_number,
            "status": _claim_status(work, lines),
            "frequency": claim.frequency,
            "received_date": work.received,
            "decided_date": decided,
            "billed": sum(line.billed for line in lines),
            "allowed": sum(line.allowed for line in lines),
            "paid": sum(line.paid for line in lines),
            "interest": 0,
            "lines": tuple(lines),
            "claim_adjustments": (),
            "rarcs": ("N704",) if pended else (),
            "rules_fired": tuple(fired),
            "draws": tuple(work.draws),
            "reverses": None,
            "replaced_by": None,
            "documentation_due": due,
            "coordination_order": min(3, len(claim.other_payers) + 1),
        }
    )
    keys = tuple(history_key(claim, line) for line in work.open_lines())
    return DecisionRecord(claim, work.received, adjudication, _credits(work), keys)
