"""837s over real HTTP: 999 at once, 277CA and 835 in the mailbox, re-sent files recognised."""

from __future__ import annotations

import concurrent.futures
from collections import Counter

from simulator.x12.ack277ca import read_277ca

from .conftest import claims_for, clp_claim_ids, make_837, pyx12_validate


def _post(client, text: str):
    return client.post("/x12", content=text.encode(), headers={"Content-Type": "application/edi-x12"})


def test_837_gets_999_then_277ca_then_835(fake_payer) -> None:
    claims = claims_for("E", 3, "PSPAID_") + claims_for("F", 2, "PSDENY197_")
    response = _post(fake_payer.client, make_837(claims, 101))
    assert response.status_code == 200 and response.headers["x-payersim-kind"] == "999"
    assert "AK9*A*1*1*1" in response.text
    assert response.text[102] == "T", "the 999 carries the partner's ISA15"
    verdict = pyx12_validate(response.text)
    assert verdict.ok, verdict.describe()
    (ack,) = fake_payer.files("277CA")
    assert sorted(a.claim_id for a in read_277ca(ack[1])) == sorted(c.claim_id for c in claims)
    fake_payer.advance(60)
    (remit,) = fake_payer.files("835")
    assert sorted(clp_claim_ids(remit[1])) == sorted(c.claim_id for c in claims)
    assert pyx12_validate(remit[1]).ok


def test_resent_interchange_is_recognised_not_double_counted(fake_payer) -> None:
    text = make_837(claims_for("R", 4), 202)
    first = _post(fake_payer.client, text)
    again = _post(fake_payer.client, text)
    assert again.headers.get("x-payersim-replayed") == "true"
    assert again.text == first.text
    assert len(fake_payer.client.get("/claims").json()) == 4
    assert len(fake_payer.files("277CA")) == 1


def test_another_interchange_with_a_used_control_number_gets_a_ta1_not_the_old_answer(fake_payer) -> None:
    """Same sender and ISA13 but other content: a TA1 (025) names it; nothing is lost or replayed."""
    first = _post(fake_payer.client, make_837(claims_for("A", 1), 7001))
    other = _post(fake_payer.client, make_837(claims_for("B", 2), 7001))
    assert first.headers["x-payersim-kind"] == "999"
    assert other.headers["x-payersim-kind"] == "TA1" and other.headers.get("x-payersim-replayed") is None
    assert "TA1*000007001*" in other.text and "*R*025~" in other.text
    problem = other.headers["x-payersim-problem"]
    assert "7001" in problem and "new control number" in problem
    assert [c["claim_id"] for c in fake_payer.client.get("/claims").json()] == ["A00000"]
    renumbered = _post(fake_payer.client, make_837(claims_for("B", 2), 7002))
    assert renumbered.headers["x-payersim-kind"] == "999"
    assert len(fake_payer.client.get("/claims").json()) == 3


def test_concurrent_clients_each_claim_acknowledged_and_paid_once(fake_payer) -> None:
    batches = [make_837(claims_for(f"K{n}", 500), 300 + n) for n in range(8)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda text: _post(fake_payer.client, text), batches))
    assert all(a.status_code == 200 and a.headers["x-payersim-kind"] == "999" for a in answers)
    expected = {f"K{n}{i:05d}" for n in range(8) for i in range(500)}
    acks = Counter(a.claim_id for _, text in fake_payer.files("277CA") for a in read_277ca(text))
    assert set(acks) == expected and set(acks.values()) == {1}
    fake_payer.advance(60)
    paid = Counter(cid for _, text in fake_payer.files("835") for cid in clp_claim_ids(text))
    assert set(paid) == expected and set(paid.values()) == {1}


def test_claim_to_a_payer_the_partner_cannot_reach_is_rejected_in_the_277ca(fake_payer) -> None:
    other = fake_payer.as_partner("other")
    claims = claims_for("OK", 1) + claims_for("NO", 1, payer="medicare")
    response = _post(other, make_837(claims, 401, sender="OTHERCLINIC"))
    assert response.headers["x-payersim-kind"] == "999"
    files = other.get("/mailbox").json()
    acks = {a.claim_id: a for a in read_277ca(other.get(f"/mailbox/{files[0]['file_id']}").text)}
    assert acks["OK00000"].accepted and not acks["NO00000"].accepted
    assert acks["NO00000"].statuses[0].category == "A3"
    states = {c["claim_id"]: c["state"] for c in other.get("/claims").json()}
    assert states == {"OK00000": "accepted", "NO00000": "rejected"}


def test_the_277ca_answers_each_837_transaction_set_with_its_bht03(fake_payer) -> None:
    """Claims sent in two 837 transaction sets get a 277CA set each, 2200B TRN02 = the set's BHT03."""
    from datetime import datetime

    from simulator.x12.claim837 import write_837
    from simulator.x12.envelope import ControlNumbers, Party

    from .conftest import claims_for

    text = write_837(
        claims_for("TWO", 4),
        sender=Party("DEMOCLINIC"),
        receiver=Party("PAYERSIM"),
        when=datetime(2026, 3, 2, 9, 0),
        numbers=ControlNumbers(start=77),
        usage="T",
        max_claims_per_transaction=2,
    )
    bhts = [s.split("*")[3] for s in text.split("~") if s.startswith("BHT*")]
    fake_payer.post_x12(text)
    ((_, answer),) = fake_payer.files("277CA")
    batch_traces = []
    for body in answer.split("~ST*")[1:]:
        traces = [s.split("*")[2] for s in body.split("~") if s.startswith("TRN*2*")]
        batch_traces.append(traces[0])
        assert len(traces) == 3
    assert sorted(batch_traces) == sorted(bhts) and len(set(bhts)) == 2
