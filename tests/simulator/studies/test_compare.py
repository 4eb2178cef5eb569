"""Tests for the study that ``payersim compare`` builds from its options."""

from __future__ import annotations

import pytest

from simulator.commands.compare import build_spec, parse_vary
from simulator.errors import UserError


def test_parse_vary_types_values() -> None:
    """Values are read as YAML scalars."""
    assert parse_vary("staff.billers=2,3,4") == ("staff.billers", [2, 3, 4])
    assert parse_vary("policies.scrubbing=edits, none") == ("policies.scrubbing", ["edits", "none"])


@pytest.mark.parametrize("text", ["staff.billers", "=2,3", "staff..billers=2", "staff.billers="])
def test_parse_vary_rejects_malformed_options(text: str) -> None:
    """A --vary without a path or values is named in the error."""
    with pytest.raises(UserError, match="--vary"):
        parse_vary(text)


def test_build_spec_makes_every_combination_first_one_reference() -> None:
    """Two --vary options give their product, in order; the first combination is the reference."""
    spec = build_spec(
        "quick",
        ["staff.billers=2,3", "policies.scrubbing=edits,none"],
        replications=5,
        seed=9,
        kpis=["days_in_ar"],
    )
    assert [v.name for v in spec.variants] == [
        "staff.billers=2+policies.scrubbing=edits",
        "staff.billers=2+policies.scrubbing=none",
        "staff.billers=3+policies.scrubbing=edits",
        "staff.billers=3+policies.scrubbing=none",
    ]
    assert spec.variants[3].overrides == {"staff.billers": 3, "policies.scrubbing": "none"}
    assert spec.reference.name == "staff.billers=2+policies.scrubbing=edits"
    assert (spec.name, spec.replications, spec.seed, spec.kpis) == ("compare-quick", 5, 9, ["days_in_ar"])
    assert spec.common_random_numbers


def test_build_spec_refuses_repeats_and_nothing_to_vary() -> None:
    """The same field twice, repeated values, or no --vary at all are errors."""
    with pytest.raises(UserError, match="one --vary"):
        build_spec("quick", ["staff.billers=2", "staff.billers=3"], replications=2, seed=0, kpis=[])
    with pytest.raises(UserError, match="repeat"):
        build_spec("quick", ["staff.billers=2,2"], replications=2, seed=0, kpis=[])
    with pytest.raises(UserError, match="at least one"):
        build_spec("quick", [], replications=2, seed=0, kpis=[])


def test_build_spec_takes_overrides_for_every_variant() -> None:
    """``--set`` becomes the study's own overrides."""
    spec = build_spec(
        "quick", ["staff.billers=2,3"], replications=2, seed=0, kpis=[], sets=["horizon_days=30"]
    )
    assert spec.overrides == {"horizon_days": 30}
    with pytest.raises(UserError, match="--set"):
        build_spec("quick", ["staff.billers=2,3"], replications=2, seed=0, kpis=[], sets=["horizon_days"])
