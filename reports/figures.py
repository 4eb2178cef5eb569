"""Matplotlib figures drawn from metric tables, written as deterministic PNG files.

Every function takes a :class:`~reports.tables.Table` (never a live simulation object) and
returns a :class:`matplotlib.figure.Figure` built with the object-oriented API, so no pyplot
state and no interactive backend are involved. :func:`png_bytes` renders a figure with a fixed
size, resolution and style and without the ``Software`` metadata, so the same table gives the
same bytes.

Tables and the columns each figure reads (``run`` labels a replication; money in cents):

- ``cash_by_week``: run, week, payer_type, collected_cents
- ``ar_aging``: run, week, bucket, balance_cents
- ``initial_denials``: run, payer_type, category, denials, billed_cents
- ``resolution_times``: run, payer_type, claim_id, days
- ``staff``: run, week, role, backlog, hours, utilisation (``None`` where not known)
- ``kpi_differences``: variant, kpi, mean_diff, ci_low, ci_high
"""

from __future__ import annotations

import io
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from reports.style import (
    AGE_BUCKETS,
    AGE_COLORS,
    CATEGORY_COLORS,
    CATEGORY_LABELS,
    DENIAL_CATEGORIES,
    PAYER_TYPES,
    kpi_label,
    payer_color,
    payer_label,
)
from reports.tables import Table

__all__ = [
    "DPI",
    "ar_aging_figure",
    "cash_figure",
    "denials_by_payer_figure",
    "denials_pareto_figure",
    "kpi_differences_figure",
    "kpi_scale",
    "png_bytes",
    "resolution_cdf_figure",
    "staff_figure",
]

DPI = 100

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "svg.hashsalt": "payersim",
    "path.simplify": True,
    "axes.axisbelow": True,
}


def png_bytes(figure: Figure) -> bytes:
    """Render ``figure`` as PNG bytes: fixed dpi, no timestamp or software metadata."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    with matplotlib.rc_context(_STYLE):
        figure.draw_without_rendering()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


def _new_figure(width: float, height: float, rows: int = 1, **kwargs: Any) -> tuple[Figure, list[Axes]]:
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        axes = figure.subplots(rows, 1, squeeze=False, **kwargs)
    return figure, [row[0] for row in axes]


def _styled(build: Callable[..., Figure]) -> Callable[..., Figure]:
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with matplotlib.rc_context(_STYLE):
            return build(*args, **kwargs)

    wrapper.__name__ = build.__name__
    wrapper.__doc__ = build.__doc__
    return wrapper


def _dollars(value: float, _pos: Any = None) -> str:
    magnitude = abs(value)
    if magnitude >= 1_000_000:
        return f"${value / 1_000_000:,.1f}M"
    if magnitude >= 10_000:
        return f"${value / 1_000:,.0f}k"
    return f"${value:,.0f}"


def _empty(axes: Axes, message: str = "no data in this run") -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#777777")
    axes.set_xticks([])
    axes.set_yticks([])
    axes.grid(False)


def _date_axis(axes: Axes) -> None:
    locator = AutoDateLocator(minticks=4, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _ordered_payers(present: Sequence[str]) -> list[str]:
    known = [p for p in PAYER_TYPES if p in present]
    return known + sorted(p for p in present if p not in PAYER_TYPES)


def _by_run(table: Table, key: str, value: str) -> dict[Any, dict[Any, float]]:
    """``{key value: {run: summed value}}`` over the table's rows."""
    out: dict[Any, dict[Any, float]] = defaultdict(lambda: defaultdict(float))
    for record in table.records():
        out[record[key]][record["run"]] += record[value]
    return out


def _band(per_run: dict[Any, float], runs: Sequence[Any]) -> tuple[float, float, float]:
    values = [per_run.get(run, 0.0) for run in runs]
    return statistics.fmean(values), min(values), max(values)


