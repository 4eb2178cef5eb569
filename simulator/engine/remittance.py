"""Remittance posting: an adjudication entry moves money on the claim and goes to the event log.

Each adjustment is classed once: ``PR`` moves to the patient's share; a denial CARC (one whose
category is a denial reason) stays open on the claim while the denial is worked; every other
adjustment (contractual CO-45, prior payer OA-23, sequestration CO-253...) leaves the balance.
A reversal entry carries the same classes negated, so a correction or an overturn undoes
exactly what was posted before.

A secondary payer's decision is recorded the same way (:func:`record_secondary`), but its money
moves only the patient's share; the claim's life posts it (``lifecycle``).
"""

from __future__ import annotations

from simulator.codes import DENIAL_CATEGORIES, carc_category
from simulator.eventlog import EventKind
from simulator.models import ClaimAdjudication, ClaimStatus, GroupCode

__all__ = ["post", "record_secondary"]

_DENIAL = frozenset(DENIAL_CATEGORIES)


def _read(entry: ClaimAdjudication) -> tuple[int, int, int, str, str]:
    """(adjusted, patient, denied, CARC, rule) of ``entry`` in one pass over its adjustments."""
    adjusted = patient = denied = 0
    best = None
    for adjustment in entry.adjustments:
        amount = adjustment.amount
        if adjustment.group == GroupCode.PATIENT:
            patient += amount
        elif carc_category(adjustment.carc) in _DENIAL:
            denied += amount
            if amount > 0 and (best is None or amount > best.amount):
                best = adjustment
        else:
            adjusted += amount
    return adjusted, patient, denied, *((best.carc, best.rule) if best else ("", ""))


def _record_decision(
    world, st, desk, entry: ClaimAdjudication, carc: str, rule: str, codes, category
) -> None:
    draw = entry.draws[0] if entry.draws else None
    world.emit(
        EventKind.ADJUDICATED,
        st.claim_id,
        actor=desk.actor,
        payer=desk.name,
        payer_type=desk.payer_type,
        order=st.order,
        attempt=st.attempt,
        ref=entry.payer_claim_number,
        billed=entry.billed,
        allowed=entry.allowed,
        codes=codes,
        rarcs=entry.rarcs,
        carc=carc,
        category=category,
        rule=rule or ",".join(entry.rules_fired),
        stream=draw.stream if draw else "",
        draw=draw.value if draw else 0.0,
        detail=entry.status.value,
        balance=st.balance,
        patient_balance=st.patient_balance,
    )


def record_secondary(world, st, desk, entry: ClaimAdjudication) -> None:
    """Record a secondary payer's decision on claim ``st`` (and its documentation request)."""
    _, _, _, carc, rule = _read(entry)
    _record_decision(world, st, desk, entry, carc, rule, entry.carcs, carc_category(carc) if carc else "")
    if entry.status == ClaimStatus.PENDED:
        _pended(world, st, entry, _posting(st, desk, entry))


def _posting(st, desk, entry: ClaimAdjudication, cost: int = 0, hours: float = 0.0) -> dict:
    """The fields every event of the biller posting ``entry`` shares."""
    return dict(
        actor="biller",
        payer=desk.name,
        payer_type=desk.payer_type,
        order=st.order,
        attempt=st.attempt,
        ref=entry.payer_claim_number,
        cost=cost,
        hours=hours,
    )


def _pended(world, st, entry: ClaimAdjudication, common: dict) -> None:
    world.emit(
        EventKind.PENDED,
        st.claim_id,
        detail=str(entry.documentation_due),
        balance=st.balance,
        patient_balance=st.patient_balance,
        **common,
    )


def post(world, st, desk, entry: ClaimAdjudication, cost: int = 0, hours: float = 0.0) -> str:
    """Post ``entry`` on claim ``st``; return its status (paid, partly_paid, denied, pended, reversed)."""
    adjusted, patient, denied, carc, rule = _read(entry)
    codes = entry.carcs
    category = carc_category(carc) if carc else ""
    _record_decision(world, st, desk, entry, carc, rule, codes, category)
    status = entry.status
    common = _posting(st, desk, entry, cost, hours)
    if status == ClaimStatus.PENDED:
        _pended(world, st, entry, common)
        return status.value
    if status == ClaimStatus.REVERSED and st.pending:
        adjusted += st.pending
        st.pending = 0
    st.take(paid=entry.paid, adjusted=adjusted)
    st.patient_balance += patient
    st.paid_payers += entry.paid
    if st.order == 1 and status != ClaimStatus.REVERSED:
        st.pcn = entry.payer_claim_number
    if status == ClaimStatus.DENIED:
        st.last_carc = carc
        world.emit(
            EventKind.DENIED,
            st.claim_id,
            carc=carc,
            category=carc_category(carc),
            codes=codes,
            rarcs=entry.rarcs,
            rule=rule,
            balance=st.balance,
            patient_balance=st.patient_balance,
            **common,
        )
        return status.value
    if denied:
        st.last_carc = carc
    world.emit(
        EventKind.PAID,
        st.claim_id,
        paid=entry.paid,
        adjusted=adjusted,
        patient=patient,
        allowed=entry.allowed,
        billed=entry.billed,
        codes=codes,
        carc=carc,
        category=category,
        balance=st.balance,
        patient_balance=st.patient_balance,
        detail=status.value,
        **common,
    )
    return status.value
