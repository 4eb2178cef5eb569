"""Study results: replication metrics, per-variant summaries and paired differences.

Differences are paired replication by replication (variant minus reference on the same
seed), so with common random numbers the noise both variants share cancels out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.studies.stats import paired_difference, t_quantile
from simulator.studies.tasks import ReplicationOutcome

__all__ = [
    "DifferenceRow",
    "SummaryRow",
    "differences",
    "kpi_names",
    "summaries",
]


@dataclass(frozen=True)
class SummaryRow:
    """One KPI of one variant across its successful replications: mean and its t interval."""

    variant: str
    kpi: str
    n: int
    mean: float
    std: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class DifferenceRow:
    """One KPI: variant minus reference, paired by replication, with its t interval."""

    variant: str
    reference: str
    kpi: str
    n: int
    reference_mean: float
    variant_mean: float
    difference: float
    ci_low: float
    ci_high: float
    distinguishable: bool


def _expand(name: str, reported: list[str]) -> list[str]:
    """``name`` itself when reported, else its money (``_cents``) or nested (``name.key``) forms."""
    if name in reported:
        return [name]
    return [r for r in reported if r == f"{name}_cents" or r.startswith(f"{name}.")] or [name]


def kpi_names(outcomes: Sequence[ReplicationOutcome], wanted: Sequence[str] = ()) -> list[str]:
    """The KPIs to analyse: ``wanted`` in its order (a nested KPI such as ``ar_aging`` stands for
    each of its parts), or every KPI any replication reported, sorted."""
    reported = sorted({name for outcome in outcomes if outcome.ok for name in outcome.metrics})
    if not wanted:
        return reported
    names: list[str] = []
    for name in wanted:
        names += [n for n in _expand(name, reported) if n not in names]
    return names


def _by_variant(outcomes: Sequence[ReplicationOutcome]) -> dict[str, dict[int, dict[str, float]]]:
    table: dict[str, dict[int, dict[str, float]]] = {}
    for outcome in outcomes:
        table.setdefault(outcome.variant, {})
        if outcome.ok:
            table[outcome.variant][outcome.replication] = outcome.metrics
    return table


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else math.nan


def summaries(
    outcomes: Sequence[ReplicationOutcome], variants: Sequence[str], kpis: Sequence[str], confidence: float
) -> list[SummaryRow]:
    """Mean of each KPI per variant with a t confidence interval over replications."""
    table = _by_variant(outcomes)
    rows = []
    for variant in variants:
        runs = table.get(variant, {})
        for kpi in kpis:
            values = [runs[r][kpi] for r in sorted(runs) if kpi in runs[r]]
            n, mean = len(values), _mean(values)
            std = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else math.nan
            half = t_quantile(0.5 + confidence / 2, n - 1) * std / math.sqrt(n) if n > 1 else math.nan
            rows.append(SummaryRow(variant, kpi, n, mean, std, mean - half, mean + half))
    return rows


def differences(
    outcomes: Sequence[ReplicationOutcome], variants: Sequence[str], kpis: Sequence[str], confidence: float
) -> list[DifferenceRow]:
    """Each variant after the first minus the first, per KPI, paired on the replication number."""
    table = _by_variant(outcomes)
    reference = variants[0]
    base_runs = table.get(reference, {})
    rows = []
    for variant in variants[1:]:
        runs = table.get(variant, {})
        for kpi in kpis:
            paired = [r for r in sorted(runs) if r in base_runs and kpi in runs[r] and kpi in base_runs[r]]
            ours = [runs[r][kpi] for r in paired]
            theirs = [base_runs[r][kpi] for r in paired]
            result = paired_difference(ours, theirs, confidence)
            rows.append(
                DifferenceRow(
                    variant=variant,
                    reference=reference,
                    kpi=kpi,
                    n=result.n,
                    reference_mean=_mean(theirs),
                    variant_mean=_mean(ours),
                    difference=result.mean,
                    ci_low=result.low,
                    ci_high=result.high,
                    distinguishable=result.distinguishable,
                )
            )
    return rows