def _series(
    table: Table, payer: str, runs: Sequence[Any], weeks: Sequence[date], cumulative: bool
) -> tuple[list[float], list[float], list[float]]:
    per_week = _by_run(table.where(payer_type=payer), "week", "collected_cents")
    totals = {run: 0.0 for run in runs}
    mean, low, high = [], [], []
    for week in weeks:
        for run in runs:
            amount = per_week.get(week, {}).get(run, 0.0) / 100
            totals[run] = totals[run] + amount if cumulative else amount
        m, lo, hi = _band(totals, runs)
        mean.append(m)
        low.append(lo)
        high.append(hi)
    return mean, low, high


@_styled
def cash_figure(table: Table) -> Figure:
    """Cash collected per week and cumulative, one line per payer type; a band across runs."""
    figure, (weekly, total) = _new_figure(10, 7.5, rows=2, sharex=True)
    if not len(table):
        _empty(weekly)
        _empty(total)
        figure.suptitle("Cash collected by payer type", fontweight="bold")
        return figure
    runs = sorted(table.distinct("run"))
    weeks = sorted(table.distinct("week"))
    for payer in _ordered_payers(table.distinct("payer_type")):
        for axes, cumulative in ((weekly, False), (total, True)):
            mean, low, high = _series(table, payer, runs, weeks, cumulative)
            colour = payer_color(payer)
            axes.plot(weeks, mean, color=colour, linewidth=1.8, label=payer_label(payer))
            if len(runs) > 1:
                axes.fill_between(weeks, low, high, color=colour, alpha=0.18, linewidth=0)
    band = f" (line: mean of {len(runs)} runs; band: min to max)" if len(runs) > 1 else ""
    weekly.set_title(f"Cash collected per week{band}")
    weekly.set_ylabel("Collected per week (USD)")
    total.set_title("Cumulative cash collected")
    total.set_ylabel("Cumulative collected (USD)")
    total.set_xlabel("Week starting")
    for axes in (weekly, total):
        axes.yaxis.set_major_formatter(FuncFormatter(_dollars))
        axes.set_ylim(bottom=0)
        _date_axis(axes)
    weekly.legend(loc="upper left", ncols=4)
    return figure


@_styled
def ar_aging_figure(table: Table) -> Figure:
    """Open A/R balance at each week's end, stacked by age bucket (mean across runs)."""
    figure, (axes,) = _new_figure(10, 4.8)
    axes.set_title("Accounts receivable by age (open balance at week end)")
    if not len(table):
        _empty(axes)
        return figure
    runs = sorted(table.distinct("run"))
    weeks = sorted(table.distinct("week"))
    stacks = []
    for bucket in AGE_BUCKETS:
        per_week = _by_run(table.where(bucket=bucket), "week", "balance_cents")
        stacks.append([_band(per_week.get(w, {}), runs)[0] / 100 for w in weeks])
    axes.stackplot(
        weeks,
        stacks,
        labels=[f"{b} days" for b in AGE_BUCKETS],
        colors=[AGE_COLORS[b] for b in AGE_BUCKETS],
        alpha=0.95,
        linewidth=0,
    )
    axes.set_ylabel("Open balance (USD)" + (f", mean of {len(runs)} runs" if len(runs) > 1 else ""))
    axes.set_xlabel("Week ending")
    axes.yaxis.set_major_formatter(FuncFormatter(_dollars))
    axes.set_ylim(bottom=0)
    _date_axis(axes)
    axes.legend(
        loc="center left", bbox_to_anchor=(1.01, 0.5), title="Age since\ndate of service", reverse=True
    )
    return figure


def _category_totals(table: Table) -> dict[str, int]:
    totals = dict.fromkeys(DENIAL_CATEGORIES, 0)
    for record in table.records():
        totals[record["category"]] = totals.get(record["category"], 0) + int(record["denials"])
    return totals


