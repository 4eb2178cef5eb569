"""Plain-text accounts of a study for the terminal: the differences table and the failures."""

from __future__ import annotations

import math

from simulator.studies.runner import StudyResult

__all__ = ["describe_differences", "describe_failures"]


def _number(value: float) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"
    return f"{value:.4g}" if abs(value) < 1e5 else f"{value:,.0f}"


def describe_differences(result: StudyResult) -> str:
    """The study's header and one line per (variant, KPI): difference, interval and verdict."""
    spec = result.spec
    lines = [
        f"study {spec.name}: {len(spec.variants)} variants x {spec.replications} replications "
        f"(seed {spec.seed}, {'common' if spec.common_random_numbers else 'independent'} random numbers)",
    ]
    if spec.question:
        lines.append(f"question: {spec.question}")
    lines.append(f"reference: {spec.reference.name}; differences are variant minus reference")
    if not result.differences:
        lines.append("(one variant only: nothing to compare)")
        return "\n".join(lines)
    level = f"{spec.confidence:.0%} CI"
    header = ("variant", "kpi", "reference", "variant", "difference", level, "n", "verdict")
    rows = [header]
    for row in result.differences:
        verdict = "distinguishable" if row.distinguishable else "noise"
        interval = f"[{_number(row.ci_low)}, {_number(row.ci_high)}]"
        rows.append(
            (row.variant, row.kpi, _number(row.reference_mean), _number(row.variant_mean),
             _number(row.difference), interval, str(row.n), verdict)
        )  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    return "\n".join(lines)


def describe_failures(result: StudyResult) -> str:
    """One paragraph per failed replication: variant, replication, seed, error and rerun command."""
    lines = []
    for outcome in result.failures:
        lines.append(
            f"replication {outcome.replication} of variant {outcome.variant} failed "
            f"(seed {outcome.seed}): {outcome.error}"
        )
        lines.append(f"  rerun it alone: {result.rerun_command(outcome)}")
    return "\n".join(lines)
