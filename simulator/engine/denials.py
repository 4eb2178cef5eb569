"""Denial work: triage (a policy), corrections, appeals through the payer's levels, write-offs."""

from __future__ import annotations

from simulator.codes import carc_category
from simulator.engine.remittance import post
from simulator.eventlog import EventKind
from simulator.models import Appeal, AppealOutcome
from simulator.policies.types import Action, DenialCase

__all__ = ["insurance_open", "work_denial", "write_off"]

_MAX_APPEALS = 4
_CORRECTABLE = {
    "coding": "coding",
    "missing_invalid_data": "missing_data",
    "medical_necessity": "medical_necessity",
    "other": "provider_enrollment",
}


def insurance_open(st) -> int:
    """What is still open on the claim beyond the patient's share (denied or unanswered)."""
    return st.balance - st.patient_balance


def write_off(world, st, rule: str, cost: int = 0, hours: float = 0.0, carc: str = "") -> None:
    """Write off the insurance part of the balance, saying why."""
    amount = insurance_open(st)
    st.take(written_off=amount)
    desk = world.desks[st.payer]
    world.emit(
        EventKind.WRITTEN_OFF,
        st.claim_id,
        actor="biller",
        payer=desk.name,
        payer_type=desk.payer_type,
        order=st.order,
        attempt=st.attempt,
        ref=st.pcn,
        written_off=amount,
        balance=st.balance,
        patient_balance=st.patient_balance,
        cost=cost,
        hours=hours,
        rule=rule,
        carc=carc,
        category=carc_category(carc) if carc else "",
    )


def _fix_for(world, st, category: str) -> str:
    """What a correction would fix for a denial of ``category`` on this claim, or ``""``."""
    if category == "eligibility_registration" and st.claim.coverage.member_id != st.person.actual.member_id:
        return "eligibility"
    if category == "prior_authorization" and st.defect == "prior_auth":
        draw = world.streams.draw("retro_auth", st.claim_id)
        return "prior_auth" if draw < world.scenario.coding.retro_auth_rate else ""
    wanted = _CORRECTABLE.get(category)
    if wanted and (st.defect == wanted or (wanted == "missing_data" and not st.defect)):
        return wanted
    return ""


def _case(world, st, desk, payer, level: int, fix: str) -> tuple[DenialCase, float]:
    carc = st.last_carc
    profile = payer.profile
    levels = profile.appeals.levels
    appealable = carc not in profile.appeals.not_appealable_carcs and level <= len(levels)
    deadline = float("inf")
    if appealable:
        deadline = world.log.day_of(payer.appeal_deadline(st.pcn, level, desk.ledger)) + 0.99
    minutes = world.scenario.staff.minutes
    category = carc_category(carc)
    rate = 0.0
    if appealable:
        step = levels[level - 1]
        rate = step.overturn_by_category.get(category, step.overturn_rate)
    case = DenialCase(
        carc=carc,
        category=category,
        amount=insurance_open(st),
        correctable=bool(fix),
        appealable=appealable,
        appeal_level=level,
        appeal_cost=round(minutes.appeal * world.cost_per_minute),
        overturn_rate=rate,
        days_to_deadline=deadline - world.env.now,
    )
    return case, deadline


def work_denial(world, st):
    """Work a denial until it is corrected (-> True: resubmit), recovered or written off (-> False)."""
    desk = world.desks[st.payer]
    payer = desk.at(st.received)
    level = filed = 1
    while insurance_open(st) > 0 and filed <= _MAX_APPEALS:
        fix = _fix_for(world, st, carc_category(st.last_carc))
        case, deadline = _case(world, st, desk, payer, level, fix)
        cost, hours = yield from world.work(
            st, "denial_review", world.scenario.staff.minutes.denial_review, deadline
        )
        action = world.triage.decide(case)
        if action == Action.CORRECT:
            from simulator.engine.claims import correct

            yield from correct(world, st, fix, cost, hours)
            return True
        if action == Action.WRITE_OFF:
            write_off(world, st, _write_off_rule(case), cost, hours, st.last_carc)
            return False
        outcome = yield from appeal(world, st, desk, payer, level, deadline, cost, hours)
        if outcome in (AppealOutcome.REFUSED_LATE, AppealOutcome.REFUSED_NOT_APPEALABLE):
            write_off(world, st, f"appeal_{outcome.value}", carc=st.last_carc)
            return False
        level = level + 1 if outcome == AppealOutcome.UPHELD else 1
        filed += 1
    if insurance_open(st) > 0:
        write_off(world, st, "appeals_exhausted", carc=st.last_carc)
    return False


def _write_off_rule(case: DenialCase) -> str:
    if case.category == "timely_filing":
        return "timely_filing"
    if not case.appealable:
        return "not_appealable"
    if case.days_to_deadline < 0:
        return "appeal_deadline_missed"
    return "not_worth_appealing"


def appeal(world, st, desk, payer, level: int, deadline: float, cost: int, hours: float):
    """File an appeal at ``level`` (staff time) and wait for the payer's answer; post an overturn."""
    more_cost, more_hours = yield from world.work(st, "appeal", world.scenario.staff.minutes.appeal, deadline)
    rng = world.streams.stream("evidence", f"{st.claim_id}/{level}")
    evidence = rng.random() < world.scenario.coding.documentation_quality
    filed = world.log.today()
    appeal_id = f"{st.claim_id}-A{st.attempt}L{level}"
    request = Appeal(
        appeal_id=appeal_id,
        payer_claim_number=st.pcn,
        level=level,
        filed_date=filed,
        carcs_disputed=(st.last_carc,) if st.last_carc else (),
        has_new_evidence=evidence,
    )
    common = dict(
        actor="biller",
        payer=desk.name,
        payer_type=desk.payer_type,
        order=st.order,
        attempt=st.attempt,
        carc=st.last_carc,
        category=carc_category(st.last_carc),
    )
    world.emit(
        EventKind.APPEALED,
        st.claim_id,
        ref=appeal_id,
        detail=f"level={level}",
        cost=cost + more_cost,
        hours=hours + more_hours,
        balance=st.balance,
        patient_balance=st.patient_balance,
        **common,
    )
    decision = payer.decide_appeal(request, desk.ledger, world.streams.stream("payer_appeal", appeal_id))
    yield world.wait_until(world.log.day_of(decision.decided_date) + 0.5)
    draw = decision.draws[0] if decision.draws else None
    world.emit(
        EventKind.APPEAL_DECIDED,
        st.claim_id,
        ref=appeal_id,
        detail=decision.outcome.value,
        rule=decision.rule,
        stream=draw.stream if draw else "",
        draw=draw.value if draw else 0.0,
        balance=st.balance,
        patient_balance=st.patient_balance,
        **common,
    )
    if decision.adjudication is not None:
        pay = payer.payment_date(decision.decided_date, st.received)
        if world.x12 is not None:
            world.x12.paid(desk, st.claim, [e for e in (decision.reversal, decision.adjudication) if e], pay)
        yield world.wait_until(world.log.day_of(pay) + 0.3)
        post(world, st, desk, decision.reversal)
        post(world, st, desk, decision.adjudication)
        st.decision = decision.adjudication
    return decision.outcome
