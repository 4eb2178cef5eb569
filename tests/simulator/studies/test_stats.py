"""Tests for the t quantile and paired confidence intervals."""

from __future__ import annotations

import math

import pytest

from simulator.studies.stats import paired_difference, t_cdf, t_quantile

# Reference values of Student's t quantiles (standard statistical tables).
TABLE = [
    (0.975, 1, 12.706204736),
    (0.975, 2, 4.302652730),
    (0.975, 4, 2.776445105),
    (0.975, 9, 2.262157163),
    (0.975, 19, 2.093024054),
    (0.975, 30, 2.042272456),
    (0.995, 5, 4.032142984),
    (0.95, 10, 1.812461123),
    (0.9, 3, 1.637744354),
]


@pytest.mark.parametrize(("p", "df", "expected"), TABLE)
def test_t_quantile_matches_tables(p: float, df: int, expected: float) -> None:
    """The quantile agrees with published tables to 1e-7."""
    assert t_quantile(p, df) == pytest.approx(expected, abs=1e-7)


def test_t_quantile_is_symmetric_and_inverts_cdf() -> None:
    """Lower quantiles are negated upper ones and the CDF undoes the quantile."""
    assert t_quantile(0.025, 7) == pytest.approx(-t_quantile(0.975, 7))
    assert t_cdf(t_quantile(0.9, 6), 6) == pytest.approx(0.9, abs=1e-10)
    assert t_quantile(0.5, 3) == 0.0


def test_t_quantile_approaches_normal_for_many_degrees() -> None:
    """With many degrees of freedom the t quantile tends to the normal one."""
    assert t_quantile(0.975, 100_000) == pytest.approx(1.959964, abs=1e-4)


def test_t_quantile_rejects_bad_probability() -> None:
    """Probabilities outside (0, 1) are refused."""
    with pytest.raises(ValueError, match="between 0 and 1"):
        t_quantile(1.0, 5)


def test_paired_difference_interval() -> None:
    """Mean, std and interval of differences computed by hand."""
    result = paired_difference([3.0, 5.0, 4.0, 6.0], [1.0, 2.0, 2.0, 3.0])
    # differences 2, 3, 2, 3: mean 2.5, sample std sqrt(1/3)
    half = 3.182446305 * math.sqrt(1 / 3) / 2
    assert result.mean == pytest.approx(2.5)
    assert result.low == pytest.approx(2.5 - half)
    assert result.high == pytest.approx(2.5 + half)
    assert result.distinguishable


def test_paired_difference_that_straddles_zero_is_noise() -> None:
    """An interval containing zero is not distinguishable from noise."""
    result = paired_difference([1.0, 2.0, 3.0], [2.0, 1.0, 3.0])
    assert result.low < 0 < result.high
    assert not result.distinguishable


def test_paired_difference_of_one_pair_has_no_interval() -> None:
    """A single pair has a mean but no interval."""
    result = paired_difference([2.0], [1.0])
    assert result.mean == 1.0 and math.isnan(result.low) and not result.distinguishable
