"""Every public 837 sample through the server: the 999, 277CA and 835 validate with pyx12."""

from __future__ import annotations

import pytest

from simulator.server.config import load_config

from .conftest import SAMPLES, pyx12_validate, samples_folder, with_envelope

SAMPLE_837S = sorted(p.name for p in SAMPLES.glob("837*.edi")) if SAMPLES.is_dir() else ["(samples absent)"]
ALIASES = {"commercial_ppo": ("999996666", "1135", "12345", "99999"), "medicare": ("00435", "123245")}


@pytest.fixture
def fake_payer_config():
    """The default configuration, with the samples' payer ids routed to our payers."""
    config = load_config()
    payers = tuple(p.model_copy(update={"x12_payer_ids": ALIASES.get(p.name, ())}) for p in config.payers)
    return config.model_copy(update={"payers": payers})


@pytest.mark.parametrize("name", SAMPLE_837S)
def test_sample_837_round_trip_validates(fake_payer, name: str) -> None:
    folder = samples_folder()
    text = (folder / name).read_text(encoding="utf-8-sig")
    text = with_envelope(text, sender="DEMOCLINIC", receiver="PAYERSIM", usage="T", control=900)
    response = fake_payer.client.post("/x12", content=text.encode())
    assert response.status_code == 200
    assert response.headers["x-payersim-kind"] == "999", response.text
    ack999 = response.text[response.text.rfind("ISA") :]
    assert "ST*999*" in ack999
    verdict = pyx12_validate(ack999)
    assert verdict.ok, f"999 for {name}: {verdict.describe()}"
    acks = fake_payer.files("277CA")
    sets_accepted = "AK9*R*" not in ack999
    assert bool(acks) == sets_accepted, f"277CA for {name}: expected one only when a set is accepted"
    for _, ack in acks:
        verdict = pyx12_validate(ack)
        assert verdict.ok, f"277CA for {name}: {verdict.describe()}"
    fake_payer.advance(60)
    remits = fake_payer.files("835")
    accepted = [c for c in fake_payer.client.get("/claims").json() if c["state"] != "rejected"]
    assert bool(remits) == bool(accepted)
    for _, remit in remits:
        verdict = pyx12_validate(remit)
        assert verdict.ok, f"835 for {name}: {verdict.describe()}"
