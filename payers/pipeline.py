"""The adjudication pipeline: run a profile's steps in order, then build the decision.

Pure: the claim, the received date, the ledger and an optional random stream go in; a
:class:`~simulator.models.ClaimAdjudication` and the ledger record it implies come out.
The decision is packed first (:mod:`payers.records`), and its pydantic models are built from
the packed form, once, at the end: what the ledger keeps rebuilds to exactly what was returned.
"""

from __future__ import annotations

from datetime import date, timedelta

from payers.records import L_STATUS, unpack
from payers.rules import Planned
from payers.work import Adj, ClaimWork, LineWork
from simulator.models import ClaimAdjudication

__all__ = ["finish", "run_steps"]


def run_steps(work: ClaimWork, steps: tuple[Planned, ...]) -> list[str]:
    """Run ``steps`` (the payer's :func:`~payers.rules.plan`) in order; return the rule ids that fired.

    A step that acts only on some procedure codes is skipped when no line of the claim has one.
    """
    fired: dict[str, None] = {}
    codes = work.codes
    for step, acts_on in steps:
        if acts_on is not None and acts_on.isdisjoint(codes):
            continue
        made = step(work)
        if made:
            for adj in made:
                fired.setdefault(adj.rule, None)
        if work.pend_rule is not None:
            fired.setdefault(work.pend_rule, None)
            break
    return list(fired)


def _line(work: ClaimWork, line: LineWork) -> tuple:
    """The packed line (layout ``L_NUMBER`` ... ``L_ADJS`` of :mod:`payers.records`)."""
    service = line.line
    adjs = line.adjs
    allowed, units_paid, status = line.allowed, line.units, "paid"
    if line.denial is not None:
        line.denial.amount = line.remaining
        adjs = [*adjs, line.denial]
        allowed, units_paid, status = 0, 0, "denied"
    elif work.pend_rule is not None:
        adjs = [*adjs, Adj("CO", "252", line.remaining, ("N704",), work.pend_rule)]
        allowed, units_paid, status = 0, 0, "pended"
    elif line.units < service.units:
        status = "partly_paid"
    return (
        service.line_number,
        service.procedure_code,
        service.modifiers,
        service.units,
        units_paid,
        service.service_date.toordinal(),
        service.charge,
        allowed,
        status,
        tuple([(a.group, a.carc, a.amount, a.rarcs, a.rule, a.quantity) for a in adjs]),
    )


def _claim_status(work: ClaimWork, lines: tuple[tuple, ...]) -> str:
    if work.pend_rule is not None:
        return "pended"
    statuses = [line[L_STATUS] for line in lines]
    denied = statuses.count("denied")
    if denied == len(statuses):
        return "denied"
    if denied or "partly_paid" in statuses:
        return "partly_paid"
    return "paid"


_COST_SHARES = frozenset(("1", "2", "3"))
"""Patient-responsibility CARCs that count toward the accumulators: deductible, coinsurance, copay."""


def _credits(work: ClaimWork) -> tuple[tuple[tuple[str, str, int], int, int], ...]:
    """(accumulator key, deductible, out of pocket) per plan year the open lines' cost sharing touched."""
    if work.pend_rule is not None:
        return ()
    totals: dict[int, list[int]] = {}  # by service year: the plan and member are the claim's
    for line in work.open_lines():
        for adj in line.adjs:
            if adj.group == "PR" and adj.carc in _COST_SHARES:
                year = line.day.year
                slot = totals.get(year)
                if slot is None:
                    slot = totals[year] = [0, 0]
                if adj.carc == "1":
                    slot[0] += adj.amount
                slot[1] += adj.amount
    if not totals:
        return ()
    coverage = work.claim.coverage
    plan_id, member_id = coverage.plan_id, coverage.member_id
    return tuple([((plan_id, member_id, year), d, o) for year, (d, o) in totals.items() if d or o])


def finish(
    work: ClaimWork, payer_claim_number: str, decided: date, fired: list[str], *, history: bool = True
) -> tuple[tuple, ClaimAdjudication]:
    """The packed decision (with its credits, and history keys when ``history``) and its pydantic model."""
    claim = work.claim
    lines = tuple(_line(work, line) for line in work.lines)
    pended = work.pend_rule is not None
    due = (decided + timedelta(days=work.profile.documentation.due_days)).toordinal() if pended else None
    packed = (  # the decision layout of payers.records (PAYER_ID ... KEEPS_HISTORY)
        work.profile.name,
        claim.claim_id,
        payer_claim_number,
        _claim_status(work, lines),
        str(claim.frequency),
        work.received.toordinal(),
        decided.toordinal(),
        lines,
        tuple(fired),
        tuple(work.draws),
        due,
        min(3, len(claim.other_payers) + 1),
        claim.coverage.member_id,
        claim.billing_provider.npi,
        _credits(work),
        history,
    )
    return packed, unpack(packed)
