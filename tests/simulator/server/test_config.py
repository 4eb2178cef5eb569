"""Server configuration: the shipped default loads; mistakes name the file and the field."""

from __future__ import annotations

import pytest

from simulator.errors import UserError
from simulator.server.config import DEFAULT_CONFIG, load_config


def test_default_config_loads_with_a_manual_clock() -> None:
    config = load_config()
    assert config.clock.mode == "manual"
    assert {p.partner_id for p in config.partners} == {"demo", "other"}
    assert config.partner_by_key("demo-key-0001").partner_id == "demo"
    assert config.partner_by_key("nope") is None


def test_unknown_field_names_file_and_field(tmp_path) -> None:
    path = tmp_path / "server.yaml"
    path.write_text(DEFAULT_CONFIG.read_text().replace("receiver_id: PAYERSIM", "receiver_idd: PAYERSIM"))
    with pytest.raises(UserError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert "receiver_idd: unknown field" in str(caught.value)


def test_partner_naming_an_unknown_payer_is_refused(tmp_path) -> None:
    path = tmp_path / "server.yaml"
    path.write_text(DEFAULT_CONFIG.read_text().replace("payers: [commercial_ppo]", "payers: [acme]"))
    with pytest.raises(UserError, match=r"unknown payer.*acme"):
        load_config(path)


def test_bad_clock_speed_is_named(tmp_path) -> None:
    path = tmp_path / "server.yaml"
    path.write_text(DEFAULT_CONFIG.read_text().replace("speed: 1.0", "speed: -2"))
    with pytest.raises(UserError, match=r"clock\.speed"):
        load_config(path)


def test_missing_file_and_bad_yaml_are_user_errors(tmp_path) -> None:
    with pytest.raises(UserError, match="cannot read"):
        load_config(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("payers: [\n")
    with pytest.raises(UserError, match="not valid YAML"):
        load_config(broken)
