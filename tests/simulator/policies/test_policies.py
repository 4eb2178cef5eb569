"""Tests for simulator.policies: the registry and each policy's one decision."""

from __future__ import annotations

import subprocess
import sys

import pytest

from simulator import policies
from simulator.policies.types import Action, DenialCase, Task
from simulator.scenario import PolicyChoice


def _make(kind: str, name: str, **params):
    return policies.make(kind, PolicyChoice(name=name, params=params))


def _case(**overrides) -> DenialCase:
    fields = dict(
        carc="197",
        category="prior_authorization",
        amount=20000,
        correctable=False,
        appealable=True,
        appeal_level=1,
        appeal_cost=2400,
        overturn_rate=0.5,
        days_to_deadline=30.0,
    )
    return DenialCase(**(fields | overrides))


def test_every_kind_has_a_policy():
    """Each kind has at least one registered policy."""
    for kind in policies.KINDS:
        assert policies.names(kind)


def test_the_registry_loads_before_the_scenario_module_is_imported():
    """A program that asks the registry first (no simulator.scenario imported yet) sees every policy."""
    code = "from simulator import policies; print(policies.names('scrubbing'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "'edits'" in done.stdout


def test_unknown_name_and_bad_params_are_refused():
    """The registry names what is wrong."""
    with pytest.raises(ValueError, match="unknown scrubbing policy 'magic'"):
        _make("scrubbing", "magic")
    with pytest.raises(ValueError, match="bad parameters"):
        _make("small_balance", "threshold", dollars=5)


@pytest.mark.parametrize(
    ("kind", "name", "params", "words"),
    [
        ("small_balance", "threshold", {"cents": "abc"}, "cents must be a whole number, not 'abc'"),
        ("small_balance", "threshold", {"cents": 5.5}, "cents must be a whole number, not 5.5"),
        ("small_balance", "threshold", {"cents": -1}, "cents must be 0 or more"),
        ("follow_up", "after_days", {"every": "abc"}, "every must be a number, not 'abc'"),
        ("follow_up", "after_days", {"every": 0}, "every more than 0"),
        ("follow_up", "after_days", {"first": -5}, "first must be 0 or more"),
        ("follow_up", "after_days", {"first": float("nan")}, "first must be a number, not nan"),
        ("denial_triage", "expected_value", {"margin": float("nan")}, "margin must be a number, not nan"),
        ("denial_triage", "expected_value", {"margin": "abc"}, "margin must be a number"),
        ("denial_triage", "expected_value", {"max_level": -1}, "max_level and margin must be 0 or more"),
        ("denial_triage", "expected_value", {"worth_appealing": "coding"}, "worth_appealing must be a list"),
        ("eligibility", "verify", {"share": 7}, "share must be between 0 and 1"),
        ("eligibility", "verify", {"share": True}, "share must be a number, not True"),
        ("scrubbing", "edits", {"edits": ["nosuch"]}, r"unknown edit\(s\) \['nosuch'\]"),
        ("scrubbing", "edits", {"edits": "coding"}, "edits must be a list of texts"),
        ("staffing", "short", {"short_by": "one"}, "short_by must be a whole number"),
        ("staffing", "short", {"short_by": -2}, "short_by must be 0 or more"),
        ("statements", "cycle", {"days": [0, "x"]}, "days must be a list of whole numbers, not 'x'"),
    ],
)
def test_parameters_of_the_wrong_kind_or_out_of_range_are_named(kind, name, params, words):
    """A parameter of the wrong type or out of range is refused naming the policy and the parameter."""
    with pytest.raises(ValueError, match=f"{kind} policy '{name}': bad parameters .*{words}"):
        _make(kind, name, **params)


def test_expected_value_triage():
    """Correct what is fixable; appeal when it pays; write off late, small or unappealable ones."""
    triage = _make("denial_triage", "expected_value", max_level=1)
    assert triage.decide(_case(correctable=True)) == Action.CORRECT
    assert triage.decide(_case()) == Action.APPEAL
    assert triage.decide(_case(amount=3000)) == Action.WRITE_OFF
    assert triage.decide(_case(appealable=False)) == Action.WRITE_OFF
    assert triage.decide(_case(days_to_deadline=-1.0)) == Action.WRITE_OFF
    assert triage.decide(_case(appeal_level=2)) == Action.WRITE_OFF


def test_never_appeal_triage():
    """correct_or_write_off never appeals."""
    triage = _make("denial_triage", "correct_or_write_off")
    assert triage.decide(_case()) == Action.WRITE_OFF
    assert triage.decide(_case(correctable=True)) == Action.CORRECT


def test_work_orders():
    """Oldest, largest and nearest-deadline orders rank tasks as named."""
    old, big, urgent = Task("a", 1.0, 100, 50.0), Task("b", 5.0, 90000, 40.0), Task("c", 9.0, 10, 2.0)
    for name, first in (("oldest", old), ("largest", big), ("deadline", urgent)):
        order = _make("work_order", name)
        assert min((old, big, urgent), key=order.priority) is first


def test_scrubbing_and_eligibility():
    """Scrubbing catches listed defects by hit rate; verification by share."""
    scrub = _make("scrubbing", "edits", edits=["coding"], hit_rate=0.5)
    assert scrub.catches("coding", 0.2) and not scrub.catches("coding", 0.7)
    assert not scrub.catches("not_covered", 0.0)
    assert not _make("scrubbing", "none").catches("coding", 0.0)
    assert _make("eligibility", "verify", share=0.6).verifies(0.5)
    assert not _make("eligibility", "none").verifies(0.0)


def test_follow_up_statements_staffing_small_balance():
    """The remaining one-method policies answer as documented."""
    follow = _make("follow_up", "after_days", first=30, every=14)
    assert follow.inquiry_after(10) == 20 and follow.inquiry_after(31) == 14
    assert _make("follow_up", "never").inquiry_after(400) is None
    cycle = _make("statements", "cycle", days=[0, 30], agency_day=90)
    assert cycle.next_step(0, 0) == ("statement", 0)
    assert cycle.next_step(1, 10) == ("statement", 20)
    assert cycle.next_step(2, 40) == ("collections", 50)
    assert _make("staffing", "short", short_by=2).billers(3) == 1
    assert _make("staffing", "fixed").billers(3) == 3
    small = _make("small_balance", "threshold", cents=500)
    assert small.writes_off(499) and not small.writes_off(500) and not small.writes_off(0)
