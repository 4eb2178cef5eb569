"""Prompt-pay interest: a Medicare claim paid after day 30 carries interest in its 835 (PLB L6)."""

from __future__ import annotations

from datetime import date, timedelta

from simulator.models import Frequency
from simulator.money import parse_dollars
from simulator.samples import sample_claim, sample_coverage, sample_line
from simulator.server.config import load_config
from simulator.server.service import FakePayerService

from .conftest import pyx12_validate

SLOW = {"adjudication_lag": {"median_days": 45, "sigma": 0, "min_days": 45}}


def _slow_medicare(tmp_path) -> FakePayerService:
    base = load_config()
    slow = {"overrides": SLOW}
    payers = tuple(p.model_copy(update=slow) if p.name == "medicare" else p for p in base.payers)
    return FakePayerService(base.model_copy(update={"payers": payers}), str(tmp_path / "db"))


def _visits(start: date, count: int):
    coverage = sample_coverage("medicare", member_id="MCRSLOW1")
    return [
        sample_claim(
            claim_id=f"SLOW{n}",
            coverage=coverage,
            lines=(sample_line(1, charge=20000, service_date=start - timedelta(days=n)),),
        )
        for n in range(1, count + 1)
    ]


def _plb_interest(remits: list[str]) -> dict[str, int]:
    """Interest (cents) by payer claim number from the PLB L6 adjustments of ``remits``."""
    found: dict[str, int] = {}
    for text in remits:
        for segment in text.split("~"):
            if segment.startswith("PLB*"):
                parts = segment.split("*")[3:]
                for reason, value in zip(parts[::2], parts[1::2], strict=True):
                    if reason.startswith("L6:"):
                        found[reason[3:]] = -parse_dollars(value)
    return found


def test_a_late_medicare_payment_carries_interest_in_a_valid_835(tmp_path) -> None:
    """Medicare claims decided on day 45 are paid with interest, as PLB L6 in 835s pyx12 accepts."""
    service = _slow_medicare(tmp_path)
    partner = service.config.partner("demo")
    try:
        keys = service.submit_claims(partner, _visits(service.clock.today(), 6))
        service.advance(60)
        decisions = [service.claim_view(partner, k)["adjudications"][-1] for k in keys]
        entries = [d["entry"] for d in decisions]
        with_interest = [e for e in entries if e["interest"] != "0.00"]
        assert with_interest, "claims paid on day 45 owe 15 days of interest"
        assert all(e["paid"] != "0.00" for e in with_interest)
        assert all(e["interest"] == "0.00" for e in entries if e["paid"] == "0.00")
        for decision in decisions:
            entry = decision["entry"]
            paid_on, received = decision["payment_date"], entry["received_date"]
            late = (date.fromisoformat(paid_on) - date.fromisoformat(received)).days
            owed = (parse_dollars(entry["paid"]) * 4625 * (late - 30) + 18_250_000) // 36_500_000
            assert late > 30 and parse_dollars(entry["interest"]) == owed
        files = service.mailbox(partner, kind="835")
        remits = [service.mailbox_file(partner, f["file_id"])["content"].decode() for f in files]
        assert _plb_interest(remits) == {
            e["payer_claim_number"]: parse_dollars(e["interest"]) for e in with_interest
        }
        for text in remits:
            verdict = pyx12_validate(text)
            assert verdict.ok, verdict.describe()
    finally:
        service.close()


def test_interest_paid_is_recovered_when_the_claim_is_reversed(tmp_path) -> None:
    """A replacement reverses a decision paid with interest: the reversal's 835 takes the interest back."""
    service = _slow_medicare(tmp_path)
    partner = service.config.partner("demo")
    try:
        visits = _visits(service.clock.today(), 6)
        keys = service.submit_claims(partner, visits)
        service.advance(60)
        decided = [service.claim_view(partner, k)["adjudications"][-1]["entry"] for k in keys]
        index, first = next((i, e) for i, e in enumerate(decided) if e["interest"] != "0.00")
        interest = parse_dollars(first["interest"])
        replacement = visits[index].model_copy(
            update={"frequency": Frequency.REPLACEMENT, "payer_claim_number": first["payer_claim_number"]}
        )
        (again,) = service.submit_claims(partner, [replacement])
        service.advance(60)
        entries = [a["entry"] for a in service.claim_view(partner, again)["adjudications"]]
        reversal = next(e for e in entries if e["status"] == "reversed")
        assert reversal["reverses"] == first["payer_claim_number"]
        assert parse_dollars(reversal["interest"]) == -interest
        files = service.mailbox(partner, kind="835")
        last = service.mailbox_file(partner, files[-1]["file_id"])["content"].decode()
        assert f"L6:{reversal['payer_claim_number']}*{interest / 100:.2f}" in last.replace("~", "*")
        verdict = pyx12_validate(last)
        assert verdict.ok, verdict.describe()
    finally:
        service.close()
