"""A run's X12 files: what the payers received, acknowledged and paid, as valid, balanced X12."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine import CLAIM_COLUMNS, run_scenario
from simulator.scenario import load_scenario
from simulator.x12.envelope import transactions_of
from simulator.x12.read837 import read_837
from tests.simulator.x12.pyx12_harness import validate


@pytest.fixture(scope="module")
def quick_x12(tmp_path_factory):
    """The quick scenario run with its X12 files written; (result, files)."""
    result = run_scenario(load_scenario("quick"), x12=True)
    folder = tmp_path_factory.mktemp("quick")
    return result, result.x12.write(folder, result.last_day)


def _parts(path: Path) -> tuple[str, str, str]:
    """(day, kind, payer) of a file named ``<day>-<rank>-<kind>-<payer>.x12``."""
    _, kind, payer = path.stem[11:].split("-", 2)
    return path.stem[:10], kind, payer


def _kind(path: Path) -> str:
    return _parts(path)[1]


def _by_kind(files: list[Path]) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in files:
        found.setdefault(_kind(path), []).append(path)
    return found


def test_files_come_in_arrival_order_and_every_837_is_acknowledged(quick_x12) -> None:
    _, files = quick_x12
    names = [path.name for path in files]
    assert names == sorted(names)
    kinds = _by_kind(files)
    assert kinds["837"] and kinds["835"]
    assert len(kinds["837"]) == len(kinds["999"]) == len(kinds["277ca"])
    for claims_file in kinds["837"]:
        ack999 = claims_file.with_name(claims_file.name.replace("-2-837-", "-3-999-")).read_text()
        assert "AK9*A*" in ack999 and "IK5*R" not in ack999
        claims = read_837(claims_file.read_text())
        ack277 = claims_file.with_name(claims_file.name.replace("-2-837-", "-4-277ca-")).read_text()
        assert ack277.count("STC*A2:20") == len(claims)


def test_the_835s_pay_exactly_what_the_run_paid(quick_x12) -> None:
    """BPR02 summed over every 835 equals the payers' payments in the claims table, to the cent."""
    result, files = quick_x12
    remitted = Decimal(0)
    for path in _by_kind(files)["835"]:
        for tx in transactions_of(path.read_text(), "835"):
            remitted += Decimal(tx.body[0][2])  # BPR02
    column = {name: index for index, name in enumerate(CLAIM_COLUMNS)}
    paid = sum(row[column["paid_primary"]] + row[column["paid_secondary"]] for row in result.claims)
    assert remitted * 100 == paid
    assert paid > 0


def test_every_claim_paid_was_received_first(quick_x12) -> None:
    """Each claim on an 835 was in an 837 to that payer on or before the payment day."""
    _, files = quick_x12
    received: dict[str, dict[str, str]] = {}  # payer -> claim id -> first day
    for path in _by_kind(files)["837"]:
        day, _, payer = _parts(path)
        for claim in read_837(path.read_text()):
            received.setdefault(payer, {}).setdefault(claim.claim_id, day)
    for path in _by_kind(files)["835"]:
        day, _, payer = _parts(path)
        for tx in transactions_of(path.read_text(), "835"):
            for seg in tx.body:
                if seg.tag == "CLP":
                    assert received[payer][seg[1]] <= day, (payer, seg[1])


def test_the_files_validate_with_pyx12(quick_x12) -> None:
    """One file of each kind per payer goes through pyx12 (the 999 map is not in its set)."""
    _, files = quick_x12
    seen: Counter[tuple[str, str]] = Counter()
    for path in files:
        _, kind, payer = _parts(path)
        if kind == "999" or seen[(payer, kind)]:
            continue
        seen[(payer, kind)] += 1
        outcome = validate(path.read_text())
        assert outcome, f"{path.name}: {outcome.describe()}"
    assert {kind for _, kind in seen} == {"837", "277ca", "835"}


def test_the_same_seed_writes_the_same_bytes(quick_x12, tmp_path) -> None:
    _, files = quick_x12
    again = run_scenario(load_scenario("quick"), x12=True)
    repeat = again.x12.write(tmp_path, again.last_day)
    assert [p.name for p in repeat] == [p.name for p in files]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(files, repeat, strict=True))


