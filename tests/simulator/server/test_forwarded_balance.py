"""A balance an 835 forwards (PLB FB, when reversals exceed the new money) is taken back later."""

from __future__ import annotations

from datetime import date

from simulator.server import x12bridge
from simulator.server.config import load_config
from simulator.server.service import FakePayerService
from simulator.x12.remit835 import read_835
from tests.simulator.x12 import remit_fixtures as fx

from .conftest import pyx12_validate


def test_the_next_835_to_the_payee_takes_back_the_balance_forwarded(tmp_path) -> None:
    """Two payment runs of one payer to one partner: the first forwards what the reversal left
    owing (FB, negative, BPR02 0), the second takes it back (FB, positive), kept across a restart."""
    path = str(tmp_path / "db")
    service = FakePayerService(load_config(), path)
    partner = service.config.partner("demo")
    runtime = service.payers["commercial_ppo"]
    claim = fx.sample_claim_for_tests()
    reversal, _ = fx.reversal_and_correction()
    try:
        with service.store.transaction():
            first = x12bridge.write_835(service, partner, runtime, [(claim, reversal)], date(2026, 3, 9))
    finally:
        service.close()
    service = FakePayerService(load_config(), path)
    try:
        runtime = service.payers["commercial_ppo"]
        with service.store.transaction():
            second = x12bridge.write_835(service, partner, runtime, [(claim, fx.paid())], date(2026, 3, 16))
    finally:
        service.close()
    (one,), (two,) = read_835(first), read_835(second)
    owed = reversal.paid
    assert one.amount == 0 and [(a.reason, a.amount) for a in one.provider_adjustments] == [("FB", owed)]
    assert [(a.reason, a.amount) for a in two.provider_adjustments] == [("FB", -owed)]
    assert two.amount == fx.paid().paid + owed
    verdict = pyx12_validate(second)
    assert verdict.ok, verdict.describe()
