"""Ledgers pickled before decisions were packed still load, and equal the same ledger built now.

The fixture ``data/ledger_before_packing.pickle`` was written by payersim as of commit eba58e4
running :func:`workload` below; loading it converts each decision to the packed form, so a
server can read an old snapshot once and save it again with ``PayerLedger.to_state()``.
"""

from __future__ import annotations

import pickle
import random
from datetime import date, timedelta
from pathlib import Path

from payers import Payer, PayerLedger, load_profile
from simulator.models import Appeal, ClaimStatus, DocumentationResponse, Frequency
from simulator.samples import sample_claim, sample_coverage, sample_line

FIXTURE = Path(__file__).parent / "data" / "ledger_before_packing.pickle"
DOS = date(2026, 3, 2)
CODES = ("99213", "99214", "36415", "93000", "20610", "99999", "J1100")


def workload() -> dict[str, PayerLedger]:
    """Two payers' ledgers after claims, a correction, a void, documentation and appeals."""
    ledgers = {}
    for name in ("medicare", "commercial_ppo"):
        payer, ledger, rng = Payer(load_profile(name)), PayerLedger(), random.Random(name)
        ledger.enroll(sample_coverage(name, member_id="M000000001"))
        ledger.add_authorization("M000000002", "AUTH-1", ["20610"], DOS, DOS + timedelta(days=30))
        for number in range(24):
            lines = tuple(
                sample_line(
                    i, procedure_code=rng.choice(CODES), charge=rng.randrange(500, 30000), service_date=DOS
                )
                for i in range(1, rng.randrange(2, 4))
            )
            coverage = sample_coverage(name, member_id=f"M{number % 3:09d}")
            dx = ("E11",) if number % 5 == 0 else ("E11.9",)
            claim = sample_claim(claim_id=f"P{number}", coverage=coverage, diagnoses=dx, lines=lines)
            received = DOS + timedelta(days=15)
            last = payer.adjudicate(claim, received=received, ledger=ledger, rng=rng)[-1]
            if last.status == ClaimStatus.PENDED:
                response = DocumentationResponse(
                    payer_claim_number=last.payer_claim_number,
                    sent_date=received + timedelta(days=9),
                    supports_service=number % 2 == 0,
                )
                payer.receive_documentation(response, ledger, rng)
            elif last.status == ClaimStatus.DENIED:
                appeal = Appeal(
                    appeal_id=f"A{number}",
                    payer_claim_number=last.payer_claim_number,
                    filed_date=last.decided_date + timedelta(days=5),
                    has_new_evidence=number % 2 == 0,
                )
                payer.decide_appeal(appeal, ledger, rng)
            elif number % 7 == 3:
                update = {"frequency": Frequency.REPLACEMENT, "payer_claim_number": last.payer_claim_number}
                payer.adjudicate(claim.model_copy(update=update), received=received, ledger=ledger, rng=rng)
            elif number % 7 == 5:
                update = {"frequency": Frequency.VOID, "payer_claim_number": last.payer_claim_number}
                payer.adjudicate(claim.model_copy(update=update), received=received, ledger=ledger, rng=rng)
        ledgers[name] = ledger
    return ledgers


# --- end of the workload that wrote the fixture ---


def test_old_pickle_loads_as_the_same_ledger():
    """An old pickled ledger loads and has the state of the same ledger built by this version."""
    old = pickle.loads(FIXTURE.read_bytes())
    new = workload()
    assert sorted(old) == sorted(new)
    for name in new:
        assert old[name].to_state() == new[name].to_state()
        assert any(record.claim_json for record in old[name].decisions.values())
        assert old[name].appeals and any(not record.active for record in old[name].decisions.values())


def test_old_pickle_goes_on_deciding_as_this_version():
    """A converted old ledger decides the next claim exactly as the ledger built now does."""
    old, new = pickle.loads(FIXTURE.read_bytes()), workload()
    payer = Payer(load_profile("commercial_ppo"))
    claim = sample_claim(claim_id="NEXT", coverage=sample_coverage("commercial_ppo", member_id="M000000001"))
    received = DOS + timedelta(days=20)
    first = payer.adjudicate(claim, received=received, ledger=old["commercial_ppo"])
    assert first == payer.adjudicate(claim, received=received, ledger=new["commercial_ppo"])


def test_new_pickles_round_trip():
    """A ledger pickled by this version loads with the same state."""
    ledgers = workload()
    assert {n: lg.to_state() for n, lg in pickle.loads(pickle.dumps(ledgers)).items()} == {
        n: lg.to_state() for n, lg in ledgers.items()
    }