def test_a_run_without_x12_notes_no_traffic() -> None:
    assert run_scenario(load_scenario("quick")).x12 is None


def test_payersim_run_x12_writes_the_folder(tmp_path, capsys) -> None:
    out = tmp_path / "run"
    assert main(["run", "quick", "--out", str(out), "--x12"]) == 0
    assert "x12: " in capsys.readouterr().out
    assert "-2-837-" in sorted(p.name for p in (out / "x12").iterdir())[0]  # nothing is paid on day one


def test_each_step_writes_its_files_and_reports_done(quick_x12, tmp_path) -> None:
    """A day's claims to a payer make three files (837, 999, 277CA); a payment run makes one."""
    result, files = quick_x12
    steps = result.x12.steps(result.last_day)
    calls: list[int] = []
    written = result.x12.write(tmp_path, result.last_day, lambda: calls.append(1))
    assert len(calls) == len(steps)
    assert len(written) == len(files) == sum(3 if kind == "837" else 1 for _, _, kind in steps)
    assert all(day <= result.last_day for day, _, _ in steps)


def test_writing_again_writes_the_same_bytes(quick_x12, tmp_path) -> None:
    """Each write starts its control and check numbers afresh."""
    result, files = quick_x12
    again = result.x12.write(tmp_path, result.last_day)
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(files, again, strict=True))


def test_a_payment_run_of_pended_claims_only_writes_no_835(tmp_path) -> None:
    from types import SimpleNamespace

    from payers import load_profile
    from simulator.engine.x12files import X12Traffic
    from simulator.models import ClaimStatus

    traffic = X12Traffic(load_scenario("quick"))
    desk = SimpleNamespace(name="medicare", profile=load_profile("medicare"))
    traffic.paid(desk, None, [SimpleNamespace(status=ClaimStatus.PENDED)], date(2026, 3, 9))
    assert traffic.steps(date(2026, 12, 31)) == []
    assert traffic.write(tmp_path, date(2026, 12, 31)) == []


def test_files_written_as_the_run_goes_are_the_same(quick_x12, tmp_path) -> None:
    """Streaming into the run folder gives the very files of a write after the run."""
    _, files = quick_x12
    result = run_scenario(load_scenario("quick"), x12_folder=tmp_path)
    assert result.x12.streaming and len(list((tmp_path / "x12").iterdir())) > 0  # some written already
    streamed = result.x12.finish(result.last_day)
    assert not result.x12.received_on  # let go once written
    assert [p.name for p in streamed] == [p.name for p in files]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(files, streamed, strict=True))
    with pytest.raises(RuntimeError, match="finish"):
        result.x12.write(tmp_path, result.last_day)


def test_a_balance_forwarded_is_taken_back_from_the_payees_next_payment(tmp_path) -> None:
    """A payment run whose reversal exceeds its new money forwards the shortfall (PLB FB, negative);
    the payee's next payment run takes it back (PLB FB, positive), so the 835s pay what was owed."""
    from types import SimpleNamespace

    from payers import load_profile
    from simulator.engine.x12files import X12Traffic
    from simulator.x12.remit835 import read_835
    from tests.simulator.x12 import remit_fixtures as fx

    traffic = X12Traffic(load_scenario("quick"))
    desk = SimpleNamespace(name="commercial_ppo", profile=load_profile("commercial_ppo"))
    claim = fx.sample_claim_for_tests()
    reversal, _ = fx.reversal_and_correction()
    traffic.paid(desk, claim, [reversal, fx.denied("PCN010", "26075000012")], date(2026, 3, 9))
    traffic.paid(desk, claim, [fx.partly_paid()], date(2026, 3, 16))
    files = traffic.write(tmp_path, date(2026, 12, 31))
    (first,), (second,) = [read_835(path.read_text()) for path in files]
    owed = reversal.paid  # negative: what the payee owes back
    assert first.amount == 0
    assert [(a.reason, a.amount) for a in first.provider_adjustments] == [("FB", owed)]
    assert [(a.reason, a.amount) for a in second.provider_adjustments] == [("FB", -owed)]
    assert second.amount == fx.partly_paid().paid + owed
    assert first.amount + second.amount == reversal.paid + fx.partly_paid().paid
