"""Paired comparisons across replications: Student's t quantile and paired confidence intervals.

The t distribution is computed here (regularized incomplete beta by continued fraction, then
bisection for the quantile) because the normal approximation is too narrow for the small
numbers of replications a study typically has.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["PairedDifference", "paired_difference", "t_cdf", "t_quantile"]

_EPS = 1e-15
_TINY = 1e-300


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz method)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, 1000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            result *= c * d
        if abs(c * d - 1.0) < _EPS:
            break
    return result


def _regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularized incomplete beta function."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t distribution with ``df`` degrees of freedom."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {df}")
    tail = 0.5 * _regularized_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t distribution with ``df`` degrees of freedom."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability must be strictly between 0 and 1, got {p}")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0


@dataclass(frozen=True)
class PairedDifference:
    """Mean of paired differences (variant minus reference) with its confidence interval."""

    n: int
    mean: float
    std: float
    low: float
    high: float
    confidence: float

    @property
    def distinguishable(self) -> bool:
        """True when the confidence interval excludes zero (the difference is not just noise)."""
        return self.n >= 2 and (self.low > 0.0 or self.high < 0.0)


def paired_difference(
    variant: Sequence[float], reference: Sequence[float], confidence: float = 0.95
) -> PairedDifference:
    """Paired t confidence interval for mean(variant - reference), replication by replication."""
    if len(variant) != len(reference):
        raise ValueError("paired samples must have the same length")
    differences = [v - r for v, r in zip(variant, reference, strict=True)]
    n = len(differences)
    if n == 0:
        nan = math.nan
        return PairedDifference(0, nan, nan, nan, nan, confidence)
    mean = math.fsum(differences) / n
    if n == 1:
        return PairedDifference(1, mean, math.nan, math.nan, math.nan, confidence)
    std = math.sqrt(math.fsum((d - mean) ** 2 for d in differences) / (n - 1))
    half = t_quantile(0.5 + confidence / 2.0, n - 1) * std / math.sqrt(n)
    return PairedDifference(n, mean, std, mean - half, mean + half, confidence)
