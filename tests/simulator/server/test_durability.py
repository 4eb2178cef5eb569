"""Restarting on the same database: ledgers come back from snapshot plus replayed operations."""

from __future__ import annotations

from simulator.server import FakePayerService, load_config
from simulator.server import service as service_module

from .conftest import claims_for


def _state(service: FakePayerService):
    ledger = service.payers["commercial_ppo"].ledger
    return ledger.counter, sorted(ledger.decisions), sorted(ledger.accumulators.items())


def _submit_and_decide(service: FakePayerService, prefix: str, count: int) -> None:
    """Submit ``count`` commercial claims for the demo partner, then let 60 days decide and pay them."""
    service.submit_claims(service.config.partner("demo"), claims_for(prefix, count, member_prefix="MEM"))
    service.advance(60)


def test_restart_without_snapshot_replays_the_ledger(tmp_path, monkeypatch) -> None:
    db = str(tmp_path / "db")
    first = FakePayerService(load_config(), db)
    partner = first.config.partner("demo")
    _submit_and_decide(first, "D", 30)
    before = _state(first)
    assert before[0] > 0 and before[2], "the rules should have credited accumulators"
    assert first.store.row("SELECT COUNT(*) AS n FROM ledgers")["n"] == 0
    first.store.close()
    second = FakePayerService(load_config(), db)
    assert _state(second) == before
    _submit_and_decide(second, "E", 5)
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


def test_ledger_snapshots_are_versioned_json_and_a_bad_one_is_named(tmp_path) -> None:
    """Snapshots are version 1 JSON that restore the same state; an unreadable one names its payer."""
    import json

    import pytest

    from simulator.errors import UserError

    db = str(tmp_path / "db")
    first = FakePayerService(load_config(), db)
    _submit_and_decide(first, "J", 10)
    before = _state(first)
    first.close()
    second = FakePayerService(load_config(), db)
    saved = second.store.row("SELECT state FROM ledgers WHERE payer = 'commercial_ppo'")["state"]
    assert json.loads(bytes(saved).decode("utf-8"))["version"] == 1
    assert _state(second) == before
    with second.store.transaction():
        junk = (b"\x80\x05junk",)
        second.store.execute("UPDATE ledgers SET state = ? WHERE payer = 'commercial_ppo'", junk)
    second.store.close()
    with pytest.raises(UserError, match="ledger snapshot of payer commercial_ppo cannot be read"):
        FakePayerService(load_config(), db)


def test_operations_logged_after_a_snapshot_survive_a_crash(tmp_path) -> None:
    """A clean stop snapshots every ledger and empties the log; later operations still replay."""
    db = str(tmp_path / "db")
    first = FakePayerService(load_config(), db)
    _submit_and_decide(first, "S", 10)
    first.close()
    second = FakePayerService(load_config(), db)
    assert second.store.row("SELECT COUNT(*) AS n FROM ledger_ops")["n"] == 0
    _submit_and_decide(second, "T", 10)
    after = _state(second)
    second.store.close()  # a crash: no snapshot of the operations since the restart
    third = FakePayerService(load_config(), db)
    assert _state(third) == after
    third.close()


def test_claims_accepted_before_a_restart_are_decided_as_without_it(tmp_path) -> None:
    """Claims read back from the database after a restart get the decisions and 835s of a run without one."""
    answers = []
    for name, restart in (("straight", False), ("restarted", True)):
        db = str(tmp_path / name)
        service = FakePayerService(load_config(), db)
        partner = service.config.partner("demo")
        keys = service.submit_claims(partner, claims_for("R", 12, member_prefix="MEM"))
        if restart:
            service.store.close()
            service = FakePayerService(load_config(), db)
        service.advance(60)
        views = [service.claim_view(partner, key) for key in keys]
        remits = [service.mailbox_file(partner, f["file_id"]) for f in service.mailbox(partner, kind="835")]
        answers.append((views, [_from_first_clp(bytes(remit["content"]).decode()) for remit in remits]))
        service.close()
    assert answers[0] == answers[1]
    assert {view["state"] for view in answers[0][0]} == {"remitted"}
    assert answers[0][1] and all(payments.count("CLP*") for payments in answers[0][1])


def _from_first_clp(text: str) -> str:
    """An 835's claim payments: its segments from the first CLP to the SE (control numbers differ)."""
    return text[text.index("CLP*") : text.rindex("SE*")]


def test_a_database_of_another_schema_version_is_refused_by_name(tmp_path) -> None:
    import pytest

    from simulator.errors import UserError
    from simulator.server.store import SCHEMA_VERSION, Store

    store = Store(tmp_path / "db")
    with store.transaction():
        store.set_meta("schema_version", "0")
    store.close()
    with pytest.raises(UserError, match=r"schema version 0, this payersim uses .*new --db"):
        Store(tmp_path / "db")
    assert SCHEMA_VERSION != "0"
