"""A single self-contained HTML report: inline CSS, figures as base64 PNG data URIs.

The page links nothing outside itself (no external style sheets, scripts, fonts or images),
so it can be mailed, archived or opened offline. The same content gives the same bytes.
"""

from __future__ import annotations

import base64
import csv
from collections.abc import Sequence
from html import escape

from reports.content import (
    FigureImage,
    ReportContent,
    aging_rows,
    calibration_rows,
    headline_rows,
    mix_rows,
    payer_rows,
)
from reports.tables import Table, column_label

__all__ = ["render_html"]

CSS = """
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --band: #f4f6f9;
        --ok: #1b7f3b; --ok-bg: #e3f4e8; --bad: #b3261e; --bad-bg: #fbe4e2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 32px 64px; }
header { border-bottom: 3px solid #0072B2; padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 36px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.meta { color: var(--muted); margin: 0; }
.meta b { color: var(--ink); font-weight: 600; }
nav { margin: 12px 0 0; font-size: 14px; }
nav a { color: #0072B2; margin-right: 14px; text-decoration: none; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 14px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.grid { display: flex; flex-wrap: wrap; gap: 28px; }
.grid > div { flex: 1 1 280px; }
.kpis td:first-child { min-width: 240px; }
.kpis td:last-child { color: var(--muted); font-size: 13px; }
.verdict { font-weight: 600; border-radius: 4px; padding: 1px 8px; white-space: nowrap; }
.within { color: var(--ok); background: var(--ok-bg); }
.outside { color: var(--bad); background: var(--bad-bg); }
.nodata { color: var(--muted); background: var(--band); }
figure { margin: 18px 0 28px; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
pre { background: var(--band); padding: 12px; overflow-x: auto; font-size: 13px; border-radius: 4px; }
.small { font-size: 13px; color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
"""


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (), css: str = ""
) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{escape(str(v))}</td>' if i in numeric else f"<td>{escape(str(v))}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    klass = f' class="{css}"' if css else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _header(content: ReportContent) -> str:
    facts = [("payersim", content.version)]
    if content.scenario:
        facts.append(("Scenario", content.scenario))
    if content.seeds:
        facts.append(("Seed" if len(content.seeds) == 1 else "Seeds", ", ".join(content.seeds)))
    if content.period:
        facts.append(("Simulated period", content.period))
    meta = " · ".join(f"{escape(k)} <b>{escape(v)}</b>" for k, v in facts)
    links = [("kpis", "Key figures"), ("calibration", "Calibration"), ("figures", "Figures")]
    links += [("tables", "Tables")] if content.tables else []
    links += [("scenario", "Scenario")] if content.scenario_text else []
    present = [(a, t) for a, t in links if a != "kpis" or content.summary]
    present = [(a, t) for a, t in present if a != "calibration" or content.calibration is not None]
    nav = "".join(f'<a href="#{a}">{escape(t)}</a>' for a, t in present)
    return f"<header><h1>{escape(content.title)}</h1><p class='meta'>{meta}</p><nav>{nav}</nav></header>"


def _kpis(summary: dict) -> str:
    if not summary:
        return ""
    by_payer = _table(
        ["Payer type", "Initial denial rate", "Median days to payment"], payer_rows(summary), numeric=(1, 2)
    )
    parts = [
        "<section id='kpis'><h2>Key figures</h2>",
        _table(["KPI", "Value", "Measured as"], headline_rows(summary), numeric=(1,), css="kpis"),
        "<div class='grid'><div><h3>By payer type</h3>" + by_payer,
        "</div><div><h3>Denial reasons (share of initial denials)</h3>"
        + _table(["Reason", "Share"], mix_rows(summary), numeric=(1,)),
        "</div><div><h3>A/R aging at the end of the run</h3>"
        + _table(["Age", "Share of open balance"], aging_rows(summary), numeric=(1,)),
        "</div></div>",
        "<p class='small'>Definitions: docs/kpis.md. Rates are shares of claims unless stated; "
        "money is exact to the cent.</p></section>",
    ]
    return "".join(parts)


def _calibration(table: Table | None) -> str:
    if table is None:
        return ""
    rows = calibration_rows(table)
    body = []
    for figure, published, band, source, year, simulated, verdict in rows:
        klass = {"within": "within", "outside": "outside"}.get(verdict, "nodata")
        body.append(
            "<tr>"
            f"<td>{escape(figure)}</td><td class='num'>{escape(published)}</td>"
            f"<td class='num'>{escape(band)}</td><td>{escape(source)}</td><td>{escape(year)}</td>"
            f"<td class='num'>{escape(simulated)}</td>"
            f"<td><span class='verdict {klass}'>{escape(verdict)}</span></td></tr>"
        )
    within = sum(1 for r in rows if r[6] == "within")
    scored = sum(1 for r in rows if r[6] != "no data")
    head = "".join(
        f"<th>{h}</th>" for h in ("Figure", "Published", "Band", "Source", "Year", "Simulated", "Verdict")
    )
    return (
        "<section id='calibration'><h2>Calibration against published benchmarks</h2>"
        f"<p>{within} of {scored} benchmarks with data are within their band.</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></section>"
    )


def _figure(image: FigureImage) -> str:
    data = base64.b64encode(image.png).decode("ascii")
    return (
        f"<figure id='fig-{escape(image.name)}'><img alt='{escape(image.title)}' "
        f"src='data:image/png;base64,{data}'><figcaption><b>{escape(image.title)}.</b> "
        f"{escape(image.caption)}</figcaption></figure>"
    )


def _data_table(title: str, table: Table) -> str:
    headers = [column_label(c) for c in table.columns]
    rows = list(csv.reader(table.csv_text().splitlines()[1:]))
    numeric = [i for i, row in enumerate(zip(*rows, strict=False)) if all(_numeric(v) for v in row)]
    return f"<h3>{escape(title)}</h3>" + _table(headers, rows, numeric=numeric)


def _numeric(text: str) -> bool:
    return text.replace(".", "", 1).replace("-", "", 1).isdigit() or text == ""


def render_html(content: ReportContent) -> str:
    """The report as one HTML document with everything inline."""
    sections = [_header(content), _kpis(content.summary), _calibration(content.calibration)]
    if content.figures:
        sections.append("<section id='figures'><h2>Figures</h2>")
        sections.extend(_figure(f) for f in content.figures)
        sections.append("</section>")
    if content.tables:
        sections.append("<section id='tables'><h2>Tables</h2>")
        sections.extend(_data_table(title, table) for title, table in content.tables)
        sections.append("</section>")
    if content.notes:
        sections.append("<section><h2>Notes</h2><ul>")
        sections.extend(f"<li>{escape(n)}</li>" for n in content.notes)
        sections.append("</ul></section>")
    if content.scenario_text:
        sections.append(
            f"<section id='scenario'><h2>Scenario</h2><pre>{escape(content.scenario_text)}</pre></section>"
        )
    footer = (
        f"<footer>Made by payersim {escape(content.version)} from the run's event log; the CSV tables "
        "and PNG figures beside this file hold the same data.</footer>"
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(content.title)}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(sections)}{footer}</main></body></html>\n"
    )
