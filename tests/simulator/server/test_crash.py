"""Durability: the server is SIGKILLed in the middle of a batch and restarted on its database.

Every claim whose 999 came back is still there after the restart and is paid exactly once;
re-sending every interchange (the one in flight included) is recognised, not double-counted.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import httpx

from .conftest import REPO, claims_for, clp_claim_ids, make_837

KEY = {"Authorization": "Bearer demo-key-0001"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(db, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "serve", "--db", str(db), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def test_sigkill_mid_batch_loses_nothing_acknowledged_and_pays_once(tmp_path) -> None:
    db = tmp_path / "payer.db"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    files = {n: make_837(claims_for(f"C{n:02d}", 40), 1000 + n) for n in range(30)}
    acknowledged: list[int] = []
    process = _start(db, port)

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

    process = _start(db, port)
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
