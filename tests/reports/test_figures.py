"""Tests for reports.figures: every figure renders to a PNG, the same table gives the same bytes."""

from __future__ import annotations

import zlib

import pytest

from reports import figures
from reports.claims import fold
from reports.metrics import concat
from reports.render import run_tables
from reports.tables import Table

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _tables(events) -> dict[str, Table]:
    return run_tables(fold(events), "1")


def _draws():
    return [
        ("cash_by_week", figures.cash_figure),
        ("ar_aging", figures.ar_aging_figure),
        ("initial_denials", figures.denials_pareto_figure),
        ("initial_denials", figures.denials_by_payer_figure),
        ("resolution_times", figures.resolution_cdf_figure),
        ("staff", figures.staff_figure),
    ]


def _text_chunks(png: bytes) -> list[bytes]:
    chunks, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        kind = png[at + 4 : at + 8]
        if kind in (b"tEXt", b"iTXt", b"zTXt", b"tIME"):
            chunks.append(kind + png[at + 8 : at + 8 + length])
        at += 12 + length
    return chunks


@pytest.mark.parametrize(("table", "draw"), _draws(), ids=lambda v: getattr(v, "__name__", v))
def test_figure_renders_and_repeats_byte_for_byte(synthetic_events, table, draw):
    """Each figure is a non-trivial PNG, identical when drawn again from the same table."""
    tables = _tables(synthetic_events)
    first = figures.png_bytes(draw(tables[table]))
    second = figures.png_bytes(draw(_tables(synthetic_events)[table]))
    assert first.startswith(PNG_MAGIC)
    assert len(first) > 10_000
    assert first == second
    assert not any(b"Software" in chunk or chunk.startswith(b"tIME") for chunk in _text_chunks(first))


@pytest.mark.parametrize(("table", "draw"), _draws(), ids=lambda v: getattr(v, "__name__", v))
def test_figure_of_an_empty_run_still_renders(table, draw):
    """An empty run gives a figure that says so instead of failing."""
    empty = _tables([])[table]
    assert len(empty) == 0
    assert figures.png_bytes(draw(empty)).startswith(PNG_MAGIC)


def test_cash_band_across_runs(synthetic_events, make_log):
    """Several runs join into one table and draw a band: the picture differs from one run's."""
    one = run_tables(fold(synthetic_events), "1")
    two = run_tables(fold(make_log(seed=11)), "2")
    both = concat([one["cash_by_week"], two["cash_by_week"]])
    assert sorted(both.distinct("run")) == ["1", "2"]
    single = figures.png_bytes(figures.cash_figure(one["cash_by_week"]))
    banded = figures.png_bytes(figures.cash_figure(both))
    assert banded.startswith(PNG_MAGIC)
    assert banded != single
    aging = concat([one["ar_aging"], two["ar_aging"]])
    assert figures.png_bytes(figures.ar_aging_figure(aging)).startswith(PNG_MAGIC)


def test_kpi_differences_figure():
    """The study figure draws one panel per KPI and accepts missing variants."""
    table = Table.build(
        "kpi_differences",
        ("variant", "kpi", "mean_diff", "ci_low", "ci_high"),
        [
            ("fast", "days_in_ar", -3.0, -4.5, -1.5),
            ("fast", "initial_denial_rate", 0.4, -0.2, 1.0),
            ("slow", "days_in_ar", 2.0, 0.5, 3.5),
        ],
    )
    one = figures.png_bytes(figures.kpi_differences_figure(table, {"days_in_ar": "days"}))
    assert one.startswith(PNG_MAGIC)
    assert one == figures.png_bytes(figures.kpi_differences_figure(table, {"days_in_ar": "days"}))
    empty = Table.build("kpi_differences", table.columns, [])
    assert figures.png_bytes(figures.kpi_differences_figure(empty)).startswith(PNG_MAGIC)


def test_png_is_compressed_image_data(synthetic_events):
    """The image data decompresses (a sanity check that the PNG is whole)."""
    png = figures.png_bytes(figures.cash_figure(_tables(synthetic_events)["cash_by_week"]))
    at, data = 8, b""
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        if png[at + 4 : at + 8] == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    assert len(zlib.decompress(data)) > 100_000


def test_kpi_scale():
    """Rates become percentage points, money dollars, days stay days."""
    assert figures.kpi_scale("initial_denial_rate") == (100.0, "percentage points")
    assert figures.kpi_scale("initial_denial_rate_by_payer_type.medicare") == (100.0, "percentage points")
    assert figures.kpi_scale("cash_cents") == (0.01, "USD")
    assert figures.kpi_scale("resolution_days_p90") == (1.0, "days")
    assert figures.kpi_scale("days_in_ar") == (1.0, "days")