@_styled
def denials_pareto_figure(table: Table) -> Figure:
    """Initial denials by reason, most frequent first, with the cumulative share (Pareto)."""
    figure, (axes,) = _new_figure(10, 4.8)
    axes.set_title("Initial denials by reason (Pareto)")
    totals = {k: v for k, v in _category_totals(table).items() if v}
    if not totals:
        _empty(axes, "no denials in this run")
        return figure
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], DENIAL_CATEGORIES.index(kv[0])))
    names = [CATEGORY_LABELS.get(k, k) for k, _ in ordered]
    counts = [v for _, v in ordered]
    positions = list(range(len(ordered)))
    axes.bar(positions, counts, color=[CATEGORY_COLORS.get(k, "#999999") for k, _ in ordered])
    axes.set_xticks(positions, names, rotation=30, ha="right")
    axes.set_ylabel("Denials (count)")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", visible=False)
    share = axes.twinx()
    total = sum(counts)
    running, cumulative = 0, []
    for count in counts:
        running += count
        cumulative.append(running / total)
    share.plot(positions, cumulative, color="#333333", marker="o", linewidth=1.5)
    share.set_ylim(0, 1.05)
    share.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    share.set_ylabel("Cumulative share of denials")
    share.grid(False)
    share.spines["right"].set_visible(True)
    return figure


@_styled
def denials_by_payer_figure(table: Table) -> Figure:
    """Initial denials per payer type, stacked by reason."""
    figure, (axes,) = _new_figure(10, 4.2)
    axes.set_title("Initial denials by payer type and reason")
    if not len(table) or not sum(int(v) for v in table.column("denials")):
        _empty(axes, "no denials in this run")
        return figure
    payers = _ordered_payers(table.distinct("payer_type"))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for record in table.records():
        counts[(record["payer_type"], record["category"])] += int(record["denials"])
    left = [0] * len(payers)
    positions = list(range(len(payers)))
    for category in DENIAL_CATEGORIES:
        widths = [counts[(p, category)] for p in payers]
        if not any(widths):
            continue
        axes.barh(
            positions, widths, left=left, color=CATEGORY_COLORS[category], label=CATEGORY_LABELS[category]
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_yticks(positions, [payer_label(p) for p in payers])
    axes.invert_yaxis()
    axes.set_xlabel("Denials (count)")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", visible=False)
    axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), title="Reason")
    return figure


@_styled
def resolution_cdf_figure(table: Table) -> Figure:
    """Empirical CDF of days from submission to resolution, one curve per payer type."""
    figure, (axes,) = _new_figure(10, 4.8)
    axes.set_title("Time to resolution by payer type")
    if not len(table):
        _empty(axes, "no claim was resolved in this run")
        return figure
    for payer in _ordered_payers(table.distinct("payer_type")):
        days = sorted(float(d) for d in table.where(payer_type=payer).column("days"))
        shares = [(i + 1) / len(days) for i in range(len(days))]
        axes.step(
            [0.0, *days],
            [0.0, *shares],
            where="post",
            color=payer_color(payer),
            linewidth=1.8,
            label=f"{payer_label(payer)} (n={len(days)})",
        )
    axes.set_xlabel("Days from first submission to resolution")
    axes.set_ylabel("Share of resolved claims")
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_ylim(0, 1.02)
    axes.set_xlim(left=0)
    axes.legend(loc="lower right")
    return figure


def _role_series(rows: Table, column: str, runs: Sequence[Any], weeks: Sequence[date]) -> list[tuple] | None:
    values = [r for r in rows.records() if r[column] is not None]
    if not values:
        return None
    per_week: dict[Any, dict[Any, float]] = defaultdict(dict)
    for record in values:
        per_week[record["week"]][record["run"]] = float(record[column])
    return [_band(per_week.get(w, {}), runs) for w in weeks]


