"""The fake payer over real HTTP: authentication, partner isolation, JSON claims, mailbox, clock."""

from __future__ import annotations

import httpx
import pytest

from payers import load_profile
from simulator.money import format_dollars, parse_dollars
from simulator.samples import sample_claim, sample_coverage, sample_line

from .conftest import pyx12_validate


def _claim(claim_id: str, member_id: str = "M100", payer: str = "commercial_ppo", charge: int = 15000):
    return sample_claim(
        claim_id=claim_id,
        coverage=sample_coverage(payer, member_id=member_id),
        lines=(sample_line(1, charge=charge),),
    )


def test_health_and_docs_need_no_key(fake_payer) -> None:
    anonymous = httpx.Client(base_url=fake_payer.url)
    assert anonymous.get("/health").json()["status"] == "ok"
    assert anonymous.get("/docs").status_code == 200
    spec = anonymous.get("/openapi.json").json()
    assert "/x12" in spec["paths"] and "/clock/advance" in spec["paths"]


BAD_HEADERS = [{}, {"Authorization": "Bearer wrong-key-123"}, {"Authorization": "Basic x"}]


@pytest.mark.parametrize("headers", BAD_HEADERS)
def test_requests_without_a_valid_key_are_401(fake_payer, headers) -> None:
    anonymous = httpx.Client(base_url=fake_payer.url, headers=headers)
    for method, path in [("GET", "/mailbox"), ("GET", "/claims/1"), ("POST", "/x12"), ("GET", "/clock")]:
        response = anonymous.request(method, path)
        assert response.status_code == 401, (method, path)
        assert "key" in response.json()["detail"].lower()


def test_partner_sees_only_its_own_claims_and_files(fake_payer) -> None:
    keys = fake_payer.submit_claims([_claim("OWN1", "PSPAID_1")])
    fake_payer.advance(60)
    other = fake_payer.as_partner("other")
    assert other.get(f"/claims/{keys[0]}").status_code == 404
    assert other.get("/mailbox").json() == []
    own_files = fake_payer.client.get("/mailbox").json()
    assert {f["kind"] for f in own_files} == {"277CA", "835"}
    for entry in own_files:
        assert other.get(f"/mailbox/{entry['file_id']}").status_code == 404
        assert other.post(f"/mailbox/{entry['file_id']}/ack").status_code == 404
        assert other.post(f"/claims/{keys[0]}/appeals", json={"appeal_id": "X"}).status_code == 404
    assert other.get("/claims").json() == []


def test_partner_cannot_reach_a_payer_it_is_not_set_up_for(fake_payer) -> None:
    other = fake_payer.as_partner("other")
    body = {"claims": [_claim("MCR1", payer="medicare").model_dump(mode="json")]}
    response = other.post("/claims", json=body)
    assert response.status_code == 409
    assert "may not send claims to payer medicare" in response.json()["detail"]
    assert other.post("/eligibility", json={"payer": "medicare", "member_id": "A"}).status_code == 404


def test_bad_claim_body_names_the_field(fake_payer) -> None:
    body = {"claims": [_claim("BAD1").model_dump(mode="json")]}
    body["claims"][0]["lines"][0]["procedure_code"] = "12"
    response = fake_payer.client.post("/claims", json=body)
    assert response.status_code == 422
    assert "procedure_code" in response.json()["detail"]


def test_triggered_outcomes_are_remitted_in_valid_835s(fake_payer) -> None:
    claims = [
        _claim("T-PAID", "PSPAID_1"),
        _claim("T-PART", "PSPARTIAL_2"),
        _claim("T-DENY", "PSDENY197_3"),
    ]
    keys = fake_payer.submit_claims(claims)
    acks = fake_payer.files("277CA")
    assert len(acks) == 1 and pyx12_validate(acks[0][1]).ok
    assert fake_payer.files("835") == []
    result = fake_payer.advance(60)
    assert result["decided"] == 3 and result["remitted"] == 3
    remits = fake_payer.files("835")
    assert len(remits) == 1
    verdict = pyx12_validate(remits[0][1])
    assert verdict.ok, verdict.describe()
    views = [fake_payer.claim(k) for k in keys]
    assert [v["state"] for v in views] == ["remitted"] * 3
    paid = [v["adjudications"][0]["entry"]["paid"] for v in views]
    assert paid == ["150.00", "96.00", "0.00"]
    assert "CAS*CO*197*150" in remits[0][1]


