"""Patient billing: statements on the policy's cycle, payments that grow less likely as balances
grow and age, the collection agency and its fee, small-balance and bad-debt write-offs."""

from __future__ import annotations

from simulator.eventlog import EventKind

__all__ = ["bill_patient", "pay_chance"]


def pay_chance(behaviour, balance: int, statement: int) -> float:
    """Chance a patient pays ``balance`` after statement number ``statement`` (1, 2, ...)."""
    size = behaviour.balance_halving / (behaviour.balance_halving + balance)
    return behaviour.statement_pay_rate * (behaviour.age_decay ** (statement - 1)) * 2 * size


def _emit(world, st, kind, **fields) -> None:
    desk = world.desks[st.payer]
    world.emit(kind, st.claim_id, payer=desk.name, payer_type=desk.payer_type, **fields)


def _take_patient(world, st, kind, paid: int, adjusted: int = 0, written_off: int = 0, **fields) -> None:
    st.take(paid=paid, adjusted=adjusted, written_off=written_off)
    st.patient_balance -= paid + adjusted + written_off
    st.paid_patient += paid
    _emit(
        world,
        st,
        kind,
        paid=paid,
        adjusted=adjusted,
        written_off=written_off,
        balance=st.balance,
        patient_balance=st.patient_balance,
        **fields,
    )


def bill_patient(world, st):
    """Send statements until the patient pays, then collections or a write-off."""
    behaviour = world.scenario.patient_behaviour
    if st.patient_balance <= 0:
        return
    if world.small_balance.writes_off(st.patient_balance):
        _take_patient(
            world,
            st,
            EventKind.WRITTEN_OFF,
            0,
            written_off=st.patient_balance,
            actor="biller",
            rule="small_balance",
        )
        return
    rng = world.streams.stream("patient_pay", st.claim_id)
    first, sent = world.env.now, 0
    while True:
        action, wait = world.statements.next_step(sent, world.env.now - first)
        yield world.env.timeout(wait)
        if action == "collections":
            break
        cost, hours = yield from world.work(st, "statement", world.scenario.staff.minutes.statement)
        sent += 1
        _emit(
            world,
            st,
            EventKind.STATEMENT_SENT,
            actor="biller",
            detail=str(sent),
            cost=cost,
            hours=hours,
            balance=st.balance,
            patient_balance=st.patient_balance,
        )
        draw = rng.random()
        if draw < pay_chance(behaviour, st.patient_balance, sent):
            yield world.env.timeout(3 + 12 * rng.random())
            _take_patient(
                world,
                st,
                EventKind.PATIENT_PAID,
                st.patient_balance,
                actor="patient",
                stream="patient_pay",
                draw=draw,
            )
            return
    yield from _collections(world, st, behaviour, rng)


def _collections(world, st, behaviour, rng):
    if world.small_balance.writes_off(st.patient_balance):
        _take_patient(
            world,
            st,
            EventKind.WRITTEN_OFF,
            0,
            written_off=st.patient_balance,
            actor="biller",
            rule="small_balance",
        )
        return
    _emit(
        world,
        st,
        EventKind.SENT_TO_COLLECTIONS,
        actor="biller",
        balance=st.balance,
        patient_balance=st.patient_balance,
    )
    yield world.env.timeout(behaviour.agency_days)
    draw = rng.random()
    amount = st.patient_balance
    if draw < behaviour.agency_recovery_rate:
        fee = amount * round(behaviour.agency_fee_percent * 100) // 10000
        _take_patient(
            world,
            st,
            EventKind.COLLECTED,
            amount - fee,
            adjusted=fee,
            actor="agency",
            stream="agency",
            draw=draw,
        )
    else:
        _take_patient(
            world,
            st,
            EventKind.WRITTEN_OFF,
            0,
            written_off=amount,
            actor="agency",
            rule="bad_debt",
            stream="agency",
            draw=draw,
        )
