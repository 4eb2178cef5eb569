"""The pytest plugin: the ``fake_payer`` fixture as the tutorial shows it."""

from __future__ import annotations

import sys

import pytest

from simulator.samples import sample_claim, sample_coverage


def test_denied_claim_is_remitted(fake_payer):
    claim = sample_claim(coverage=sample_coverage(member_id="PSDENY197_1"))
    (key,) = fake_payer.submit_claims([claim])
    fake_payer.advance(60)
    (remit,) = fake_payer.files("835")
    assert "CAS*CO*197*" in remit[1]
    assert fake_payer.claim(key)["state"] == "remitted"


def test_fixture_is_registered_through_the_entry_point(pytestconfig) -> None:
    assert pytestconfig.pluginmanager.has_plugin("payersim_fake_payer")


def test_helpers_report_http_errors(fake_payer) -> None:
    with pytest.raises(AssertionError, match="404"):
        fake_payer.claim(424242)
    assert fake_payer.url.startswith("http://127.0.0.1:")
    assert fake_payer.today() == "2026-03-02"


def test_fixture_without_the_server_extra_names_it(tmp_path, monkeypatch) -> None:
    """Where httpx is not installed, the fixture fails with the extra to install, not an ImportError."""
    from simulator.server import load_config
    from simulator.server.pytest_plugin import FakePayer

    monkeypatch.setitem(sys.modules, "httpx", None)
    with pytest.raises(pytest.fail.Exception, match=r"httpx is not installed.*payersim\[server\]"):
        FakePayer(load_config(), tmp_path / "payer.db")
    assert not (tmp_path / "payer.db").exists()
