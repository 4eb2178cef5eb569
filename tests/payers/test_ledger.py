"""The ledger keeps decisions packed: rebuilt on demand as returned, claims only when needed."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from payers import Payer, PayerLedger, load_profile
from payers.payer import PayerError
from simulator.models import Appeal, ClaimStatus
from simulator.samples import sample_claim, sample_coverage, sample_line

DOS = date(2026, 3, 2)
RECEIVED = date(2026, 3, 10)


def _claim(claim_id: str, code: str = "99213", dx: tuple[str, ...] = ("E11.9",), charge: int = 15000):
    line = sample_line(1, procedure_code=code, charge=charge, service_date=DOS)
    return sample_claim(
        claim_id=claim_id, coverage=sample_coverage("commercial_ppo"), diagnoses=dx, lines=(line,)
    )


def test_the_ledger_rebuilds_each_decision_as_returned():
    """decision(number) rebuilds exactly the decision adjudicate returned, draws included."""
    payer = Payer(load_profile("medicare"))
    ledger = PayerLedger()
    rng = random.Random(3)
    returned = []
    for number in range(60):
        code = ("99213", "99214", "36415", "93000")[number % 4]
        claim = sample_claim(
            claim_id=f"C{number}",
            coverage=sample_coverage("medicare"),
            lines=(sample_line(1, procedure_code=code, charge=9000 + number, service_date=DOS),),
        )
        returned += payer.adjudicate(claim, received=RECEIVED, ledger=ledger, rng=rng)
    assert any(entry.draws for entry in returned)
    for entry in returned:
        rebuilt = ledger.decision(entry.payer_claim_number)
        assert rebuilt == entry
        assert rebuilt.model_dump_json() == entry.model_dump_json()
        record = ledger.decisions[entry.payer_claim_number]
        assert record.received == entry.received_date and record.decided == entry.decided_date


def test_claims_are_kept_only_while_they_may_be_decided_again():
    """A paid claim is not kept; a denied one is, and equals the claim sent."""
    payer = Payer(load_profile("commercial_ppo"))
    ledger = PayerLedger()
    (paid,) = payer.adjudicate(_claim("PAID"), received=RECEIVED, ledger=ledger)
    denied_claim = _claim("DENIED", dx=("E11",))
    (denied,) = payer.adjudicate(denied_claim, received=RECEIVED, ledger=ledger)
    assert paid.status == ClaimStatus.PAID and denied.status == ClaimStatus.DENIED
    assert ledger.decisions[paid.payer_claim_number].claim is None
    assert ledger.decisions[denied.payer_claim_number].claim == denied_claim


def test_a_decision_without_a_kept_claim_cannot_be_rerun():
    """Re-running a paid decision, whose claim the ledger let go, is refused with a clear error."""
    payer = Payer(load_profile("commercial_ppo"))
    ledger = PayerLedger()
    (paid,) = payer.adjudicate(_claim("PAID"), received=RECEIVED, ledger=ledger)
    record = ledger.decisions[paid.payer_claim_number]
    with pytest.raises(PayerError, match="no denial to decide again"):
        payer.rerun(record, RECEIVED, ledger, None, "payer_decisions")
    assert record.active


def test_appeals_are_remembered_by_level_and_date():
    """An overturned appeal is remembered under both claim numbers, and sets the next level's deadline."""
    payer = Payer(load_profile("commercial_ppo"))
    ledger = PayerLedger()
    (denied,) = payer.adjudicate(_claim("DENIED", dx=("E11",)), received=RECEIVED, ledger=ledger)
    appeal = Appeal(
        appeal_id="A1",
        payer_claim_number=denied.payer_claim_number,
        filed_date=denied.decided_date + timedelta(days=10),
        has_new_evidence=True,
    )
    decision = payer.decide_appeal(appeal, ledger)
    (remembered,) = ledger.appeals[denied.payer_claim_number]
    assert remembered.level == 1 and remembered.decided == decision.decided_date
    if decision.adjudication is not None:
        assert ledger.appeals[decision.adjudication.payer_claim_number] == [remembered]
    level_two = payer.profile.appeals.levels[1].deadline_days
    assert payer.appeal_deadline(denied.payer_claim_number, 2, ledger) == decision.decided_date + timedelta(
        days=level_two
    )


def test_authorizations_are_found_by_member_code_and_date():
    """authorized() finds the authorization for the member, code and date among many on file."""
    ledger = PayerLedger()
    for n in range(200):
        start = DOS + timedelta(days=10 * n)
        ledger.add_authorization("M1", f"A{n}", ["20610", "97110"], start, start + timedelta(days=4))
    ledger.add_authorization("M2", "B1", ["73721"], DOS, DOS)
    assert ledger.authorized("M1", "97110", DOS + timedelta(days=1503))
    assert not ledger.authorized("M1", "97110", DOS + timedelta(days=1506))
    assert not ledger.authorized("M1", "73721", DOS)
    assert ledger.authorized("M2", "73721", DOS)
    assert not ledger.authorized("M2", "73721", DOS + timedelta(days=1))
    assert len(ledger.authorizations["M1"]) == 200
    assert ledger.authorizations["M1"][0].procedure_codes is ledger.authorizations["M1"][1].procedure_codes
    with pytest.raises(ValueError, match="before start"):
        ledger.add_authorization("M3", "C1", ["20610"], DOS, DOS - timedelta(days=1))


def test_provider_enrolment_periods():
    """provider_enrolled: None without a roster, else whether any period covers the day."""
    ledger = PayerLedger()
    assert ledger.provider_enrolled("1234567893", DOS) is None
    ledger.enroll_provider("1234567893", DOS)
    assert ledger.provider_enrolled("1234567893", DOS)
    assert not ledger.provider_enrolled("1234567893", DOS - timedelta(days=1))
    assert not ledger.provider_enrolled("1111111112", DOS)
    ledger.enroll_provider("1234567893", date(2020, 1, 1), date(2020, 12, 31))
    assert ledger.provider_enrolled("1234567893", date(2020, 6, 1))
    assert not ledger.provider_enrolled("1234567893", date(2021, 6, 1))


def test_history_keys_are_those_the_duplicate_rule_looks_up():
    """The ledger's claim history holds exactly the duplicate rule's key of each line not denied."""
    from payers.rules.duplicate import history_key
    from payers.work import LineWork

    payer = Payer(load_profile("commercial_ppo"))
    ledger = PayerLedger()
    lines = (
        sample_line(1, procedure_code="99213", charge=15000, service_date=DOS, modifiers=("25",)),
        sample_line(2, procedure_code="36415", charge=2000, service_date=DOS, units=2),
        sample_line(3, procedure_code="99999", charge=2000, service_date=DOS + timedelta(days=30)),
    )
    claim = sample_claim(claim_id="H1", coverage=sample_coverage("commercial_ppo"), lines=lines)
    (decision,) = payer.adjudicate(claim, received=RECEIVED, ledger=ledger)
    open_lines = [
        line for line, decided in zip(claim.lines, decision.lines, strict=True) if decided.status != "denied"
    ]
    assert len(open_lines) == 2
    expected = {history_key(claim, LineWork.of(line)) for line in open_lines}
    assert set(ledger.history) == expected
    assert set(ledger.history.values()) == {decision.payer_claim_number}
