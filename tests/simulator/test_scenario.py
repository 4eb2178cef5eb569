"""Tests for simulator.scenario: shipped files load; bad files get errors naming file and field."""

from __future__ import annotations

import pytest
import yaml

from simulator.errors import UserError
from simulator.scenario import Scenario, load_scenario, scenario_names, scenario_path

SHIPPED = ("community_practice", "denial_spike", "quick", "understaffed")


def _quick_data() -> dict:
    return yaml.safe_load(scenario_path("quick").read_text(encoding="utf-8"))


def _write(tmp_path, data: dict):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_shipped_scenarios_are_listed_and_valid():
    """Every required scenario ships and validates."""
    assert set(SHIPPED) <= set(scenario_names())
    for name in SHIPPED:
        scenario = load_scenario(name)
        assert scenario.name == name
        assert scenario.horizon_days > 0


def test_unknown_key_names_file_and_field(tmp_path):
    """An unknown key is reported with the file and the key's path."""
    data = _quick_data()
    data["staff"]["coffee_breaks"] = 3
    with pytest.raises(UserError) as caught:
        load_scenario(_write(tmp_path, data))
    assert "bad.yaml" in str(caught.value)
    assert "staff.coffee_breaks: unknown field" in str(caught.value)


def test_wrong_type_names_the_field(tmp_path):
    """A wrong type is reported at its field."""
    data = _quick_data()
    data["horizon_days"] = "a while"
    with pytest.raises(UserError, match="horizon_days"):
        load_scenario(_write(tmp_path, data))


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        (("coding", "defect_rates", "coding"), 1.5, "between 0 and 1"),
        (("staff", "billers"), 0, "staff.billers"),
        (("patients", "payer_mix"), {"nobody": 1.0}, "not listed under payers"),
        (("providers", 0, "visits_per_day"), {"funday": 3}, "unknown weekday"),
        (("policies", "work_order"), "random", "unknown work_order policy 'random'"),
        (("policies", "statements"), {"name": "cycle", "params": {"days": [30, 0]}}, "ascending"),
        (("coding", "late_chart_days"), [-5, -1], "coding.late_chart_days: .*0 <= low <= high"),
        (("coding", "late_chart_days"), [150, 60], "coding.late_chart_days: .*0 <= low <= high"),
        (("patient_behaviour", "balance_halving"), 0, "balance_halving must be more than zero"),
        (("staff", "hourly_cost"), -100, "staff.hourly_cost: .*must not be negative"),
        (("providers", 0, "charge_master", 0, "diagnoses"), ["I1O"], "ICD-10-CM 'I1O' is not a valid code"),
        (("providers", 0, "charge_master", 0, "diagnoses"), ["E11"], "'E11' is a category, not a billable"),
        (
            ("policies", "small_balance"),
            {"name": "threshold", "params": {"cents": "ten dollars"}},
            "small_balance policy 'threshold'.*cents must be a whole number, not 'ten dollars'",
        ),
        (
            ("policies", "follow_up"),
            {"name": "after_days", "params": {"every": -5}},
            "follow_up policy 'after_days'.*every more than 0",
        ),
    ],
)
def test_impossible_values_are_refused(tmp_path, path, value, words):
    """Impossible values get an error that says what is wrong."""
    data = _quick_data()
    data.setdefault("policies", {})
    data.setdefault("patient_behaviour", {})
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(UserError, match=words):
        load_scenario(_write(tmp_path, data))


def test_unknown_scenario_name_lists_the_shipped_ones():
    """A name that is not shipped is refused with the list of shipped names."""
    with pytest.raises(UserError, match="quick"):
        load_scenario("no_such_scenario")


def test_missing_file_and_bad_yaml_are_user_errors(tmp_path):
    """Unreadable or malformed files are user errors naming the file."""
    with pytest.raises(UserError, match="cannot read"):
        load_scenario(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(UserError, match=r"broken\.yaml: not valid YAML"):
        load_scenario(broken)


def test_defaults_cite_their_source():
    """Default numbers in the scenario models carry a source comment."""
    import inspect

    import simulator.scenario as module

    text = inspect.getsource(module)
    for field in ("statement_pay_rate", "batch_hour", "documentation_quality", "late_chart_rate"):
        line = next(line for line in text.splitlines() if f"{field}:" in line)
        block = text[text.index(line) - 200 : text.index(line) + 400]
        assert "source:" in block, field


def test_scenario_is_frozen():
    """Scenario objects cannot be changed after validation."""
    scenario = Scenario.model_validate(_quick_data())
    with pytest.raises(Exception, match="frozen"):
        scenario.seed = 3


def test_variants_of_the_default_differ_only_where_they_say():
    """understaffed and denial_spike are the default but for staffing and the commercial payer."""
    base = load_scenario("community_practice").model_dump()
    under = load_scenario("understaffed").model_dump()
    spike = load_scenario("denial_spike").model_dump()
    assert under["policies"]["staffing"] == {"name": "short", "params": {"short_by": 1}}
    assert spike["payers"][3]["changes"][0]["overrides"]["authorization"]["prior_auth_codes"]
    for variant in (under, spike):
        for key in ("name", "description", "policies", "payers"):
            variant.pop(key)
    for key in ("name", "description", "policies", "payers"):
        base.pop(key)
    assert under == base and spike == base


def test_a_bad_item_is_reported_once_without_an_echo_about_its_list(tmp_path):
    """One provider with a bad count is one problem, not also "providers: at least 1 item, not 0"."""
    data = _quick_data()
    data["providers"][0]["count"] = 0
    with pytest.raises(UserError) as caught:
        load_scenario(_write(tmp_path, data))
    message = str(caught.value)
    assert "1 problem(s)" in message and "providers.0.count" in message
    assert "at least 1 item" not in message
