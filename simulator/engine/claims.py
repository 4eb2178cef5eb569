"""Actors of a claim's life up to the payer's answer: check-in, coding, scrubbing, submission.

Each function is a short simpy generator step (``yield from`` it) or a plain function. Random
draws come from named streams keyed by the claim, so a policy change does not move them.
"""

from __future__ import annotations

from simulator.engine.state import ClaimState
from simulator.eventlog import EventKind

__all__ = ["check_in", "code_visit", "correct", "fix_claim", "scrub", "send", "submit_to_payer"]

_SCRUB_KIND = {"missing_address": "missing_data", "syntax_error": "missing_data"}
_DELIMITERS = frozenset("*~:^")


def check_in(world, visit):
    """The visit: coverage may have changed (payer roster); the front desk may verify it."""
    person = world.panel.person(visit.person)
    rng = world.streams.stream("registration", visit.claim_id)
    rates = world.scenario.coding.defect_rates | world.scenario.coding.by_payer.get(person.payer, {})
    if rng.random() < rates.get("eligibility", 0.0):
        world.panel.change_coverage(person, world.log.today(), rng)
    verified = world.eligibility.verifies(rng.random())
    if verified:
        person.on_file = person.actual
    desk = world.desks[person.on_file.payer_id]
    group = world.scenario.providers[visit.group]
    world.emit(
        EventKind.VISIT,
        visit.claim_id,
        actor=f"provider:{visit.group}.{visit.provider}",
        payer=desk.name,
        payer_type=desk.payer_type,
        detail=group.specialty,
        rule="eligibility_verified" if verified else "",
    )
    return person


def _rebuild(world, st, coverage, defect: str):
    rng = world.streams.stream("coding", st.claim_id)
    rng.random()
    day = world.log.date_of(st.service_day)
    return world.coder.code(st.claim_id, st.group, day, st.person, coverage, defect, rng)


def code_visit(world, visit, person) -> ClaimState:
    """Coding: the claim for the visit, with the defect its coding draw lands on."""
    coverage = person.on_file
    desk = world.desks[coverage.payer_id]
    rng = world.streams.stream("coding", visit.claim_id)
    draw = rng.random()
    defect = world.coder.defect(desk.name, draw)
    day = world.log.date_of(visit.day)
    claim, defect = world.coder.code(visit.claim_id, visit.group, day, person, coverage, defect, rng)
    world.coder.authorize(claim, desk, defect)
    st = ClaimState(visit.claim_id, person, desk.name, claim, defect, world.env.now)
    st.service_day = visit.day
    st.group = visit.group
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
        rule=defect,
        stream="coding",
        draw=draw,
    )
    return st


def fix_claim(world, st, what: str) -> int:
    """Correct ``what`` (a defect, or ``eligibility``) in place; return the drop in billed charge."""
    old = st.claim.total_charge
    if what == "eligibility":
        st.claim, _ = _rebuild(world, st, st.person.actual, "")
        st.payer = st.claim.coverage.payer_id
        world.coder.authorize(st.claim, world.desks[st.payer], "", window=(0, 0))
    elif what == "prior_auth":
        claim = st.claim
        day = claim.first_service_date
        codes = sorted({line.procedure_code for line in claim.lines})
        world.desks[st.payer].ledger.add_authorization(
            claim.coverage.member_id,
            f"R{claim.claim_id}",
            codes,
            day,
            day,
        )
    else:
        st.claim, _ = _rebuild(world, st, st.claim.coverage, "")
    st.defect = ""
    return old - st.claim.total_charge


def correct(world, st, what: str, cost: int = 0, hours: float = 0.0):
    """A biller corrects ``what`` on the claim (staff time); a charge that drops is adjusted off."""
    more_cost, more_hours = yield from world.work(st, "correct", world.scenario.staff.minutes.correct)
    replacing = bool(st.pcn) and what != "eligibility"
    delta = fix_claim(world, st, what)
    if replacing:
        st.pending += delta
    else:
        st.take(adjusted=delta)
    desk = world.desks[st.payer]
    world.emit(
        EventKind.CORRECTED,
        st.claim_id,
        actor="biller",
        payer=desk.name,
        payer_type=desk.payer_type,
        order=st.order,
        attempt=st.attempt,
        adjusted=0 if replacing else delta,
        balance=st.balance,
        patient_balance=st.patient_balance,
        cost=cost + more_cost,
        hours=hours + more_hours,
        rule=what,
        detail=("charge_correction_with_reversal" if replacing else "charge_correction") if delta else "",
    )


def scrub(world, st):
    """The scrubber's edits (a policy); a caught defect costs a correction before submission."""
    kind = _SCRUB_KIND.get(st.defect, st.defect)
    draw = world.streams.draw("scrub", st.claim_id) if kind else 0.0
    caught = bool(kind) and world.scrubbing.catches(kind, draw)
    world.emit(
        EventKind.SCRUBBED,
        st.claim_id,
        actor="scrubber",
        payer=st.payer,
        order=1,
        payer_type=world.desks[st.payer].payer_type,
        rule=st.defect if caught else "",
        stream="scrub" if kind else "",
        draw=draw,
        balance=st.balance,
    )
    if caught:
        yield from correct(world, st, st.defect)


def send(world, st, kind: EventKind = EventKind.SUBMITTED):
    """Wait for the day's clearinghouse batch, then the 999 and 277CA; return True when accepted."""
    yield world.batch
    desk = world.desks[st.claim.coverage.payer_id]
    common = dict(
        actor="clearinghouse",
        payer=desk.name,
        payer_type=desk.payer_type,
        order=st.order,
        attempt=st.attempt,
        balance=st.balance,
    )
    world.emit(kind, st.claim_id, ref=f"B{int(world.env.now):05d}", billed=st.claim.total_charge, **common)
    st.received = world.log.today()
    yield world.env.timeout(world.scenario.clearinghouse.ack_hours / 24)
    patient = st.claim.patient
    if _DELIMITERS.intersection(patient.first_name + patient.last_name):
        world.emit(
            EventKind.REJECTED_999,
            st.claim_id,
            rule="syntax.delimiter_in_element",
            detail="IK5*R a name element holds an X12 delimiter",
            **common,
        )
        return False
    if patient.address is None:
        world.emit(
            EventKind.REJECTED_277CA,
            st.claim_id,
            rule="front_end.patient_address",
            carc="16",
            category="missing_invalid_data",
            detail="A7 patient address missing",
            **common,
        )
        return False
    world.emit(EventKind.ACCEPTED, st.claim_id, detail="A1", **common)
    return True


def submit_to_payer(world, st):
    """The payer receives the claim: -> (entries, remittance time), or (None, inf) when it was lost."""
    desk = world.desks[st.claim.coverage.payer_id]
    key = f"{desk.name}/{st.claim_id}/{st.attempt}"
    if world.streams.draw("clearinghouse", key) < world.scenario.clearinghouse.lost_rate:
        return None, float("inf")
    payer = desk.at(st.received)
    decided = payer.decision_date(st.received, world.streams.stream("payer_lag", key))
    entries = payer.adjudicate(
        st.claim,
        st.received,
        desk.ledger,
        world.streams.stream("payer", key),
        decided=decided,
        stream="payer",
    )
    pay = payer.payment_date(decided, st.received)
    if world.x12 is not None:
        world.x12.received(desk, st.claim, st.received, entries)
        world.x12.paid(desk, st.claim, entries, pay)
    return entries, world.log.day_of(pay) + 0.3
