"""Benefits: copay (PR-3), deductible (PR-1) and coinsurance (PR-2) per member and plan year,
with the out-of-pocket maximum capping what the patient owes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from payers.profile import Copay, PayerProfile
from payers.rules import register
from payers.tables import Tables
from payers.work import Adj, ClaimWork, LineWork, percent_of

__all__ = ["Plan", "benefits", "prepare"]


@dataclass(frozen=True, slots=True)
class Plan:
    """The plan's cost sharing as lookups: the copay of each code, the codes without cost sharing."""

    copays: dict[str, Copay]
    no_cost_share: frozenset[str]
    deductible: int
    coinsurance_percent: Decimal
    out_of_pocket_max: int | None


def prepare(profile: PayerProfile, tables: Tables) -> Plan | None:
    """The profile's benefits as a :class:`Plan` (a code's copay is the first listed that names it).

    None when the plan has no copay, no deductible and no coinsurance: the patient never owes.
    """
    plan = profile.benefits
    if not plan.copays and plan.deductible == 0 and plan.coinsurance_percent == 0:
        return None
    copays: dict[str, Copay] = {}
    for copay in plan.copays:
        for code in copay.codes:
            copays.setdefault(code, copay)
    return Plan(
        copays,
        frozenset(plan.no_cost_share_codes),
        plan.deductible,
        plan.coinsurance_percent,
        plan.out_of_pocket_max,
    )


@register("benefits", prepare)
def benefits(work: ClaimWork) -> list[Adj]:
    """Apply the plan's cost sharing to each open line's allowed amount, in line order."""
    plan: Plan = work.setup["benefits"]
    made: list[Adj] = []
    year, met = None, [0, 0]
    for line in work.open_lines():
        code = line.code
        if line.allowed <= 0 or code in plan.no_cost_share:
            continue
        if line.day.year != year:  # lines of one plan year share their accumulator
            year = line.day.year
            coverage = work.claim.coverage
            met = work.accumulator((coverage.plan_id, coverage.member_id, year))
        made += _share(work, plan, line, plan.copays.get(code), met)
    return made


def _share(work: ClaimWork, plan: Plan, line: LineWork, copay: Copay | None, met: list[int]) -> list[Adj]:
    """One line's copay, then deductible and coinsurance unless the copay waives them; updates ``met``."""
    left = line.allowed
    room = left if plan.out_of_pocket_max is None else max(0, plan.out_of_pocket_max - met[1])
    made: list[Adj] = []
    if copay is not None:
        share = min(copay.amount, left, room)
        made += work.adjust(line, "PR", "3", share, (), "benefits.copay")
        left, room, met[1] = left - share, room - share, met[1] + share
        if copay.waives_deductible_and_coinsurance:
            return made
    if plan.deductible:
        share = min(max(0, plan.deductible - met[0]), left, room)
        made += work.adjust(line, "PR", "1", share, (), "benefits.deductible")
        left, room, met[0], met[1] = left - share, room - share, met[0] + share, met[1] + share
    if plan.coinsurance_percent:
        share = min(percent_of(left, plan.coinsurance_percent), room)
        made += work.adjust(line, "PR", "2", share, (), "benefits.coinsurance")
        met[1] += share
    return made
