"""Fake payer server throughput and latency on loopback.

Run with ``.venv/bin/python -m benchmarks.bench_server [--claims N] [--inquiries N]``.

1. Claims per second through the server: ``payersim serve`` runs as a subprocess on a new
   database; the claims go in as 837s of 1,000 claims each through ``POST /x12`` (front end,
   commit, 999, 277CA), then one ``POST /clock/advance`` adjudicates them all and writes the
   835s. The floor, measured in the same run on the same claims and received date: adjudicating
   them in-process with :class:`payers.Payer` (no X12, no HTTP, no database). Two ratios are
   printed against it: ``POST /x12`` alone (aim: 50% or more), and end to end
   (``POST /x12`` plus the advance that adjudicates and remits). A second reference shows what the server
   itself adds: the same 837s answered in-process by the X12 front end, the payers, the 277CA
   and 835 writers (:func:`simulator.x12.respond.respond_to`, one call per payer), with no HTTP,
   no database and no clock.
2. 270/271 latency: sequential ``POST /x12`` eligibility inquiries, p50 and p99.

Wall-clock figures move with whatever else the machine runs. So the run also prints CPU time
per claim (where ``/proc`` gives a process's CPU time): the in-process adjudication's, and the
server process's while it receives the 837s and while it advances the clock, with the same
end-to-end ratio computed from them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import httpx
import yaml

from benchmarks.bench_adjudication import PAYERS, build_claims
from payers import Payer, PayerLedger, load_profile
from simulator.server.config import DEFAULT_CONFIG
from simulator.x12.claim837 import write_837
from simulator.x12.eligibility import EligibilityRequest, write_270
from simulator.x12.envelope import ControlNumbers, Party

__all__ = ["main"]

RECEIVED = date(2026, 11, 16)
BATCH = 1000
KEY = "demo-key-0001"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    config = yaml.safe_load(DEFAULT_CONFIG.read_text())
    config["clock"] = {"mode": "manual", "start": RECEIVED.isoformat()}
    path = folder / "server.yaml"
    path.write_text(yaml.safe_dump(config))
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator.cli",
            "serve",
            "--config",
            str(path),
            "--db",
            str(folder / "db"),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def _in_process(claims) -> tuple[float, float]:
    """Seconds (wall, CPU) to adjudicate the claims in-process."""
    payers = {name: Payer(load_profile(name)) for name in PAYERS}
    ledgers = {name: PayerLedger() for name in PAYERS}
    start, cpu = time.perf_counter(), time.process_time()
    for name, claim, _ in claims:
        payers[name].adjudicate(claim, received=RECEIVED, ledger=ledgers[name])
    return time.perf_counter() - start, time.process_time() - cpu


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) process ``pid`` has used so far, or None without ``/proc``."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _in_process_x12(texts: list[bytes]) -> tuple[float, float]:
    """Seconds (wall, CPU) to answer the 837s in-process: front end, adjudication, 277CA and 835."""
    from simulator.x12.frontend import receive_837
    from simulator.x12.respond import respond_to

    profiles = {name: load_profile(name) for name in PAYERS}
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        numbers = ControlNumbers()
        result = receive_837(text, RECEIVED, numbers=numbers)
        for name, profile in profiles.items():
            ids = {name, profile.x12_payer_id}
            mine = tuple(c for c in result.accepted if c.coverage.payer_id in ids)
            respond_to(dataclasses.replace(result, accepted=mine, rejected=()), profile, received=RECEIVED)
    return time.perf_counter() - start, time.process_time() - cpu


def _interchanges(claims) -> list[bytes]:
    texts = []
    for number, start in enumerate(range(0, len(claims), BATCH), start=1):
        batch = [claim for _, claim, _ in claims[start : start + BATCH]]
        texts.append(
            write_837(
                batch,
                sender=Party("DEMOCLINIC"),
                receiver=Party("PAYERSIM"),
                when=datetime(2026, 11, 16, 8, 0),
                numbers=ControlNumbers(start=number),
                usage="T",
            ).encode()
        )
    return texts


def _through_server(
    client: httpx.Client, texts: list[bytes], pid: int
) -> tuple[float, float, float, dict, list[float | None]]:
    """Wall seconds (total, receiving, advancing), the advance's answer, the server's CPU readings."""
    cpu = [_cpu_seconds(pid)]
    start = time.perf_counter()
    for text in texts:
        response = client.post("/x12", content=text)
        if response.headers.get("x-payersim-kind") != "999" or "AK9*A" not in response.text:
            raise SystemExit(f"unexpected answer to an 837: {response.status_code} {response.text[:300]}")
    received = time.perf_counter() - start
    cpu.append(_cpu_seconds(pid))
    start = time.perf_counter()
    result = client.post("/clock/advance", json={"days": 60}).json()
    adjudicated = time.perf_counter() - start
    cpu.append(_cpu_seconds(pid))
    return received + adjudicated, received, adjudicated, result, cpu


def _latency(client: httpx.Client, count: int) -> list[float]:
    request = EligibilityRequest(
        member_id="M000000001",
        last_name="DOE",
        first_name="JANE",
        birth_date=date(1958, 4, 12),
        gender="F",
        service_date=RECEIVED,
        payer_id="PPO01",
        payer_name="COMMERCIAL PPO",
        provider_name="CLINIC",
        provider_npi="1234567893",
    )
    text = write_270(
        [request],
        sender=Party("DEMOCLINIC"),
        receiver=Party("PAYERSIM"),
        when=datetime(2026, 11, 16, 9, 0),
        numbers=ControlNumbers(),
    )
    body = (text[:102] + "T" + text[103:]).encode()
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.post("/x12", content=body)
        timings.append(time.perf_counter() - start)
        if "ST*271" not in response.text:
            raise SystemExit(f"unexpected answer to a 270: {response.text[:300]}")
    return timings


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--inquiries", type=int, default=1000)
    args = parser.parse_args(argv)
    claims = build_claims(args.claims)
    texts = _interchanges(claims)
    floor, floor_cpu = _in_process(claims)
    x12_floor, x12_floor_cpu = _in_process_x12(texts)
    with tempfile.TemporaryDirectory(prefix="payersim-bench-") as folder:
        process, url = _start_server(Path(folder))
        try:
            with httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=600
            ) as client:
                total, received, adjudicated, result, cpu = _through_server(client, texts, process.pid)
                timings = _latency(client, args.inquiries)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    count = len(claims)
    print(f"claims: {count} in {len(texts)} 837s of up to {BATCH}; cpu count {os.cpu_count()}")
    print(f"in-process adjudication:     {count / floor:9.0f} claims/s ({floor:.2f} s)")
    print(
        f"server, POST /x12 + advance: {count / total:9.0f} claims/s ({total:.2f} s: "
        f"{received:.2f} s receiving, {adjudicated:.2f} s adjudicating and remitting)"
    )
    print(f"  decided {result['decided']}, remitted {result['remitted']}, 835 files {len(result['files'])}")
    print(
        f"POST /x12 alone (front end, commit, 999, 277CA): {count / received:9.0f} claims/s, "
        f"{floor / received:.0%} of in-process adjudication (target >= 50%)"
    )
    print(f"end to end (POST /x12 + advance) / in-process: {floor / total:.0%}")
    print(
        f"the same 837s answered in-process (X12 in, 277CA and 835 out): {count / x12_floor:9.0f} claims/s;"
        f" the server end to end runs at {x12_floor / total:.0%} of it"
    )
    if None not in cpu:
        posting, advancing = cpu[1] - cpu[0], cpu[2] - cpu[1]
        print(
            f"CPU per claim: in-process adjudication {floor_cpu / count * 1e6:.0f} us, the same 837s answered"
            f" in-process {x12_floor_cpu / count * 1e6:.0f} us; server process: POST /x12"
            f" {posting / count * 1e6:.0f} us + advance {advancing / count * 1e6:.0f} us"
        )
        print(
            f"  by CPU, end to end / in-process: {floor_cpu / (posting + advancing):.0%};"
            f" answered in-process / server end to end: {x12_floor_cpu / (posting + advancing):.0%}"
        )
    p50 = statistics.median(timings) * 1000
    p99 = statistics.quantiles(timings, n=100)[98] * 1000
    print(
        f"270/271 over {len(timings)} sequential requests: p50 {p50:.1f} ms, p99 {p99:.1f} ms (aim < 20 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
