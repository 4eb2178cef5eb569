"""Ledger state: plain JSON-able data, version 1, that reads back into a ledger that behaves the same."""

from __future__ import annotations

import copy
import json
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payers import LedgerStateError, Payer, PayerLedger, load_profile
from simulator.models import Appeal, ClaimStatus, DocumentationResponse, Frequency
from simulator.samples import sample_claim, sample_coverage, sample_line

DOS = date(2026, 3, 2)
CODES = ("99213", "99214", "36415", "80053", "93000", "20610", "G0438", "99999", "97110")
PAYERS = {name: Payer(load_profile(name)) for name in ("medicare", "commercial_ppo")}


def _claim(name: str, number: int, rng: random.Random):
    lines = tuple(
        sample_line(
            i,
            procedure_code=rng.choice(CODES),
            charge=rng.randrange(500, 30000),
            units=rng.choice((1, 1, 2)),
            service_date=DOS + timedelta(days=rng.randrange(3)),
        )
        for i in range(1, rng.randrange(2, 4))
    )
    coverage = sample_coverage(name, member_id=f"M{number % 5:09d}")
    dx = rng.choice((("E11.9",), ("I10",), ("E11",)))
    return sample_claim(claim_id=f"S{number:04d}", coverage=coverage, diagnoses=dx, lines=lines)


def _workload(name: str, ledger: PayerLedger, seed: int, count: int, start: int = 0) -> list:
    """Adjudicate ``count`` claims with corrections, documentation and appeals; return every output."""
    payer, rng = PAYERS[name], random.Random(seed)
    out = []
    for number in range(start, start + count):
        claim = _claim(name, number, rng)
        received = DOS + timedelta(days=20 + number % 5)
        entries = payer.adjudicate(claim, received=received, ledger=ledger, rng=rng)
        out += entries
        last = entries[-1]
        if last.status == ClaimStatus.PENDED and number % 2:
            response = DocumentationResponse(
                payer_claim_number=last.payer_claim_number,
                sent_date=received + timedelta(days=10),
                supports_service=number % 3 != 0,
            )
            out += payer.receive_documentation(response, ledger, rng)
        elif last.status == ClaimStatus.DENIED and number % 2 == 0:
            appeal = Appeal(
                appeal_id=f"A{number}",
                payer_claim_number=last.payer_claim_number,
                filed_date=last.decided_date + timedelta(days=5),
                has_new_evidence=True,
            )
            out.append(payer.decide_appeal(appeal, ledger, rng))
        elif number % 4 == 1:
            update = {"frequency": Frequency.REPLACEMENT, "payer_claim_number": last.payer_claim_number}
            out += payer.adjudicate(
                claim.model_copy(update=update), received=received, ledger=ledger, rng=rng
            )
    return out


def _full_ledger(name: str = "medicare", seed: int = 5, count: int = 40) -> PayerLedger:
    ledger = PayerLedger()
    ledger.enroll(sample_coverage(name, member_id="M000000001"))
    ledger.enroll_provider("1234567893", date(2020, 1, 1))
    ledger.enroll_provider("1234567893", date(2019, 1, 1), date(2019, 6, 30))
    ledger.add_authorization("M000000002", "AUTH-1", ["20610", "97110"], DOS, DOS + timedelta(days=30))
    _workload(name, ledger, seed, count)
    return ledger


def _dumps(outputs: list) -> list[str]:
    return [item.model_dump_json() for item in outputs]


def _only_plain(value) -> None:
    """Fail unless ``value`` is made of str, int, bool, None, lists and dicts with str keys."""
    if isinstance(value, dict):
        assert all(isinstance(key, str) for key in value)
        for item in value.values():
            _only_plain(item)
    elif isinstance(value, list):
        for item in value:
            _only_plain(item)
    else:
        assert value is None or type(value) in (str, int, bool), (type(value), value)


def test_state_is_plain_data_with_a_version():
    """to_state gives version 1 of plain JSON-able data, money as int cents and dates as ISO text."""
    state = _full_ledger().to_state()
    _only_plain(state)
    assert state["version"] == 1
    assert json.loads(json.dumps(state)) == state
    decision = next(iter(state["decisions"].values()))["decision"]
    assert isinstance(decision["lines"][0]["billed"], int)
    assert date.fromisoformat(decision["decided"])
    assert state["accumulators"] and state["history"] and state["roster"] and state["authorizations"]
    assert state["appeals"] and state["providers"]
    assert any(saved["claim"] is not None for saved in state["decisions"].values())
    assert any(not saved["active"] for saved in state["decisions"].values())
    assert any(saved["decision"]["draws"] for saved in state["decisions"].values())


