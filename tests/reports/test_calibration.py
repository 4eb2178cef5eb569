"""Tests for reports.calibration: benchmarks load, and values are flagged in or out of band."""

from __future__ import annotations

import pytest

from reports.calibration import Benchmark, calibrate, kpi_value, load_benchmarks


def _mark(kpi, low, high, unit="fraction"):
    keys = tuple(kpi) if isinstance(kpi, list) else (kpi,)
    return Benchmark("b", "B", keys, (low + high) / 2, low, high, unit, "Somewhere", 2024)


def test_packaged_benchmarks_cite_a_source_and_hold_their_published_figure():
    """Every shipped benchmark names a source and year field, and its band holds the published figure."""
    marks = load_benchmarks()
    assert len(marks) >= 15
    ids = {m.id for m in marks}
    assert {
        "initial_denial_rate_medicare",
        "days_in_ar",
        "final_denial_rate",
        "appeal_overturn_rate",
        "medicare_days_to_payment",
        "mix_eligibility_registration",
    } <= ids
    for mark in marks:
        assert mark.source
        assert mark.low <= mark.published <= mark.high, mark.id
    medicare = next(m for m in marks if m.id == "initial_denial_rate_medicare")
    assert (medicare.published, medicare.low, medicare.high, medicare.year) == (0.084, 0.054, 0.114, 2024)
    assert "Premier" in medicare.source


@pytest.mark.parametrize(
    ("value", "within"),
    [
        (0.084, True),
        (0.054, True),
        (0.114, True),
        (0.0539, False),
        (0.1141, False),
        (0.30, False),
        (None, None),
    ],
)
def test_in_band_and_out_of_band(value, within):
    """Values inside the band (edges included) are within; outside are not; missing has no verdict."""
    summary = {"initial_denial_rate_by_payer_type": {"medicare": value}}
    row = calibrate(summary, [_mark("initial_denial_rate_by_payer_type.medicare", 0.054, 0.114)]).records()[0]
    assert row["within"] is within
    assert row["simulated"] == value


def test_summed_kpis():
    """A benchmark over several keys sums them (A/R over 90 days)."""
    summary = {"ar_aging": {"91-120": 0.1, "120+": 0.15, "0-30": 0.75}}
    assert kpi_value(summary, ("ar_aging.91-120", "ar_aging.120+")) == 0.25
    table = calibrate(summary, [_mark(["ar_aging.91-120", "ar_aging.120+"], 0.2, 0.4)])
    assert table.records()[0]["within"] is True
    assert kpi_value({"ar_aging": {"91-120": 0.1}}, ("ar_aging.91-120", "ar_aging.120+")) is None


def test_days_benchmark_and_the_packaged_table_against_a_summary(synthetic_events):
    """The packaged table scores a real summary; days in A/R far below 35 is flagged."""
    from reports.kpis import summarize

    summary = summarize(synthetic_events)
    table = calibrate(summary)
    rows = {r["id"]: r for r in table.records()}
    assert rows["days_in_ar"]["simulated"] == summary["days_in_ar"]
    assert rows["days_in_ar"]["within"] is (35 <= summary["days_in_ar"] <= 60)
    assert rows["medicare_days_to_payment"]["within"] is True


def test_bad_benchmark_files_are_named(tmp_path):
    """A benchmark file with a missing field or a reversed band says which."""
    path = tmp_path / "b.yaml"
    path.write_text(
        "benchmarks:\n  - id: x\n    label: X\n    kpi: claims\n    published: 1\n    low: 2\n"
        "    high: 1\n    unit: fraction\n    source: S\n    year: 2024\n"
    )
    with pytest.raises(ValueError, match=r"low 2\.0 above high 1\.0"):
        load_benchmarks(path)
    path.write_text("benchmarks:\n  - id: y\n    label: Y\n")
    with pytest.raises(ValueError, match="'y' lacks the field 'kpi'"):
        load_benchmarks(path)
