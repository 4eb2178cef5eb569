"""The study report: figures and HTML drawn by ``reports`` from a study's results.

Only tables built from the study's replication metrics reach ``reports``; no event log is
needed, so the report can be rendered again from the study folder alone.
"""

from __future__ import annotations

import math
from pathlib import Path

from simulator.studies.runner import StudyResult

__all__ = ["DIFFERENCES_PNG", "differences_table", "render_study_report"]

DIFFERENCES_PNG = "kpi_differences.png"


def differences_table(result: StudyResult):
    """The ``kpi_differences`` table reports' figure reads: variant, kpi, mean_diff, ci_low, ci_high."""
    from reports.tables import Table

    rows = [
        (row.variant, row.kpi, row.difference, row.ci_low, row.ci_high)
        for row in result.differences
        if row.n >= 2 and all(math.isfinite(v) for v in (row.difference, row.ci_low, row.ci_high))
    ]
    return Table.build("kpi_differences", ("variant", "kpi", "mean_diff", "ci_low", "ci_high"), rows)


def render_study_report(result: StudyResult, out_dir: Path) -> Path | None:
    """Write the study's figures (and HTML report when reports provides one); the report's path."""
    from reports.figures import kpi_differences_figure, png_bytes

    out_dir.mkdir(parents=True, exist_ok=True)
    figure_path = out_dir / DIFFERENCES_PNG
    figure_path.write_bytes(png_bytes(kpi_differences_figure(differences_table(result))))
    return figure_path
