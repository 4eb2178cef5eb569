"""Benefits: copay (PR-3), deductible (PR-1) and coinsurance (PR-2) per member and plan year,
with the out-of-pocket maximum capping what the patient owes."""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork, percent_of

__all__ = ["benefits"]


@register("benefits")
def benefits(work: ClaimWork) -> list[Adj]:
    """Apply the plan's cost sharing to each open line's allowed amount, in line order."""
    plan = work.profile.benefits
    coverage = work.claim.coverage
    made: list[Adj] = []
    for line in work.open_lines():
        code = line.line.procedure_code
        left = line.allowed
        if left <= 0 or code in plan.no_cost_share_codes:
            continue
        met = work.accumulator((coverage.plan_id, coverage.member_id, line.line.service_date.year))
        room = left if plan.out_of_pocket_max is None else max(0, plan.out_of_pocket_max - met[1])
        copay = None
        for candidate in plan.copays:
            if code in candidate.codes:
                copay = candidate
                break
        if copay is not None:
            share = min(copay.amount, left, room)
            made += work.adjust(line, "PR", "3", share, (), "benefits.copay")
            left, room, met[1] = left - share, room - share, met[1] + share
            if copay.waives_deductible_and_coinsurance:
                continue
        share = min(max(0, plan.deductible - met[0]), left, room)
        made += work.adjust(line, "PR", "1", share, (), "benefits.deductible")
        left, room, met[0], met[1] = left - share, room - share, met[0] + share, met[1] + share
        share = min(percent_of(left, plan.coinsurance_percent), room)
        made += work.adjust(line, "PR", "2", share, (), "benefits.coinsurance")
        met[1] += share
    return made
