"""The study report: figures and HTML drawn by ``reports`` from a study's results.

Only tables built from the study's replication metrics reach ``reports`` (the KPI differences
with their intervals, per-variant means, and the small per-replication tables replications
return for band figures); no event log is needed, so ``payersim report STUDY_DIR`` renders the
report again from the study folder alone.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from simulator import __version__
from simulator.studies.runner import StudyResult

__all__ = ["REPORT_HTML", "differences_table", "render_study_report", "replication_table"]

REPORT_HTML = "report.html"
_BAND_FIGURES = (
    ("cash_by_week", "cash", "Cash collected", "cash_figure"),
    ("ar_aging", "ar_aging", "Accounts receivable by age", "ar_aging_figure"),
)


def differences_table(result: StudyResult):
    """The ``kpi_differences`` table reports' figure reads: variant, kpi, mean_diff, ci_low, ci_high."""
    from reports.tables import Table

    rows = [
        (row.variant, row.kpi, row.difference, row.ci_low, row.ci_high)
        for row in result.differences
        if row.n >= 2 and all(math.isfinite(v) for v in (row.difference, row.ci_low, row.ci_high))
    ]
    return Table.build("kpi_differences", ("variant", "kpi", "mean_diff", "ci_low", "ci_high"), rows)


def _cell(column: str, value: Any) -> Any:
    if column in ("week", "date") and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def replication_table(result: StudyResult, variant: str, name: str):
    """Table ``name`` of every successful replication of ``variant``, its ``run`` column the replication."""
    from reports.tables import Table

    columns: tuple[str, ...] = ()
    rows = []
    for outcome in result.outcomes:
        table = outcome.tables.get(name)
        if outcome.variant != variant or not outcome.ok or table is None:
            continue
        columns = tuple(table["columns"])
        for row in table["rows"]:
            cells = [_cell(c, v) for c, v in zip(columns, row, strict=True)]
            rows.append(
                [outcome.replication if c == "run" else v for c, v in zip(columns, cells, strict=True)]
            )
    return Table.build(name, columns, rows) if columns else None


def _text(value: float) -> str:
    return "" if isinstance(value, float) and math.isnan(value) else f"{value:.4g}"


def _tables(result: StudyResult):
    from reports.tables import Table

    level = f"{result.spec.confidence:.0%}"
    differences = Table.build(
        "differences",
        ("variant", "kpi", "replications", "reference mean", "variant mean", "difference", f"{level} CI low",
         f"{level} CI high", "verdict"),
        [(r.variant, r.kpi, r.n, _text(r.reference_mean), _text(r.variant_mean), _text(r.difference),
          _text(r.ci_low), _text(r.ci_high), "distinguishable" if r.distinguishable else "noise")
         for r in result.differences],
    )  # fmt: skip
    summary = Table.build(
        "summary",
        ("variant", "kpi", "replications", "mean", "std", f"{level} CI low", f"{level} CI high"),
        [(r.variant, r.kpi, r.n, _text(r.mean), _text(r.std), _text(r.ci_low), _text(r.ci_high))
         for r in result.summary],
    )  # fmt: skip
    return (
        (f"Differences from {result.spec.reference.name} (paired by replication)", differences),
        ("Mean of each KPI per variant", summary),
    )


def _figures(result: StudyResult):
    from reports import figures
    from reports.content import FigureImage

    count = result.spec.replications
    images = [
        FigureImage(
            "kpi_differences",
            f"Differences from {result.spec.reference.name}",
            f"Mean paired difference (variant minus {result.spec.reference.name}) with its "
            f"{result.spec.confidence:.0%} t interval over {count} replications; "
            "red: the interval excludes 0.",
            figures.png_bytes(figures.kpi_differences_figure(differences_table(result))),
        )
    ]
    for variant in result.spec.variants:
        for table_name, stem, title, function in _BAND_FIGURES:
            table = replication_table(result, variant.name, table_name)
            if table is None or not len(table):
                continue
            figure = getattr(figures, function)(table)
            caption = (
                f"Variant {variant.name}: across its {count} replications (line: mean; band: min to max)."
            )
            images.append(FigureImage(f"{stem}_{variant.name}", f"{title}: {variant.name}", caption,
                                      figures.png_bytes(figure)))  # fmt: skip
    return tuple(images)


def _notes(result: StudyResult) -> tuple[str, ...]:
    spec = result.spec
    notes = [f"Question: {spec.question}"] if spec.question else []
    notes.append(
        f"{len(spec.variants)} variants x {spec.replications} replications; "
        + ("common random numbers: replication r of every variant ran on the same seed."
           if spec.common_random_numbers else "independent seeds per variant.")
    )  # fmt: skip
    for row in result.differences:
        if row.distinguishable:
            notes.append(
                f"{row.variant}: {row.kpi} differs from {row.reference} by {_text(row.difference)} "
                f"({_text(row.ci_low)} to {_text(row.ci_high)}), more than noise."
            )
    quiet = sum(not row.distinguishable for row in result.differences)
    if quiet:
        notes.append(f"{quiet} other difference(s) cannot be told from noise (their interval includes 0).")
    for outcome in result.failures:
        notes.append(
            f"Replication {outcome.replication} of {outcome.variant} failed (seed {outcome.seed}): "
            f"{outcome.error}. Rerun it alone: {result.rerun_command(outcome)}"
        )
    return tuple(notes)


def render_study_report(result: StudyResult, out_dir: Path) -> Path:
    """Write the study's figures (PNG) and its HTML report into ``out_dir``; the report's path."""
    from reports.content import ReportContent
    from reports.html import render_html

    out_dir.mkdir(parents=True, exist_ok=True)
    images = _figures(result)
    for image in images:
        (out_dir / f"{image.name}.png").write_bytes(image.png)
    spec = result.spec
    content = ReportContent(
        title=f"Study {spec.name}",
        version=__version__,
        scenario=result.scenario,
        seeds=(f"study seed {spec.seed}",),
        figures=images,
        tables=_tables(result),
        scenario_text=yaml.safe_dump(spec.model_dump(by_alias=True), sort_keys=False, allow_unicode=True),
        notes=_notes(result),
    )
    path = out_dir / REPORT_HTML
    path.write_text(render_html(content), encoding="utf-8")
    return path
