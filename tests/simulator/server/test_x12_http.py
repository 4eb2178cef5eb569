"""X12 over ``POST /x12``: envelope checks answered with a TA1, 270 -> 271, and unreadable bodies."""

from __future__ import annotations

from datetime import date, datetime

import httpx

from simulator.x12.eligibility import EligibilityRequest, write_270
from simulator.x12.envelope import ControlNumbers, Party

from .conftest import with_envelope

WHEN = datetime(2026, 3, 2, 10, 0)


def _270(member_id: str, payer_id: str = "PPO01", birth: date | None = date(1958, 4, 12)) -> str:
    request = EligibilityRequest(
        member_id=member_id,
        last_name="DOE",
        first_name="JANE",
        birth_date=birth,
        gender="F",
        service_date=date(2026, 3, 2),
        payer_id=payer_id,
        payer_name="COMMERCIAL PPO",
        provider_name="SPRINGFIELD CLINIC",
        provider_npi="1234567893",
    )
    text = write_270(
        [request], sender=Party("DEMOCLINIC"), receiver=Party("PAYERSIM"), when=WHEN, numbers=ControlNumbers()
    )
    return with_envelope(text, usage="T")


def _post(client: httpx.Client, text: str) -> httpx.Response:
    return client.post("/x12", content=text.encode(), headers={"Content-Type": "application/edi-x12"})


def test_270_is_answered_with_a_271(fake_payer) -> None:
    response = _post(fake_payer.client, _270("M123"))
    assert response.status_code == 200 and response.headers["x-payersim-kind"] == "271"
    assert "ST*271*" in response.text and "EB*1*" in response.text
    assert response.text[102] == "T"
    inactive = _post(fake_payer.client, _270("PSINACTIVE_1"))
    assert "AAA*Y**75" in inactive.text and "EB*1*" not in inactive.text


def test_envelope_mismatches_get_a_ta1_naming_the_problem(fake_payer) -> None:
    good = _270("M1")
    cases = [
        (with_envelope(good, sender="SOMEONEELSE"), "006", "ISA06"),
        (with_envelope(good, receiver="NOTUS"), "008", "ISA08"),
        (with_envelope(good, usage="P"), "020", "ISA15"),
    ]
    for text, note, named in cases:
        response = _post(fake_payer.client, text)
        assert response.status_code == 200
        assert response.headers["x-payersim-kind"] == "TA1"
        assert f"*R*{note}~" in response.text
        assert named in response.headers["x-payersim-problem"]


def test_unreadable_bodies_are_400_with_a_reason(fake_payer) -> None:
    for body in [b"hello", b"   ", b"ISA*00*short"]:
        response = fake_payer.client.post("/x12", content=body)
        assert response.status_code == 400
        assert response.json()["detail"]


def test_276_is_answered_from_the_partners_claims(fake_payer) -> None:
    from simulator.samples import sample_claim, sample_coverage

    from .conftest import samples_folder

    text = (samples_folder() / "276-claim-request.edi").read_text(encoding="utf-8-sig")
    text = with_envelope(text, sender="DEMOCLINIC", receiver="PAYERSIM", usage="T")
    fake_payer.submit_claims(
        [
            sample_claim(claim_id="SM123456", coverage=sample_coverage(member_id="PSPAID_SM")),
            sample_claim(claim_id="JO234567", coverage=sample_coverage(member_id="PSDENY197_JO")),
        ]
    )
    fake_payer.advance(60)
    response = _post(fake_payer.client, text)
    assert response.headers["x-payersim-kind"] == "277"
    segments = response.text.split("~")
    statuses = [s for s in segments if s.startswith("STC*")]
    assert [s.split("*")[1] for s in statuses[-3:]] == ["F1:65", "F2:1", "A4:35"]
    waiting_claim = sample_claim(claim_id="MA345678", coverage=sample_coverage(member_id="PSPAID_MA"))
    fake_payer.submit_claims([waiting_claim])
    waiting = [s for s in _post(fake_payer.client, text).text.split("~") if s.startswith("STC*")]
    assert waiting[-1].split("*")[1] == "P1:20"
    from simulator.x12.remit835 import amount

    asked = [s for s in text.split("~") if s.startswith("AMT*T3*")][-1].split("*")[2]
    assert waiting[-1].split("*")[4] == amount(waiting_claim.total_charge) != asked
    other = _post(fake_payer.as_partner("other"), with_envelope(text, sender="OTHERCLINIC"))
    assert all(s.split("*")[1] == "A4:35" for s in other.text.split("~") if s.startswith("STC*"))
