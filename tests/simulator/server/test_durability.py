"""Restarting on the same database: ledgers come back from snapshot plus replayed operations."""

from __future__ import annotations

from simulator.server import FakePayerService, load_config
from simulator.server import service as service_module

from .conftest import claims_for


def _state(service: FakePayerService):
    ledger = service.payers["commercial_ppo"].ledger
    return ledger.counter, sorted(ledger.decisions), sorted(ledger.accumulators.items())


def test_restart_without_snapshot_replays_the_ledger(tmp_path, monkeypatch) -> None:
    db = str(tmp_path / "db")
    first = FakePayerService(load_config(), db)
    partner = first.config.partner("demo")
    first.submit_claims(partner, claims_for("D", 30, member_prefix="MEM"))
    first.advance(60)
    before = _state(first)
    assert before[0] > 0 and before[2], "the rules should have credited accumulators"
    assert first.store.row("SELECT COUNT(*) AS n FROM ledgers")["n"] == 0
    first.store.close()
    second = FakePayerService(load_config(), db)
    assert _state(second) == before
    second.submit_claims(partner, claims_for("E", 5, member_prefix="MEM"))
    second.advance(60)
    after = _state(second)
    monkeypatch.setattr(service_module, "SNAPSHOT_EVERY", 1)
    second.close()
    third = FakePayerService(load_config(), db)
    assert third.store.row("SELECT COUNT(*) AS n FROM ledger_ops")["n"] == 0
    assert _state(third) == after
    assert len(third.find_claims(partner, limit=1000)) == 35
    third.close()


def test_control_numbers_are_never_reused_across_restarts(tmp_path) -> None:
    from simulator.server.store import Store

    store = Store(tmp_path / "db")
    first = [store.next_control_number("demo", "interchange") for _ in range(3)]
    assert first == [1, 2, 3]
    assert store.next_control_number("demo", "interchange", count=2) == 4
    store.close()
    again = Store(tmp_path / "db")
    assert again.next_control_number("demo", "interchange") > 5
    assert again.next_control_number("other", "interchange") == 1
