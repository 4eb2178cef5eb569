"""The fake payer's random draws come from its seed: the same seed and requests give the same decisions."""

from __future__ import annotations

from simulator.server import FakePayerService, load_config

from .conftest import claims_for


def _decisions(folder, seed: int) -> list[dict]:
    """The views of 200 claims decided by rules (no trigger prefix) after 90 days, under ``seed``."""
    config = load_config().model_copy(update={"seed": seed})
    service = FakePayerService(config, str(folder / "server.db"))
    partner = config.partners[0]
    keys = service.submit_claims(partner, claims_for("S", 200, member_prefix="M"))
    service.advance(90)
    views = [service.claim_view(partner, key) for key in keys]
    service.close()
    return views


def test_the_same_seed_gives_the_same_decisions_and_another_seed_other_ones(tmp_path) -> None:
    """Two servers with one seed decide 200 claims alike; a third with another seed does not."""
    first = _decisions(tmp_path / "a", 7)
    assert _decisions(tmp_path / "b", 7) == first
    assert _decisions(tmp_path / "c", 8) != first