def test_appeal_of_a_triggered_denial_is_paid_after_the_decision_lag(fake_payer) -> None:
    (key,) = fake_payer.submit_claims([_claim("APL1", "PSDENY197_9")])
    fake_payer.advance(60)
    fake_payer.files()
    appeal = fake_payer.appeal(key, "APPEAL-1")
    assert appeal["state"] == "filed"
    assert fake_payer.advance(1)["appeals_decided"] == 0
    fake_payer.advance(90)
    view = fake_payer.claim(key)
    assert view["appeals"][0]["decision"]["outcome"] == "overturned"
    assert [a["entry"]["status"] for a in view["adjudications"]] == ["denied", "paid"]
    remits = fake_payer.files("835")
    assert len(remits) == 1 and "CLP*APL1*1*150*150" in remits[0][1]
    assert pyx12_validate(remits[0][1]).ok
    again = fake_payer.client.post(f"/claims/{key}/appeals", json={"appeal_id": "APPEAL-1"})
    assert again.status_code == 409 and "already used" in again.json()["detail"]


def test_a_second_level_appeal_follows_a_decided_first_level(fake_payer) -> None:
    """Level 2 before level 1 is decided is refused by name; the clock keeps running."""
    (key,) = fake_payer.submit_claims([_claim("LVL2", "M77")])
    fake_payer.advance(30)
    early = fake_payer.client.post(f"/claims/{key}/appeals", json={"appeal_id": "L2-EARLY", "level": 2})
    assert early.status_code == 409 and "no decided level 1 appeal" in early.json()["detail"]
    first = fake_payer.appeal(key, "L1", level=1)
    same_day = fake_payer.client.post(f"/claims/{key}/appeals", json={"appeal_id": "L2-SAME", "level": 2})
    assert same_day.status_code == 409
    assert fake_payer.client.post("/clock/advance", json={"days": 90}).status_code == 200
    assert fake_payer.claim(key)["appeals"][0]["state"] == "decided"
    second = fake_payer.appeal(key, "L2", level=2)
    assert second["state"] == "filed" and first["appeal_id"] == "L1"
    assert fake_payer.client.post("/clock/advance", json={"days": 120}).status_code == 200
    assert [a["state"] for a in fake_payer.claim(key)["appeals"]] == ["decided", "decided"]


def test_pend_waits_for_documentation(fake_payer) -> None:
    keys = fake_payer.submit_claims([_claim("PEND1", "PSPEND_1"), _claim("PEND2", "PSPEND_2")])
    fake_payer.advance(20)
    assert [fake_payer.claim(k)["state"] for k in keys] == ["pended", "pended"]
    response = fake_payer.client.post(f"/claims/{keys[0]}/documentation", json={"supports_service": True})
    assert response.status_code == 200
    fake_payer.advance(10)
    assert fake_payer.claim(keys[0])["adjudications"][-1]["entry"]["status"] == "paid"
    assert fake_payer.claim(keys[1])["state"] == "pended"
    fake_payer.advance(120)
    last = fake_payer.claim(keys[1])["adjudications"][-1]["entry"]
    assert last["status"] == "denied" and last["lines"][0]["adjustments"][0]["carc"] == "252"
    not_pended = fake_payer.client.post(f"/claims/{keys[0]}/documentation", json={"supports_service": True})
    assert not_pended.status_code == 409


def test_rules_decide_without_a_trigger(fake_payer) -> None:
    (key,) = fake_payer.submit_claims([_claim("RULE1", "M555")])
    fake_payer.advance(45)
    view = fake_payer.claim(key)
    entry = view["adjudications"][0]["entry"]
    assert view["trigger"] is None
    assert entry["rules_fired"] and not entry["rules_fired"][0].startswith("trigger")


