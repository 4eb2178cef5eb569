"""Appeal decisions: deadlines per level, non-appealable denials, overturn draws, re-adjudication.

An appeal is refused when filed after its level's deadline (REFUSED_LATE), when every denial
it disputes is one the profile marks not appealable (REFUSED_NOT_APPEALABLE; Medicare: timely
filing and duplicates), or when the amount disputed is under the level's minimum amount in
controversy (Medicare ALJ: $200 in 2026). Otherwise each disputed denial's category has an
overturn probability from the profile; one draw per appeal from the payer's stream decides them all. Without a
stream nothing random fires: denials are overturned when the appeal brings new evidence or a
corrected claim, and upheld otherwise. Overturned denials are set aside and the claim is
adjudicated again, under a new payer claim number, after a reversal entry of the earlier
decision (always: even a decision that paid nothing was reported, and its denial amounts must
be taken back).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from payers.ledger import AppealRecord, DecisionRecord, PayerLedger
from payers.records import NOT_DENIALS
from simulator.codes import carc_category
from simulator.models import Adjustment, Appeal, AppealDecision, AppealOutcome, GroupCode, RandomDraw
from simulator.money import format_dollars

if TYPE_CHECKING:
    from payers.payer import Payer

__all__ = ["deadline", "decide", "disputed_denials"]


def _record(payer: Payer, number: str, ledger: PayerLedger) -> DecisionRecord:
    from payers.payer import PayerError

    record = ledger.decisions.get(number)
    if record is None:
        raise PayerError(f"payer {payer.name!r} has no claim {number!r}")
    return record


def deadline(payer: Payer, number: str, level: int, ledger: PayerLedger) -> date:
    """The last day to file an appeal at ``level`` for the claim ``number``."""
    from payers.payer import PayerError

    levels = payer.profile.appeals.levels
    if level < 1 or level > len(levels):
        raise PayerError(f"payer {payer.name!r} has appeal levels 1 to {len(levels)}, not {level}")
    if level == 1:
        start = _record(payer, number, ledger).decided
    else:
        earlier = [d for d in ledger.appeals.get(number, ()) if d.level == level - 1]
        if not earlier:
            raise PayerError(f"claim {number!r} has no level {level - 1} appeal decision to appeal from")
        start = earlier[-1].decided
    return start + timedelta(days=levels[level - 1].deadline_days)


def disputed_denials(adjustments: tuple[Adjustment, ...], carcs: tuple[str, ...]) -> list[Adjustment]:
    """The denials an appeal disputes: those with the listed CARCs, or every denial when none listed."""
    denials = [
        a for a in adjustments if a.group != GroupCode.PATIENT and a.carc not in NOT_DENIALS and a.amount > 0
    ]
    return [a for a in denials if a.carc in carcs] if carcs else denials


def _decision(
    appeal: Appeal, outcome: AppealOutcome, decided: date, reason: str, rule: str, **extra
) -> AppealDecision:
    return AppealDecision(
        appeal_id=appeal.appeal_id,
        payer_claim_number=appeal.payer_claim_number,
        level=appeal.level,
        outcome=outcome,
        decided_date=decided,
        reason=reason,
        rule=rule,
        **extra,
    )


_NO_EARLIER_LEVEL = "appeals.no_earlier_level"


def decide(
    payer: Payer, appeal: Appeal, ledger: PayerLedger, rng: random.Random | None, stream: str
) -> AppealDecision:
    """Decide ``appeal`` and record the decision in the ledger."""
    decision = _decide(payer, appeal, ledger, rng, stream)
    if decision.rule == _NO_EARLIER_LEVEL:
        return decision  # not a decision at its level: a later level may not follow it
    remembered = AppealRecord(decision.level, decision.decided_date)
    ledger.appeals.setdefault(appeal.payer_claim_number, []).append(remembered)
    if decision.adjudication is not None:
        ledger.appeals.setdefault(decision.adjudication.payer_claim_number, []).append(remembered)
    return decision


def _decide(
    payer: Payer, appeal: Appeal, ledger: PayerLedger, rng: random.Random | None, stream: str
) -> AppealDecision:
    record = _record(payer, appeal.payer_claim_number, ledger)
    rules = payer.profile.appeals
    earlier = appeal.level - 1
    if earlier and not any(d.level == earlier for d in ledger.appeals.get(appeal.payer_claim_number, ())):
        return _decision(
            appeal,
            AppealOutcome.REFUSED_NOT_APPEALABLE,
            appeal.filed_date,
            f"no level {earlier} decision to appeal from: a level {appeal.level} appeal follows one",
            _NO_EARLIER_LEVEL,
        )
    last_day = deadline(payer, appeal.payer_claim_number, appeal.level, ledger)
    if appeal.filed_date > last_day:
        return _decision(
            appeal,
            AppealOutcome.REFUSED_LATE,
            appeal.filed_date,
            f"filed {appeal.filed_date}, after the level {appeal.level} deadline {last_day}",
            "appeals.deadline",
        )
    if not record.active:
        return _decision(
            appeal,
            AppealOutcome.REFUSED_NOT_APPEALABLE,
            appeal.filed_date,
            "the decision was reversed or replaced; appeal the current one",
            "appeals.inactive",
        )
    disputed = disputed_denials(record.adjudication.adjustments, appeal.carcs_disputed)
    appealable = [a for a in disputed if a.carc not in rules.not_appealable_carcs]
    if not appealable:
        reason = (
            "no denial to reconsider"
            if not disputed
            else ("denials for " + ", ".join(sorted({a.carc for a in disputed})) + " cannot be appealed")
        )
        return _decision(
            appeal, AppealOutcome.REFUSED_NOT_APPEALABLE, appeal.filed_date, reason, "appeals.not_appealable"
        )
    level = rules.levels[appeal.level - 1]
    in_controversy = sum(a.amount for a in appealable)
    if in_controversy < level.min_amount_in_controversy:
        return _decision(
            appeal,
            AppealOutcome.REFUSED_NOT_APPEALABLE,
            appeal.filed_date,
            f"{level.name}: amount in controversy {format_dollars(in_controversy)} is under "
            f"{format_dollars(level.min_amount_in_controversy)}",
            "appeals.amount_in_controversy",
        )
    decided = appeal.filed_date + timedelta(days=level.decision_days)
    draw = None if rng is None else rng.random()
    draws = () if draw is None else (RandomDraw(stream=stream, rule="appeals.overturn", value=draw),)
    overturned = _overturned(appealable, level, appeal, draw)
    next_deadline = None
    if appeal.level < len(rules.levels):
        next_deadline = decided + timedelta(days=rules.levels[appeal.level].deadline_days)
    if not overturned:
        return _decision(
            appeal,
            AppealOutcome.UPHELD,
            decided,
            f"{level.name}: the denial stands",
            "appeals.upheld",
            next_level_deadline=next_deadline,
            draws=draws,
        )
    outcome = (
        AppealOutcome.OVERTURNED
        if len(overturned) == len({a.rule for a in appealable})
        else (AppealOutcome.PARTLY_OVERTURNED)
    )
    number = ledger.next_claim_number(payer.profile.claim_number_prefix, decided)
    reversal = payer.reversal(record, decided, number)
    claim = appeal.corrected_claim or record.claim
    new = payer.rerun(
        record, decided, ledger, None, stream, claim=claim, waived=frozenset(overturned), number=number
    )
    return _decision(
        appeal,
        outcome,
        decided,
        f"{level.name}: set aside {', '.join(sorted(overturned))}",
        "appeals.overturned",
        next_level_deadline=None if outcome == AppealOutcome.OVERTURNED else next_deadline,
        adjudication=new,
        reversal=reversal,
        draws=draws,
    )


def _overturned(appealable: list[Adjustment], level, appeal: Appeal, draw: float | None) -> set[str]:
    if draw is None:
        return {a.rule for a in appealable} if appeal.has_new_evidence or appeal.corrected_claim else set()
    chosen = set()
    for adjustment in appealable:
        rate = level.overturn_by_category.get(carc_category(adjustment.carc), level.overturn_rate)
        if draw < rate:
            chosen.add(adjustment.rule)
    return chosen
