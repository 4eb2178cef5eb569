"""The processes of a run: providers seeing patients, the clearinghouse's daily batches, and
each claim's life from visit to close."""

from __future__ import annotations

import math
from typing import NamedTuple

from simulator.engine.claims import check_in, code_visit, correct, scrub, send, submit_to_payer
from simulator.engine.denials import insurance_open, work_denial, write_off
from simulator.engine.patients import bill_patient
from simulator.engine.remittance import post, record_secondary
from simulator.engine.state import ClaimState
from simulator.eventlog import EventKind
from simulator.models import ClaimStatus, DocumentationResponse, Frequency, OtherPayer
from simulator.scenario import WEEKDAYS

__all__ = ["Visit", "claim_life", "run_batches", "see_patients"]


class Visit(NamedTuple):
    """A scheduled visit: who, with which provider, when."""

    claim_id: str
    group: int
    provider: int
    day: int
    person: int
    at: float


def _poisson(rng, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def see_patients(world):
    """Providers' days: each provider's visits drawn from its own stream for that day."""
    scenario = world.scenario
    for day in range(scenario.horizon_days):
        weekday = WEEKDAYS[world.log.date_of(day).weekday()]
        for g, group in enumerate(scenario.providers):
            mean = group.visits_per_day[weekday]
            for p in range(group.count if mean > 0 else 0):
                rng = world.streams.stream("arrivals", f"{g}.{p}.{day}")
                count = _poisson(rng, mean)
                for k in range(count):
                    person = rng.randrange(scenario.patients.size)
                    at = day + (8 + 9 * (k + 0.5) / count) / 24
                    visit = Visit(f"C{day:04d}{g:02d}{p:03d}{k:02d}", g, p, day, person, at)
                    world.env.process(claim_life(world, visit))
                    world.visits += 1
        yield world.env.timeout(1)


def run_batches(world):
    """The clearinghouse sends the day's batch at its batch hour."""
    hour = world.scenario.clearinghouse.batch_hour / 24
    yield world.env.timeout(hour)
    while True:
        batch, world.batch = world.batch, world.env.event()
        batch.succeed()
        yield world.env.timeout(1)


def claim_life(world, visit: Visit):
    """One visit's claim from the visit to close."""
    yield world.wait_until(visit.at)
    person = check_in(world, visit)
    yield world.env.timeout(_coding_lag(world, visit))
    st = code_visit(world, visit, person)
    yield from scrub(world, st)
    yield from pursue_primary(world, st)
    yield from pursue_secondary(world, st)
    yield from bill_patient(world, st)
    close(world, st)


def _coding_lag(world, visit: Visit) -> float:
    coding = world.scenario.coding
    if not coding.late_chart_rate:
        return coding.lag_days
    rng = world.streams.stream("charting", visit.claim_id)
    if rng.random() < coding.late_chart_rate:
        low, high = coding.late_chart_days
        return low + (high - low) * rng.random()
    return coding.lag_days


def pursue_primary(world, st):
    """Submit, wait, post, work denials and resubmit until the primary payer's part is settled."""
    kind = EventKind.SUBMITTED
    while True:
        if not (yield from send(world, st, kind)):
            yield from correct(world, st, st.defect or "missing_data")
            st.attempt += 1
            kind = EventKind.RESUBMITTED
            continue
        answer = yield from wait_for_answer(world, st)
        if answer is None:
            st.attempt += 1
            kind = EventKind.RESUBMITTED
            continue
        status = answer
        if status == ClaimStatus.PAID.value and st.defect == "duplicate" and st.attempt == 1:
            world.env.process(duplicate_copy(world, st))
        if insurance_open(st) <= 0:
            return
        if not (yield from work_denial(world, st)):
            return
        _prepare_resubmission(world, st)
        kind = EventKind.RESUBMITTED


def _prepare_resubmission(world, st) -> None:
    st.attempt += 1
    if (
        st.pcn
        and world.desks[st.payer].ledger.decisions.get(st.pcn) is not None
        and st.claim.coverage.payer_id == st.decision.payer_id
    ):
        st.claim = st.claim.model_copy(
            update={"frequency": Frequency.REPLACEMENT, "payer_claim_number": st.pcn}
        )
    else:
        st.claim = st.claim.model_copy(update={"frequency": Frequency.ORIGINAL, "payer_claim_number": None})
        st.pcn = ""


def wait_for_answer(world, st):
    """Wait for the remittance, with status inquiries by the follow-up policy; post it.

    Returns the decision's status, or None when an inquiry found the claim was never received.
    """
    sent = world.env.now
    entries, remit_at = submit_to_payer(world, st)
    while True:
        wait = world.follow_up.inquiry_after(world.env.now - sent)
        if wait is None or world.env.now + wait >= remit_at:
            if remit_at == math.inf:
                yield world.env.event()
            yield world.wait_until(remit_at)
            return (yield from _post_remittance(world, st, entries))
        yield world.env.timeout(wait)
        yield from _status_inquiry(world, st, world.env.now - sent, entries is not None)
        if entries is None:
            return None


def _status_inquiry(world, st, waited: float, on_record: bool):
    """A biller asks the payer about a claim with no answer (staff time)."""
    cost, hours = yield from world.work(st, "status_inquiry", world.scenario.staff.minutes.status_inquiry)
    desk = world.desks[st.claim.coverage.payer_id]
    world.emit(
        EventKind.STATUS_INQUIRY,
        st.claim_id,
        actor="biller",
        payer=desk.name,
        payer_type=desk.payer_type,
        order=st.order,
        attempt=st.attempt,
        cost=cost,
        hours=hours,
        detail=f"{waited:.0f}",
        balance=st.balance,
        rule="in_process" if on_record else "no_record",
    )


def _post_remittance(world, st, entries):
    """Post the remittance's entries (staff time), then answer documentation requests."""
    st.payer = st.claim.coverage.payer_id
    desk = world.desks[st.payer]
    cost, hours = yield from world.work(st, "post", world.scenario.staff.minutes.post)
    status = ""
    for entry in entries:
        status = post(world, st, desk, entry, cost, hours)
        cost, hours = 0, 0.0
    st.decision = entries[-1]
    while status == ClaimStatus.PENDED.value:
        status = yield from send_records(world, st, desk)
    return status


def send_records(world, st, desk):
    """Answer the primary's documentation request; post the decision made on the records."""
    entries = yield from answer_records(world, st, desk, st.decision)
    status = ""
    for entry in entries:
        status = post(world, st, desk, entry)
    st.decision = entries[-1]
    return status


def answer_records(world, st, desk, pended):
    """Send the records the ``pended`` decision asks for (staff time); the payer decides on them.

    Returns the payer's entries once their payment run has come. Whether the records support the
    service is drawn once per claim and attempt: a secondary payer asking for them gets the same
    records, so the same answer.
    """
    due = pended.documentation_due
    deadline = world.log.day_of(due) + 0.99 if due else math.inf
    cost, hours = yield from world.work(
        st, "documentation", world.scenario.staff.minutes.documentation, deadline
    )
    quality = world.scenario.coding.documentation_quality
    if st.defect == "documentation":
        quality *= world.scenario.coding.poor_documentation_factor
    draw = world.streams.draw("records", f"{st.claim_id}/{st.attempt}")
    today = world.log.today()
    world.emit(
        EventKind.DOCUMENTATION_SENT,
        st.claim_id,
        actor="biller",
        payer=desk.name,
        payer_type=desk.payer_type,
        order=st.order,
        attempt=st.attempt,
        ref=pended.payer_claim_number,
        cost=cost,
        hours=hours,
        stream="records",
        draw=draw,
        balance=st.balance,
        detail="late" if world.env.now > deadline else "",
    )
    payer = desk.at(st.received)
    response = DocumentationResponse(
        payer_claim_number=pended.payer_claim_number, sent_date=today, supports_service=draw < quality
    )
    key = f"{desk.name}/{st.claim_id}/{st.attempt}/records"
    decided = payer.decision_date(today, world.streams.stream("payer_lag", key))
    entries = payer.receive_documentation(
        response, desk.ledger, world.streams.stream("payer", key), decided=decided
    )
    pay = payer.payment_date(decided, st.received)
    if world.x12 is not None:
        world.x12.paid(desk, st.claim, entries, pay)
    yield world.wait_until(world.log.day_of(pay) + 0.3)
    return entries


def pursue_secondary(world, st):
    """Bill the secondary payer with the primary's remittance for the patient's share."""
    person, primary = st.person, st.decision
    if person.secondary is None or st.patient_balance <= 0 or primary is None or insurance_open(st) > 0:
        return
    other = OtherPayer(
        payer_id=primary.payer_id,
        paid=primary.paid,
        allowed=primary.allowed,
        patient_responsibility=st.patient_balance,
        adjudication_date=primary.decided_date,
        line_adjustments=tuple((line.line_number, line.adjustments) for line in primary.lines),
    )
    st.claim = st.claim.model_copy(
        update={
            "coverage": person.secondary,
            "other_payers": (other,),
            "frequency": Frequency.ORIGINAL,
            "payer_claim_number": None,
        }
    )
    st.order, st.attempt = 2, 1
    if not (yield from send(world, st, EventKind.SECONDARY_SUBMITTED)):
        return
    entries, remit_at = submit_to_payer(world, st)
    if entries is None:
        return
    yield world.wait_until(remit_at)
    desk = world.desks[person.secondary.payer_id]
    entry = entries[-1]
    record_secondary(world, st, desk, entry)
    while entry.status == ClaimStatus.PENDED:
        entry = (yield from answer_records(world, st, desk, entry))[-1]
        record_secondary(world, st, desk, entry)
    _post_secondary(world, st, desk, entry)


def _post_secondary(world, st, desk, entry) -> None:
    """Move the secondary's payment off the patient's share; a denial leaves the share with the
    patient (its decision is in the log)."""
    if entry.status not in (ClaimStatus.PAID, ClaimStatus.PARTLY_PAID):
        return
    share = st.patient_balance
    paid = min(entry.paid, share)
    patient = min(entry.patient_responsibility, share - paid)
    adjusted = share - paid - patient
    st.take(paid=paid, adjusted=adjusted)
    st.patient_balance = patient
    st.paid_secondary += paid
    world.emit(
        EventKind.PAID,
        st.claim_id,
        actor="biller",
        payer=desk.name,
        payer_type=desk.payer_type,
        order=2,
        attempt=st.attempt,
        ref=entry.payer_claim_number,
        billed=entry.billed,
        allowed=entry.allowed,
        paid=paid,
        adjusted=adjusted,
        patient=patient,
        codes=entry.carcs,
        balance=st.balance,
        patient_balance=st.patient_balance,
        detail=entry.status.value,
    )


def duplicate_copy(world, original):
    """The same claim sent a second time by mistake: the payer's duplicate check denies it."""
    claim_id = original.claim_id + "D"
    claim = original.claim.model_copy(update={"claim_id": claim_id})
    st = ClaimState(claim_id, original.person, original.payer, claim, "duplicate", world.env.now)
    st.service_day, st.group = original.service_day, original.group
    return _duplicate_life(world, st)


def _duplicate_life(world, st):
    desk = world.desks[st.payer]
    world.open[st.claim_id] = st
    world.emit(
        EventKind.CLAIM_CREATED,
        st.claim_id,
        actor="coder",
        payer=desk.name,
        payer_type=desk.payer_type,
        order=1,
        billed=st.billed,
        balance=st.balance,
        rule="duplicate",
    )
    yield world.env.timeout(3)
    if (yield from send(world, st)) and (yield from wait_for_answer(world, st)) is not None:
        if insurance_open(st) > 0 and st.last_carc == "18":
            st.take(adjusted=insurance_open(st))
            world.emit(
                EventKind.CORRECTED,
                st.claim_id,
                actor="biller",
                payer=desk.name,
                payer_type=desk.payer_type,
                adjusted=st.billed,
                balance=st.balance,
                rule="duplicate_voided",
                carc="18",
                category="duplicate",
            )
        elif insurance_open(st) > 0:
            write_off(world, st, "duplicate_copy", carc=st.last_carc)
    yield from bill_patient(world, st)
    close(world, st)


def close(world, st) -> None:
    """Close a settled claim, keep its row for the claims table and drop its heavy state."""
    world.emit(
        EventKind.CLOSED,
        st.claim_id,
        actor="system",
        payer=st.payer,
        payer_type=world.desks[st.payer].payer_type,
        balance=st.balance,
        detail=_final_state(st),
    )
    st.state = _final_state(st)
    world.closed.append(claim_row(world, st))
    del world.open[st.claim_id]
    st.release()


def _final_state(st) -> str:
    if st.balance:
        return "open"
    if st.written_off and not (st.paid_payers or st.paid_secondary or st.paid_patient):
        return "written_off"
    if st.paid_payers or st.paid_secondary or st.paid_patient:
        return "paid"
    return "adjusted"


def claim_row(world, st) -> tuple:
    """One row of the claims table for ``st``."""
    return (
        st.claim_id,
        st.payer,
        world.desks[st.payer].payer_type,
        world.log.date_of(st.service_day),
        world.log.today() if st.state != "open" else None,
        st.state if st.state != "open" else _final_state(st),
        st.attempt,
        st.billed,
        st.paid_payers,
        st.paid_secondary,
        st.paid_patient,
        st.adjusted,
        st.written_off,
        st.balance,
        st.patient_balance,
    )
