"""Render a run folder (or a study folder) into its ``report/`` folder from saved outputs only.

A run folder holds the event log (``events.parquet`` or ``events.csv``) and, when present, a
copy of the scenario (``scenario.yaml``) and ``summary.json``. The report folder receives
``report.html`` (self-contained), ``summary.md``, one CSV per metric table and one PNG per
figure. A study folder holds ``study.json``; its report shows the KPI differences between
variants with their confidence intervals, and cash per week across replications.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from reports import figures, metrics
from reports.calibration import calibrate
from reports.claims import Run, fold
from reports.content import FigureImage, ReportContent
from reports.html import render_html
from reports.kpis import summarize_run
from reports.markdown import render_markdown
from reports.tables import Table
from simulator.eventlog import EventFile

__all__ = [
    "EVENT_FILES",
    "REPORT_DIR",
    "RUN_FIGURES",
    "MissingRunOutput",
    "build_run_content",
    "find_events_file",
    "render_events_report",
    "render_run_report",
    "write_report",
]

EVENT_FILES = ("events.parquet", "events.csv")
SCENARIO_FILES = ("scenario.yaml", "scenario.yml")
REPORT_DIR = "report"


class MissingRunOutput(FileNotFoundError):
    """A run or study folder lacks the file a report is rendered from."""


def _version() -> str:
    try:
        return metadata.version("payersim")
    except metadata.PackageNotFoundError:
        return "unknown"


def find_events_file(run_dir: Path) -> Path:
    """The run folder's event log; :class:`MissingRunOutput` names what was looked for."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise MissingRunOutput(f"{run_dir}: no such run folder")
    for name in EVENT_FILES:
        if (run_dir / name).is_file():
            return run_dir / name
    raise MissingRunOutput(
        f"{run_dir}: no event log in this run folder (looked for {' or '.join(EVENT_FILES)}); "
        "run the scenario again with `payersim run` to produce it"
    )


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error.msg} at line {error.lineno})") from None
    return loaded if isinstance(loaded, dict) else {}


def _scenario_text(folder: Path) -> str:
    for name in SCENARIO_FILES:
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    return ""


def _period(start: date | None, end: date | None) -> str:
    if start is None or end is None:
        return ""
    return f"{start.isoformat()} to {end.isoformat()} ({(end - start).days + 1} days)"


RUN_FIGURES: tuple[tuple[str, str, Callable[[Table], Any], str, str], ...] = (
    (
        "cash_by_week",
        "cash_by_week",
        figures.cash_figure,
        "Cash collected by payer type",
        "Cash received per calendar week (Monday start) and its running total, by the paying "
        "payer's type; patient and collection-agency cash is shown as Patients.",
    ),
    (
        "ar_aging",
        "ar_aging",
        figures.ar_aging_figure,
        "Accounts receivable by age",
        "Open balance (payer and patient shares) at the end of each week, by days since the date of service.",
    ),
    (
        "denials_pareto",
        "initial_denials",
        figures.denials_pareto_figure,
        "Initial denials by reason",
        "Claims whose first adjudication denied, partly denied or pended them, by the denial "
        "category of the deciding reason code, most frequent first; the line is the cumulative share.",
    ),
    (
        "denials_by_payer",
        "initial_denials",
        figures.denials_by_payer_figure,
        "Initial denials by payer type",
        "The same denials split by the claim's primary payer type.",
    ),
    (
        "resolution_cdf",
        "resolution_times",
        figures.resolution_cdf_figure,
        "Time to resolution",
        "Share of closed claims resolved within a number of days of their first submission, by payer type.",
    ),
    (
        "staff",
        "staff",
        figures.staff_figure,
        "Staff work",
        "Time-weighted mean number of claims waiting for a biller (rejected, denied or pended "
        "and not yet worked) in each week; below, each role's utilisation (logged task hours over "
        "paid hours) when the run states its staffing, else the hours it logged.",
    ),
)
"""Each run figure: file name, metric table, drawing function, title and caption."""


def _run_figures(tables: dict[str, Table]) -> tuple[FigureImage, ...]:
    return tuple(
        FigureImage(name, title, caption, figures.png_bytes(draw(tables[table])))
        for name, table, draw, title, caption in RUN_FIGURES
    )


def run_tables(run: Run, label: Any = 0) -> dict[str, Table]:
    """The metric tables of one folded run, by name."""
    made = [
        metrics.cash_by_week(run, label),
        metrics.ar_aging(run, label),
        metrics.initial_denials(run, label),
        metrics.resolution_times(run, label),
        metrics.staff(run, label),
    ]
    return {t.name: t for t in made}


def build_run_content(
    events: Any,
    scenario_text: str = "",
    info: dict[str, Any] | None = None,
    categorize: Callable[[str], str] | None = None,
) -> tuple[ReportContent, dict[str, Table]]:
    """The report content and metric tables of one run's events."""
    info = info or {}
    run = fold(events, categorize)
    summary = summarize_run(run)
    scenario = str(info.get("scenario") or run.scenario)
    seed = str(info.get("seed") or run.seed)
    tables = run_tables(run, seed or "0")
    tables["kpis"] = metrics.kpi_table(summary, seed or "0")
    calibration = tables["calibration"] = calibrate(summary)
    content = ReportContent(
        title=f"payersim run report: {scenario}" if scenario else "payersim run report",
        version=str(info.get("payersim_version") or _version()),
        scenario=scenario,
        seeds=(seed,) if seed else (),
        period=_period(run.start, run.end),
        summary=summary,
        calibration=calibration,
        figures=_run_figures(tables),
        tables=(("Initial denials by payer type and reason", tables["initial_denials"]),),
        scenario_text=scenario_text,
        notes=(f"{len(run.events):,} events, {len(run.claims):,} claims.",),
    )
    return content, tables


def write_report(content: ReportContent, tables: dict[str, Table], out_dir: Path) -> Path:
    """Write report.html, summary.md, the CSV tables and PNG figures; return report.html's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in tables.values():
        table.write_csv(out_dir)
    for image in content.figures:
        (out_dir / f"{image.name}.png").write_bytes(image.png)
    (out_dir / "summary.md").write_text(render_markdown(content), encoding="utf-8")
    path = out_dir / "report.html"
    path.write_text(render_html(content), encoding="utf-8")
    return path


def render_events_report(
    events: Any,
    out_dir: Path | str,
    categorize: Callable[[str], str] | None = None,
    scenario_text: str = "",
) -> Path:
    """Render a run's report from events in memory into ``out_dir``; return report.html's path."""
    content, tables = build_run_content(events, scenario_text, None, categorize)
    return write_report(content, tables, Path(out_dir))


def render_run_report(
    run_dir: Path | str, categorize: Callable[[str], str] | None = None, out_dir: Path | str | None = None
) -> Path:
    """Render ``run_dir``'s saved outputs into ``run_dir/report/``; return report.html's path."""
    run_dir = Path(run_dir)
    events = EventFile(find_events_file(run_dir))
    info = _read_json(run_dir / "summary.json")
    content, tables = build_run_content(events, _scenario_text(run_dir), info, categorize)
    return write_report(content, tables, Path(out_dir) if out_dir else run_dir / REPORT_DIR)