def test_round_trip_keeps_everything():
    """A ledger read back from its state, through JSON, has the same state and the same contents."""
    ledger = _full_ledger()
    back = PayerLedger.from_state(json.loads(json.dumps(ledger.to_state())))
    assert back.to_state() == ledger.to_state()
    assert back.counter == ledger.counter
    assert back.accumulators == ledger.accumulators
    assert back.history == ledger.history
    assert back.roster == ledger.roster
    assert back.providers == ledger.providers
    assert back.authorizations == ledger.authorizations
    assert back.appeals == ledger.appeals
    assert list(back.decisions) == list(ledger.decisions)
    for number, record in ledger.decisions.items():
        assert back.decision(number) == ledger.decision(number)
        assert back.decisions[number].active == record.active
        assert back.decisions[number].claim == record.claim


def test_pended_claims_survive_the_round_trip():
    """A pended claim read back from state is decided on its documentation as the original would be."""
    payer = PAYERS["medicare"]
    ledger = PayerLedger()
    claim = sample_claim(coverage=sample_coverage("medicare"))
    pended = None
    for seed in range(200):
        (entry,) = payer.adjudicate(
            claim, received=DOS + timedelta(days=9), ledger=ledger, rng=random.Random(seed)
        )
        if entry.status == ClaimStatus.PENDED:
            pended = entry
            break
        update = {"frequency": Frequency.VOID, "payer_claim_number": entry.payer_claim_number}
        payer.adjudicate(claim.model_copy(update=update), received=DOS + timedelta(days=9), ledger=ledger)
    assert pended is not None
    back = PayerLedger.from_state(json.loads(json.dumps(ledger.to_state())))
    assert list(back.pending) == [pended.payer_claim_number]
    response = DocumentationResponse(
        payer_claim_number=pended.payer_claim_number,
        sent_date=DOS + timedelta(days=20),
        supports_service=True,
    )
    assert _dumps(payer.receive_documentation(response, back)) == _dumps(
        payer.receive_documentation(response, ledger)
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(PAYERS)), st.integers(0, 10_000), st.integers(1, 25))
def test_a_restored_ledger_decides_as_the_original(name, seed, count):
    """After a round trip, the next claims, corrections, documentation and appeals decide identically."""
    ledger = PayerLedger()
    _workload(name, ledger, seed, count)
    back = PayerLedger.from_state(json.loads(json.dumps(ledger.to_state())))
    assert back.to_state() == ledger.to_state()
    later = _workload(name, ledger, seed + 1, 15, start=count)
    assert _dumps(_workload(name, back, seed + 1, 15, start=count)) == _dumps(later)
    assert back.to_state() == ledger.to_state()


def test_unknown_version_is_refused():
    """A state of another version is refused before anything else is read."""
    state = PayerLedger().to_state()
    with pytest.raises(LedgerStateError, match="unknown ledger state version 2"):
        PayerLedger.from_state(state | {"version": 2})
    with pytest.raises(LedgerStateError, match="no 'version'"):
        PayerLedger.from_state({k: v for k, v in state.items() if k != "version"})
    with pytest.raises(LedgerStateError, match="must be a dict"):
        PayerLedger.from_state([state])


def test_malformed_state_names_the_problem():
    """A wrong value or an unknown field is reported with where it is in the state."""
    state = _full_ledger(count=10).to_state()
    number = next(iter(state["decisions"]))
    bad = copy.deepcopy(state)
    bad["decisions"][number]["decision"]["lines"][0]["billed"] = "lots"
    with pytest.raises(LedgerStateError, match=rf"decisions\.{number}\.decision\.lines\.0\.billed"):
        PayerLedger.from_state(bad)
    bad = copy.deepcopy(state)
    bad["accumulators"][0]["surprise"] = 1
    with pytest.raises(LedgerStateError, match=r"accumulators\.0\.surprise"):
        PayerLedger.from_state(bad)
    bad = copy.deepcopy(state)
    bad["decisions"]["ELSEWHERE"] = bad["decisions"][number]
    with pytest.raises(LedgerStateError, match=r"decisions\.ELSEWHERE holds claim"):
        PayerLedger.from_state(bad)
    bad = copy.deepcopy(state)
    del bad["history"]
    with pytest.raises(LedgerStateError, match="history: Field required"):
        PayerLedger.from_state(bad)