def test_mailbox_acknowledge_removes_from_new_list(fake_payer) -> None:
    fake_payer.submit_claims([_claim("MB1", "PSPAID_1")])
    listing = fake_payer.client.get("/mailbox").json()
    assert len(listing) == 1 and listing[0]["kind"] == "277CA" and not listing[0]["acknowledged"]
    file_id = listing[0]["file_id"]
    content = fake_payer.client.get(f"/mailbox/{file_id}")
    assert content.headers["content-type"].startswith("application/edi-x12")
    assert content.text.startswith("ISA")
    assert fake_payer.client.post(f"/mailbox/{file_id}/ack").json()["acknowledged"] is True
    assert fake_payer.client.get("/mailbox").json() == []
    everything = fake_payer.client.get("/mailbox", params={"include_acknowledged": True}).json()
    assert [f["file_id"] for f in everything] == [file_id]
    assert fake_payer.client.get("/mailbox/999999").status_code == 404


def test_clock_advances_and_refuses_going_back(fake_payer) -> None:
    start = fake_payer.today()
    assert fake_payer.advance(3)["today"] > start
    response = fake_payer.client.post("/clock/advance", json={"days": -1})
    assert response.status_code == 422 and "days" in response.json()["detail"]


def test_eligibility_and_status(fake_payer) -> None:
    body = {"payer": "commercial_ppo", "member_id": "M1"}
    active = fake_payer.client.post("/eligibility", json=body).json()
    assert active["active"] is True
    inactive = fake_payer.client.post(
        "/eligibility", json={"payer": "commercial_ppo", "member_id": "PSINACTIVE_1"}
    ).json()
    assert inactive["active"] is False
    fake_payer.submit_claims([_claim("STAT1", "PSPAID_1")])
    status = fake_payer.client.post("/claim-status", json={"claim_id": "STAT1"})
    assert status.status_code == 200 and status.json()[0]["state"] == "accepted"
    assert fake_payer.client.post("/claim-status", json={"claim_id": "NOPE"}).status_code == 404


def test_eligibility_money_is_dollar_strings(fake_payer) -> None:
    """Deductible and out-of-pocket maximum come as dollar strings, like every amount in the JSON API."""
    body = {"payer": "commercial_ppo", "member_id": "M1", "service_date": "2026-06-01"}
    answer = fake_payer.client.post("/eligibility", json=body).json()
    profile = load_profile("commercial_ppo")
    assert answer["deductible"] == format_dollars(profile.benefits.deductible)
    assert answer["out_of_pocket_max"] == format_dollars(profile.benefits.out_of_pocket_max)
    assert parse_dollars(answer["deductible"]) == profile.benefits.deductible > 0


def test_json_body_without_json_content_type_says_so(fake_payer) -> None:
    response = fake_payer.client.post(
        "/clock/advance",
        content=b'{"days": 1}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert "Content-Type: application/json" in response.json()["detail"]


def test_a_partner_without_clock_rights_may_read_but_not_move_the_clock(tmp_path) -> None:
    """A partner with may_advance_clock false reads the clock, is refused 403 on advance; others move it."""
    from fastapi.testclient import TestClient

    from simulator.server import FakePayerService, create_app, load_config

    config = load_config()
    partners = tuple(
        p.model_copy(update={"may_advance_clock": False}) if p.partner_id == "other" else p
        for p in config.partners
    )
    service = FakePayerService(config.model_copy(update={"partners": partners}), str(tmp_path / "db"))
    try:
        with TestClient(create_app(service)) as client:
            other = {"Authorization": f"Bearer {config.partner('other').api_key}"}
            demo = {"Authorization": f"Bearer {config.partner('demo').api_key}"}
            start = client.get("/clock", headers=other).json()["today"]
            refused = client.post("/clock/advance", json={"days": 5}, headers=other)
            assert refused.status_code == 403 and "may not move the shared clock" in refused.json()["detail"]
            assert client.get("/clock", headers=other).json()["today"] == start
            assert client.post("/clock/advance", json={"days": 5}, headers=demo).json()["today"] > start
    finally:
        service.close()
