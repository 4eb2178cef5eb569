"""Shared test code for the server tests: the pyx12 harness, the public samples, claims to send."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SAMPLES = (REPO / ".." / "shared" / "x12-samples").resolve()
HARNESS = REPO / "tests" / "simulator" / "x12" / "pyx12_harness.py"
_HARNESS_NAME = "payersim_pyx12_harness"


def pyx12_validate(text: str):
    """Validate X12 text with the project's pyx12 harness (skips when the harness is absent)."""
    if not HARNESS.exists():
        pytest.skip(f"pyx12 harness not found at {HARNESS}")
    module = sys.modules.get(_HARNESS_NAME)
    if module is None:
        spec = importlib.util.spec_from_file_location(_HARNESS_NAME, HARNESS)
        module = importlib.util.module_from_spec(spec)
        sys.modules[_HARNESS_NAME] = module
        spec.loader.exec_module(module)
    return module.validate(text)


def samples_folder() -> Path:
    """The public X12 samples folder, or a skip naming where it was looked for."""
    if not SAMPLES.is_dir():
        pytest.skip(f"public X12 samples not found at {SAMPLES} (../shared/x12-samples next to the repo)")
    return SAMPLES


def with_envelope(
    text: str,
    *,
    sender: str | None = None,
    receiver: str | None = None,
    usage: str | None = None,
    control: int | None = None,
) -> str:
    """``text`` with ISA06, ISA08, ISA15 and ISA13/IEA02 replaced (fixed widths kept)."""
    text = text.lstrip("\ufeff")
    separator, terminator = text[3], text[105]
    fields = text[:105].split(separator)
    if sender is not None:
        fields[6] = sender.ljust(15)
    if receiver is not None:
        fields[8] = receiver.ljust(15)
    if usage is not None:
        fields[15] = usage
    rest = text[106:]
    if control is not None:
        fields[13] = f"{control:09d}"
        at = rest.rfind(f"IEA{separator}")
        end = rest.index(terminator, at)
        count = rest[at:end].split(separator)[1]
        rest = rest[:at] + f"IEA{separator}{count}{separator}{control:09d}" + rest[end:]
    return separator.join(fields) + terminator + rest


def claims_for(prefix: str, count: int, member_prefix: str = "PSPAID_", payer: str = "commercial_ppo"):
    """``count`` distinct valid claims (ids ``<prefix>NNNNN``), one line each, members by prefix."""
    from simulator.samples import sample_claim, sample_coverage, sample_line

    claims = []
    for serial in range(count):
        member = f"{member_prefix}{prefix}{serial:05d}"
        claims.append(
            sample_claim(
                claim_id=f"{prefix}{serial:05d}",
                coverage=sample_coverage(payer, member_id=member),
                lines=(sample_line(1, charge=10000 + serial),),
            )
        )
    return claims


def make_837(
    claims, control: int, sender: str = "DEMOCLINIC", receiver: str = "PAYERSIM", usage: str = "T"
) -> str:
    """An 837 interchange of ``claims`` with ISA13 = ``control``."""
    from datetime import datetime

    from simulator.x12.claim837 import write_837
    from simulator.x12.envelope import ControlNumbers, Party

    return write_837(
        claims,
        sender=Party(sender),
        receiver=Party(receiver),
        when=datetime(2026, 3, 2, 8, 0),
        numbers=ControlNumbers(start=control),
        usage=usage,
    )


def clp_claim_ids(text: str) -> list[str]:
    """CLP01 of every claim payment in an 835 (any delimiters)."""
    separator, terminator = text[3], text[105]
    return [
        seg.split(separator)[1]
        for seg in text.replace("\n", "").split(terminator)
        if seg.startswith("CLP" + separator)
    ]


@contextmanager
def api_client(folder: Path, *, raise_server_exceptions: bool) -> Iterator:
    """An in-process client of a new server (default configuration, its database in ``folder``)."""
    from fastapi.testclient import TestClient

    from simulator.server import FakePayerService, create_app, load_config

    service = FakePayerService(load_config(), str(folder / "db"))
    with TestClient(create_app(service), raise_server_exceptions=raise_server_exceptions) as client:
        client.headers["Authorization"] = "Bearer demo-key-0001"
        yield client
    service.close()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    """``payersim serve`` as a subprocess on ``db`` and ``port``, once its health check answers."""
    import httpx

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
