"""Durability: the server is SIGKILLed in the middle of a batch and restarted on its database.

Every claim whose 999 came back is still there after the restart and is paid exactly once;
re-sending every interchange (the one in flight included) is recognised, not double-counted.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter

import httpx

from .conftest import claims_for, clp_claim_ids, free_port, make_837, start_server

KEY = {"Authorization": "Bearer demo-key-0001"}


def test_sigkill_mid_batch_loses_nothing_acknowledged_and_pays_once(tmp_path) -> None:
    db = tmp_path / "payer.db"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    files = {n: make_837(claims_for(f"C{n:02d}", 40), 1000 + n) for n in range(30)}
    acknowledged: list[int] = []
    process = start_server(db, port)

    def send_all() -> None:
        with httpx.Client(base_url=url, headers=KEY, timeout=30) as client:
            for number, text in files.items():
                try:
                    response = client.post("/x12", content=text.encode())
                except httpx.HTTPError:
                    return
                if response.status_code == 200 and response.headers.get("x-payersim-kind") == "999":
                    acknowledged.append(number)

    sender = threading.Thread(target=send_all)
    sender.start()
    while len(acknowledged) < 8 and sender.is_alive():
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    sender.join()
    assert 8 <= len(acknowledged) < len(files), "the kill should land in the middle of the batch"

    process = start_server(db, port)
    try:
        with httpx.Client(base_url=url, headers=KEY, timeout=30) as client:
            stored = set()
            after = 0
            while page := client.get("/claims", params={"after": after, "limit": 1000}).json():
                stored |= {c["claim_id"] for c in page}
                after = page[-1]["claim_key"]
            promised = {c.claim_id for n in acknowledged for c in claims_for(f"C{n:02d}", 40)}
            assert promised <= stored
            for number in acknowledged:
                replay = client.post("/x12", content=files[number].encode())
                assert replay.headers.get("x-payersim-replayed") == "true"
            for text in files.values():
                assert client.post("/x12", content=text.encode()).status_code == 200
            client.post("/clock/advance", json={"days": 60}).raise_for_status()
            paid = Counter()
            for entry in client.get("/mailbox", params={"kind": "835"}).json():
                paid.update(clp_claim_ids(client.get(f"/mailbox/{entry['file_id']}").text))
            everything = {c.claim_id for n in files for c in claims_for(f"C{n:02d}", 40)}
            assert set(paid) == everything
            assert set(paid.values()) == {1}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


def _views(db, keys) -> list[dict]:
    """Every claim's view from the database at ``db`` (the server that wrote it has stopped)."""
    from simulator.server import FakePayerService, load_config

    service = FakePayerService(load_config(), str(db))
    partner = service.config.partner("demo")
    views = [service.claim_view(partner, key) for key in keys]
    service.store.close()
    return views


def test_sigkill_mid_advance_redoes_the_catch_up_once_with_the_same_decisions(tmp_path) -> None:
    """A catch-up killed half-way leaves nothing behind; after a restart it runs as if never started."""
    files = [make_837(claims_for(f"K{n:02d}", 500, member_prefix="MEM"), 3000 + n) for n in range(8)]
    db, port = tmp_path / "payer.db", free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_server(db, port)
    advanced: list[object] = []
    with httpx.Client(base_url=url, headers=KEY, timeout=60) as client:
        for text in files:
            response = client.post("/x12", content=text.encode())
            assert response.headers.get("x-payersim-claims") == "500", response.text[-200:]
        keys = _claim_keys(client)
        assert len(keys) == 4000

        def advance() -> None:
            try:
                advanced.append(client.post("/clock/advance", json={"days": 60}).status_code)
            except httpx.HTTPError as error:
                advanced.append(error)

        runner = threading.Thread(target=advance)
        runner.start()
        time.sleep(0.3)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        runner.join()
    assert isinstance(advanced[0], httpx.HTTPError), "the kill should land while the clock advance runs"

    process = start_server(db, port)
    try:
        with httpx.Client(base_url=url, headers=KEY, timeout=60) as client:
            assert client.get("/clock").json()["today"] == "2026-03-02", "the killed advance left its date"
            client.post("/clock/advance", json={"days": 60}).raise_for_status()
            paid = Counter()
            for entry in client.get("/mailbox", params={"kind": "835"}).json():
                paid.update(clp_claim_ids(client.get(f"/mailbox/{entry['file_id']}").text))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    restarted = _views(db, keys)
    decisions = Counter(
        sum(a["entry"]["status"] != "pended" for a in view["adjudications"]) for view in restarted
    )
    assert set(decisions) <= {0, 1} and decisions[1] > len(keys) // 2, "no claim is decided twice"
    assert sum(paid.values()) == len(paid) == sum(view["state"] == "remitted" for view in restarted) > 0

    reference = tmp_path / "reference.db"
    from simulator.server import FakePayerService, load_config

    straight = FakePayerService(load_config(), str(reference))
    for text in files:
        straight.submit_x12(straight.config.partner("demo"), text.encode())
    straight.advance(60)
    straight.close()
    assert restarted == _views(reference, keys)


def _claim_keys(client: httpx.Client) -> list[int]:
    """The keys of every claim the partner has sent."""
    keys: list[int] = []
    while page := client.get("/claims", params={"after": keys[-1] if keys else 0, "limit": 1000}).json():
        keys += [claim["claim_key"] for claim in page]
    return keys
