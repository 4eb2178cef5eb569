"""The markdown summary of a report: KPIs, calibration and links to the figure files beside it."""

from __future__ import annotations

from collections.abc import Sequence

from reports.content import (
    ReportContent,
    aging_rows,
    calibration_rows,
    headline_rows,
    mix_rows,
    payer_rows,
)

__all__ = ["render_markdown"]


def _cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def _provenance(content: ReportContent) -> list[str]:
    lines = [f"# {content.title}", "", f"- payersim {content.version}"]
    if content.scenario:
        lines.append(f"- scenario: {content.scenario}")
    if content.seeds:
        lines.append(f"- seed{'s' if len(content.seeds) > 1 else ''}: {', '.join(content.seeds)}")
    if content.period:
        lines.append(f"- simulated period: {content.period}")
    return [*lines, ""]


def _kpis(summary: dict) -> list[str]:
    if not summary:
        return []
    lines = ["## Key figures", ""]
    lines += _table(["KPI", "Value", "Measured as"], headline_rows(summary), right=(1,))
    lines += ["### By payer type", ""]
    lines += _table(
        ["Payer type", "Initial denial rate", "Median days to payment"], payer_rows(summary), (1, 2)
    )
    lines += ["### Denial reasons (share of initial denials)", ""]
    lines += _table(["Reason", "Share"], mix_rows(summary), right=(1,))
    lines += ["### A/R aging at the end of the run", ""]
    lines += _table(["Age", "Share of open balance"], aging_rows(summary), right=(1,))
    return lines


def render_markdown(content: ReportContent) -> str:
    """The report's summary as markdown; figures are linked as ``<name>.png`` beside the file."""
    lines = _provenance(content) + _kpis(content.summary)
    if content.calibration is not None:
        rows = calibration_rows(content.calibration)
        within = sum(1 for r in rows if r[6] == "within")
        scored = sum(1 for r in rows if r[6] != "no data")
        lines += [
            "## Calibration against published benchmarks",
            "",
            f"{within} of {scored} within their band.",
            "",
        ]
        headers = ["Figure", "Published", "Band", "Source", "Year", "Simulated", "Verdict"]
        lines += _table(headers, rows, right=(1, 2, 5))
    if content.figures:
        lines += ["## Figures", ""]
        for image in content.figures:
            lines += [f"![{image.title}]({image.name}.png)", "", f"*{image.caption}*", ""]
    if content.tables:
        lines += ["## Tables", ""]
        lines += [f"- [{title}]({table.name}.csv)" for title, table in content.tables] + [""]
    if content.notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in content.notes] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"
