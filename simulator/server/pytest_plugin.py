"""pytest plugin: the ``fake_payer`` fixture, a fake payer server for a test suite.

Installed through the ``pytest11`` entry point, so any project with payersim installed can
write::

    def test_denial_is_remitted(fake_payer):
        keys = fake_payer.submit_claims([claim])           # or fake_payer.post_x12(text)
        fake_payer.advance(30)
        remits = fake_payer.files("835")                  # [(file_id, text), ...]

The server runs in-process (uvicorn in a thread) on a free loopback port with a temporary
database and a manual clock; ``fake_payer.url`` and ``fake_payer.api_key`` are there for the
code under test, ``fake_payer.client`` is an ``httpx.Client`` already authenticated.
Importing this module is cheap: the server's dependencies load only when the fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["FakePayer", "fake_payer", "fake_payer_config"]


class FakePayer:
    """A running fake payer with methods to submit, advance and fetch over real HTTP."""

    def __init__(self, config: Any, db_path: Path, partner_id: str | None = None) -> None:
        try:
            import httpx

            from simulator.server import FakePayerService, create_app
            from simulator.server.runner import ServerThread
        except ImportError as error:
            pytest.fail(
                f"the fake_payer fixture needs payersim's server extra ({error.name} is not installed): "
                "pip install 'payersim[server]'",
                pytrace=False,
            )

        self.config = config
        self.service = FakePayerService(config, str(db_path))
        self.thread = ServerThread(create_app(self.service)).start()
        self.url = self.thread.url
        self.partner = config.partner(partner_id) if partner_id else config.partners[0]
        self.api_key = self.partner.api_key
        self.client = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.api_key}"}, timeout=60
        )

    def as_partner(self, partner_id: str) -> Any:
        """An ``httpx.Client`` authenticated as another configured partner."""
        import httpx

        key = self.config.partner(partner_id).api_key
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)

    def _ok(self, response: Any) -> Any:
        if response.status_code >= 400:
            raise AssertionError(
                f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
            )
        return response

    def post_x12(self, text: str | bytes) -> str:
        """Send an interchange; return the answer (TA1/999, 271 or 277)."""
        body = text.encode() if isinstance(text, str) else text
        return self._ok(
            self.client.post("/x12", content=body, headers={"Content-Type": "application/edi-x12"})
        ).text

    def submit_claims(self, claims: list[Any]) -> list[int]:
        """Submit claims (``simulator.models.Claim``) as JSON; return their claim keys."""
        body = {"claims": [c.model_dump(mode="json") for c in claims]}
        return self._ok(self.client.post("/claims", json=body)).json()["claim_keys"]

    def claim(self, claim_key: int) -> dict[str, Any]:
        """A claim's state, adjudications and appeals."""
        return self._ok(self.client.get(f"/claims/{claim_key}")).json()

    def advance(self, days: int) -> dict[str, Any]:
        """Move the clock forward ``days`` and return what happened."""
        return self._ok(self.client.post("/clock/advance", json={"days": days})).json()

    def today(self) -> str:
        """The simulated date (ISO)."""
        return self._ok(self.client.get("/clock")).json()["today"]

    def appeal(self, claim_key: int, appeal_id: str, **fields: Any) -> dict[str, Any]:
        """File an appeal of a decided claim."""
        body = {"appeal_id": appeal_id} | fields
        return self._ok(self.client.post(f"/claims/{claim_key}/appeals", json=body)).json()

    def files(self, kind: str | None = None, acknowledge: bool = True) -> list[tuple[int, str]]:
        """New mailbox files (of ``kind``: ``277CA`` or ``835``) as (file_id, text), acknowledged."""
        params = {"kind": kind} if kind else {}
        listing = self._ok(self.client.get("/mailbox", params=params)).json()
        found = []
        for entry in listing:
            found.append((entry["file_id"], self._ok(self.client.get(f"/mailbox/{entry['file_id']}")).text))
            if acknowledge:
                self._ok(self.client.post(f"/mailbox/{entry['file_id']}/ack"))
        return found

    def close(self) -> None:
        """Stop the server and close the database."""
        self.client.close()
        self.thread.stop()
        self.service.close()


@pytest.fixture
def fake_payer_config() -> Any:
    """The configuration ``fake_payer`` runs (the shipped default, manual clock); override to change it."""
    from simulator.server import load_config

    config = load_config()
    return config.model_copy(update={"clock": config.clock.model_copy(update={"mode": "manual"})})


@pytest.fixture
def fake_payer(fake_payer_config: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakePayer]:
    """A fake payer server on a free loopback port, with a temporary database and a manual clock."""
    folder = tmp_path_factory.mktemp("fake-payer")
    payer = FakePayer(fake_payer_config, folder / "payer.db")
    try:
        yield payer
    finally:
        payer.close()