@_styled
def staff_figure(table: Table) -> Figure:
    """Biller work queue and each staff role's utilisation (or hours worked), week by week."""
    figure, (backlog, busy) = _new_figure(10, 6.5, rows=2)
    backlog.set_title("Biller work queue (claims rejected, denied or pended, not yet worked)")
    runs = sorted(table.distinct("run")) if len(table) else []
    weeks = sorted(table.distinct("week")) if len(table) else []
    roles = sorted(table.distinct("role")) if len(table) else []
    has_utilisation = any(v is not None for v in table.column("utilisation")) if len(table) else False
    lower = "utilisation" if has_utilisation else "hours"
    busy.set_title(
        "Staff utilisation (logged task hours over paid hours)"
        if has_utilisation
        else "Staff hours worked per week"
    )
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
    drawn = {"backlog": 0, lower: 0}
    for index, role in enumerate(roles):
        colour = palette[index % len(palette)]
        for axes, column in ((backlog, "backlog"), (busy, lower)):
            series = _role_series(table.where(role=role), column, runs, weeks)
            if series is None:
                continue
            drawn[column] += 1
            axes.plot(
                weeks, [v[0] for v in series], color=colour, linewidth=1.8, label=role.replace("_", " ")
            )
            if len(runs) > 1:
                low, high = [v[1] for v in series], [v[2] for v in series]
                axes.fill_between(weeks, low, high, color=colour, alpha=0.18, linewidth=0)
    labels = {
        "backlog": "Claims waiting (mean over the week)",
        "utilisation": "Utilisation",
        "hours": "Hours",
    }
    for axes, column in ((backlog, "backlog"), (busy, lower)):
        if not drawn[column]:
            _empty(axes, "the run logged no staff hours" if axes is busy else "no work queue in this run")
            continue
        axes.set_ylabel(labels[column])
        axes.set_xlabel("Week starting")
        axes.set_ylim(bottom=0)
        _date_axis(axes)
        axes.legend(loc="upper left", title="Role")
    if drawn.get("utilisation"):
        busy.set_ylim(0, 1.05)
        busy.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    return figure


def kpi_scale(kpi: str) -> tuple[float, str]:
    """How a KPI's differences are shown: (factor to multiply by, unit)."""
    if kpi.endswith("_cents"):
        return 0.01, "USD"
    if "days" in kpi:
        return 1.0, "days"
    if kpi == "claims":
        return 1.0, "claims"
    return 100.0, "percentage points"


def _kpi_title(kpi: str) -> str:
    head, _, tail = kpi.removesuffix("_cents").partition(".")
    name = kpi_label(head)
    return f"{name}: {payer_label(tail) if tail in PAYER_TYPES else tail.replace('_', ' ')}" if tail else name


@_styled
def kpi_differences_figure(table: Table, units: dict[str, str] | None = None) -> Figure:
    """Per KPI, each variant's mean difference from the baseline with its confidence interval.

    Rates are shown in percentage points, money in dollars, days in days, unless ``units``
    names a KPI's unit (then its values are drawn as they are).
    """
    kpis = table.distinct("kpi") if len(table) else []
    variants = table.distinct("variant") if len(table) else []
    height = max(2.0, 0.45 * len(variants) + 1.1) * max(1, len(kpis))
    figure, panels = _new_figure(10, height, rows=max(1, len(kpis)))
    figure.suptitle(
        "Difference from the baseline by variant (mean and confidence interval)", fontweight="bold"
    )
    if not kpis:
        _empty(panels[0], "no variants to compare")
        return figure
    positions = list(range(len(variants)))
    for axes, kpi in zip(panels, kpis, strict=True):
        factor, unit = (1.0, units[kpi]) if units and kpi in units else kpi_scale(kpi)
        rows = {r["variant"]: r for r in table.where(kpi=kpi).records()}
        for position, variant in zip(positions, variants, strict=True):
            row = rows.get(variant)
            if row is None:
                continue
            mean, low, high = (float(row[c]) * factor for c in ("mean_diff", "ci_low", "ci_high"))
            colour = "#D55E00" if low > 0 or high < 0 else "#0072B2"
            axes.errorbar(
                [mean],
                [position],
                xerr=[[mean - low], [high - mean]],
                fmt="o",
                color=colour,
                capsize=4,
                linewidth=1.6,
            )
        axes.axvline(0, color="#333333", linewidth=0.9)
        axes.set_yticks(positions, variants)
        axes.set_ylim(len(variants) - 0.5, -0.5)
        axes.set_title(_kpi_title(kpi), loc="left", fontsize=10)
        axes.set_xlabel(f"Difference ({unit})")
        axes.grid(axis="y", visible=False)
    return figure
