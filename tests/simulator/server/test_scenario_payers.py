"""The server runs the simulation's payer desks: overrides and dated changes apply as in a scenario."""

from __future__ import annotations

from datetime import date

import pytest

from simulator.errors import UserError
from simulator.samples import sample_claim, sample_coverage, sample_line
from simulator.scenario import PayerChange, load_scenario
from simulator.server.config import PayerConfig, load_config, with_scenario_payers
from simulator.server.service import FakePayerService


def _service(tmp_path, config) -> FakePayerService:
    return FakePayerService(config, str(tmp_path / "server.db"))


def _ekg_claim(claim_id: str, on: date):
    """An EKG (93000): the denial_spike scenario's commercial payer wants prior auth for it from July."""
    return sample_claim(
        claim_id=claim_id,
        coverage=sample_coverage(member_id=f"M{claim_id}"),
        diagnoses=("I10",),
        lines=(sample_line(1, procedure_code="93000", charge=9000, service_date=on),),
    )


def _carcs(service: FakePayerService, partner, key: int) -> set[str]:
    view = service.claim_view(partner, key)
    entry = view["adjudications"][-1]["entry"]
    return {a["carc"] for line in entry["lines"] for a in line["adjustments"]}


def test_a_scenarios_dated_change_applies_to_claims_received_after_it(tmp_path) -> None:
    """Served from denial_spike, an EKG received before July is not denied CO-197; one after is."""
    scenario = load_scenario("denial_spike")
    config = with_scenario_payers(load_config(), scenario)
    assert config.clock.start == scenario.start_date and config.seed == scenario.seed
    service = _service(tmp_path, config)
    partner = config.partner("demo")
    try:
        before = service.submit_claims(partner, [_ekg_claim("EKG1", service.clock.today())])[0]
        service.advance(200)
        assert service.clock.today() > date(2026, 7, 1)
        after = service.submit_claims(partner, [_ekg_claim("EKG2", service.clock.today())])[0]
        service.advance(60)
        assert "197" not in _carcs(service, partner, before)
        assert "197" in _carcs(service, partner, after)
    finally:
        service.close()


def test_profile_overrides_reach_the_payer(tmp_path) -> None:
    """A configured override changes that payer's profile and no other."""
    base = load_config()
    renamed = {"overrides": {"display_name": "OVERRIDDEN PPO"}}
    payers = tuple(p.model_copy(update=renamed) if p.name == "commercial_ppo" else p for p in base.payers)
    service = _service(tmp_path, base.model_copy(update={"payers": payers}))
    try:
        assert service.payers["commercial_ppo"].profile.display_name == "OVERRIDDEN PPO"
        assert service.payers["medicare"].profile.display_name != "OVERRIDDEN PPO"
    finally:
        service.close()


def test_a_bad_override_is_named(tmp_path) -> None:
    """An override the profile refuses stops the server with an error naming the payer's overrides."""
    base = load_config()
    bad = PayerConfig(name="medicare", profile="medicare", overrides={"timely_filing": "soon"})
    with pytest.raises(UserError, match=r"payers\.medicare\.overrides"):
        _service(tmp_path, base.model_copy(update={"payers": (bad, *base.payers[1:])}))


def test_a_partner_reaching_none_of_the_scenarios_payers_is_named() -> None:
    """Serving a scenario none of whose payers a partner may reach names that partner."""
    config = load_config()
    scenario = load_scenario("quick")
    only = scenario.model_copy(update={"payers": tuple(p for p in scenario.payers if p.name == "medicare")})
    with pytest.raises(UserError, match="partner other may reach none"):
        with_scenario_payers(config, only)


def test_appeals_are_timed_by_the_profile_in_force_when_the_claim_was_received(tmp_path) -> None:
    """A dated change shortening appeal decisions times the appeal of a claim received after it."""
    base = load_config()
    quick = {"name": "quick review", "deadline_days": 180, "decision_days": 10, "overturn_rate": 0.5}
    levels = [{**quick, "source": "test"}]
    change = PayerChange(effective=base.clock.start, overrides={"appeals": {"levels": levels}})
    payers = tuple(
        p.model_copy(update={"changes": (change,)}) if p.name == "commercial_ppo" else p for p in base.payers
    )
    config = base.model_copy(update={"payers": payers})
    service = _service(tmp_path, config)
    partner = config.partner("demo")
    try:
        claim = sample_claim(claim_id="QUICK1", coverage=sample_coverage(member_id="PSDENY197_Q1"))
        (key,) = service.submit_claims(partner, [claim])
        service.advance(30)
        appeal = service.file_appeal(partner, key, "A-QUICK1", 1, ("197",), False)
        service.advance(11)
        assert service.appeal_view(appeal["appeal_key"])["state"] == "decided"
    finally:
        service.close()


def test_eligibility_answers_with_the_rules_in_force_on_the_date_asked(tmp_path) -> None:
    """A dated change of the deductible shows in eligibility answers for dates after it only."""
    base = load_config()
    change = {"effective": date(2026, 7, 1), "overrides": {"benefits": {"deductible": 99900}}}
    payers = tuple(
        p.model_copy(update={"changes": (PayerChange(**change),)}) if p.name == "commercial_ppo" else p
        for p in base.payers
    )
    service = _service(tmp_path, base.model_copy(update={"payers": payers}))
    partner = service.config.partner("demo")
    try:
        before = service.eligibility(partner, "commercial_ppo", "M1", date(2026, 6, 30))
        after = service.eligibility(partner, "commercial_ppo", "M1", date(2026, 7, 1))
        assert after["deductible"] == "999.00" != before["deductible"]
    finally:
        service.close()
