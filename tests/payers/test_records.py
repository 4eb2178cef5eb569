"""Decisions built without validation equal what pydantic validation of the same data builds."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from payers import Payer, PayerLedger, load_profile, profile_names
from payers.records import adjustment
from simulator.models import Adjustment, ClaimAdjudication, GroupCode, LineAdjudication, OtherPayer
from simulator.samples import sample_claim, sample_coverage, sample_line

DOS = date(2026, 3, 2)
CODES = ("99213", "99214", "36415", "80053", "93000", "97110", "20610", "G0438", "J1100", "99999", "11720")


def workload(name: str, count: int = 120) -> list:
    """A seeded mix of claims to ``name``: paid, partly paid, denied, pended and secondary ones."""
    rng = random.Random(name)
    claims = []
    for number in range(count):
        lines = tuple(
            sample_line(
                i,
                procedure_code=rng.choice(CODES),
                charge=rng.randrange(100, 40000),
                units=rng.choice((1, 1, 1, 2, 6)),
                modifiers=rng.choice(((), ("59",), ("25",))),
                service_date=DOS + timedelta(days=rng.choice((0, 0, 1, 40))),
            )
            for i in range(1, rng.randrange(2, 5))
        )
        others = ()
        if number % 9 == 0:
            others = (OtherPayer(payer_id="medicare", paid=1000, adjudication_date=DOS + timedelta(days=20)),)
        coverage = sample_coverage(name, member_id=f"M{number % 7:09d}")
        dx = rng.choice((("E11.9",), ("I10", "Z00.00"), ("E11",)))
        claim = sample_claim(
            claim_id=f"W{number:05d}", coverage=coverage, diagnoses=dx, lines=lines, other_payers=others
        )
        claims.append((claim, DOS + timedelta(days=rng.choice((20, 30, 200)))))
    return claims


def _same_as_validated(model) -> None:
    """``model`` equals its validated copy, field by field, with the same fields set and field order."""
    cls = type(model)
    validated = cls.model_validate(model.model_dump(exclude_unset=True))
    assert model == validated
    assert model.model_fields_set == validated.model_fields_set
    assert list(model.__dict__) == list(cls.model_fields)
    assert repr(model) == repr(validated)
    assert model.model_dump_json() == validated.model_dump_json()


@pytest.mark.parametrize("name", profile_names())
def test_decisions_equal_their_validated_copies(name):
    """Every decision, line and adjustment the pipeline builds is what validation would build."""
    payer = Payer(load_profile(name))
    ledger = PayerLedger()
    rng = random.Random(7)
    statuses = set()
    for claim, received in workload(name):
        for entry in payer.adjudicate(claim, received=received, ledger=ledger, rng=rng):
            statuses.add(entry.status)
            _same_as_validated(entry)
            for line in entry.lines:
                _same_as_validated(line)
                for adj in line.adjustments:
                    _same_as_validated(adj)
                    assert isinstance(adj.group, GroupCode)
    assert {"paid", "denied"} <= statuses


def test_the_fields_set_of_a_first_decision_leave_out_the_reversal_links():
    """A first decision states its own fields; interest, claim adjustments and reversal links stay unset."""
    payer = Payer(load_profile("commercial_ppo"))
    claim, received = workload("commercial_ppo", 1)[0]
    (decision,) = payer.adjudicate(claim, received=received, ledger=PayerLedger())
    unset = set(ClaimAdjudication.model_fields) - decision.model_fields_set
    assert unset == {"interest", "claim_adjustments", "reverses", "replaced_by"}
    assert all(line.model_fields_set == set(LineAdjudication.model_fields) for line in decision.lines)


def test_adjustment_builder_takes_group_text():
    """The adjustment builder turns the group text into its enum and keeps every value."""
    built = adjustment("PR", "2", 1234, ("N1",), "benefits.coinsurance", None)
    assert built == Adjustment(group="PR", carc="2", amount=1234, rarcs=("N1",), rule="benefits.coinsurance")
    assert built.group is GroupCode.PATIENT
    with pytest.raises(KeyError):
        adjustment("XX", "2", 1, (), "rule", None)
