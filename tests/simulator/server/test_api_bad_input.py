"""Bad requests to the HTTP API are answered 4xx with a message naming the problem, never 500.

Keys too big for the database, bodies that are not UTF-8, JSON nested too deeply or broken, and
the wording of a 422 on a route that takes no body.
"""

from __future__ import annotations

import json

import pytest

from simulator.samples import sample_claim
from simulator.server import api

from .conftest import api_client

TOO_BIG = 2**63


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with api_client(tmp_path_factory.mktemp("bad-input"), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", f"/claims/{TOO_BIG}", None, "path.claim_key"),
        ("GET", f"/claims/{10**30}", None, "path.claim_key"),
        ("POST", f"/claims/{TOO_BIG}/appeals", {"appeal_id": "A1"}, "path.claim_key"),
        ("POST", f"/claims/{TOO_BIG}/documentation", {"supports_service": True}, "path.claim_key"),
        ("GET", f"/mailbox/{TOO_BIG}", None, "path.file_id"),
        ("POST", f"/mailbox/{TOO_BIG}/ack", None, "path.file_id"),
        ("GET", f"/claims?after={TOO_BIG}", None, "query.after"),
    ],
)
def test_a_key_too_big_for_the_database_is_422_naming_it(client, method, path, body, field) -> None:
    """A claim key, file id or ``after`` past SQLite's integers is refused, not a 500."""
    response = client.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert f"{field}: Input should be less than or equal to {TOO_BIG - 1}" in response.json()["detail"]


def test_a_body_that_is_not_utf8_is_400_naming_the_byte(client) -> None:
    """A Latin-1 JSON body is refused with the offending byte, not a bare parse error."""
    body = '{"payer": "commercial_ppo", "member_id": "M\u00dcLLER"}'.encode("latin-1")
    response = client.post("/eligibility", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("the body is not UTF-8 text (byte 0xdc at offset 43)")


def test_json_nested_too_deeply_is_400_saying_so(client) -> None:
    """A body of 100,000 nested lists is refused as nested too deeply."""
    body = b"[" * 100_000 + b"]" * 100_000
    response = client.post("/claims", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_a_number_too_long_to_read_is_400_saying_so(client) -> None:
    """A JSON number of 5,000 digits is refused naming the digits, not as a bare parse error."""
    body = b'{"days": ' + b"1" * 5000 + b"}"
    response = client.post("/clock/advance", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("the JSON body cannot be read: ") and "5000 digits" in detail
    assert "sys." not in detail


def test_broken_json_says_what_json_found_wrong(client) -> None:
    """A body that is not JSON is a 422 giving JSON's own reason and where it is."""
    headers = {"Content-Type": "application/json"}
    response = client.post("/clock/advance", content=b"{days: 3}", headers=headers)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "body: not valid JSON at character 1: Expecting property name enclosed in double quotes" in detail


def test_a_route_without_a_body_does_not_blame_the_content_type(client) -> None:
    """A bad file id on the acknowledge route names the id and says nothing about a body."""
    response = client.post("/mailbox/not-a-number/ack")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "path.file_id" in detail and "Content-Type" not in detail


def test_one_bad_claim_is_named_without_an_echo_about_the_list(client) -> None:
    """A batch whose only claim is bad names that claim's field, not also "claims: at least 1 item"."""
    claim = json.loads(sample_claim().model_dump_json())
    claim["lines"][0]["procedure_code"] = "not-a-code"
    response = client.post("/claims", json={"claims": [claim]})
    assert response.status_code == 422
    fields = [problem["field"] for problem in response.json()["problems"]]
    assert fields == ["body.claims.0.lines.0.procedure_code"]


def test_a_body_over_the_limit_is_413_on_every_route(client, monkeypatch) -> None:
    """JSON routes refuse an oversized body before reading it, as /x12 does."""
    monkeypatch.setattr(api, "MAX_BODY", 1000)
    claim = json.loads(sample_claim().model_dump_json())
    for path, body in [("/claims", {"claims": [claim]}), ("/clock/advance", {"days": 1, "pad": "x" * 2000})]:
        response = client.post(path, json=body)
        assert response.status_code == 413, path
        assert "over the 1000-byte limit" in response.json()["detail"]
    assert client.post("/clock/advance", json={"days": 0}).status_code == 200
