"""Tests for the study report drawn by reports from the toy study's results."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.studies.output import read_study, write_study
from simulator.studies.runner import run_study
from simulator.studies.spec import StudySpec

pytest.importorskip("reports.html", reason="the reports package's HTML writer is not there")


def test_report_has_difference_figure_tables_and_verdicts(toy_model, toy_study_dir: Path) -> None:
    """report.html holds the question, the differences with verdicts, and the figures as PNG files."""
    from simulator.studies.render import render_study_report

    spec = StudySpec.model_validate(
        {
            "name": "toy_report",
            "question": "Do four billers halve the days of work?",
            "scenario": "toy.yaml",
            "replications": 4,
            "variants": [{"name": "two"}, {"name": "four", "set": {"billers.count": 4}}],
        }
    )
    result = run_study(spec, toy_model, study_dir=toy_study_dir, workers=1, progress=False)
    out = toy_study_dir / "out"
    write_study(result, out)
    path = render_study_report(read_study(out), out)
    html = path.read_text(encoding="utf-8")
    assert "Do four billers halve the days of work?" in html
    assert "distinguishable" in html and "noise" in html
    assert "four: days_of_work differs from two" in html
    png = (out / "kpi_differences.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert render_study_report(read_study(out), out).read_text(encoding="utf-8") == html
