"""Calibration: the default scenario lands inside the published bands of reports/benchmarks.yaml.

The full default run takes about a minute of CPU; it is shared with the conservation test.
Every benchmark must land in its band, the denial-reason share ``other`` included (claims from
a clinician not enrolled with the payer, denied CO-B7 / CO-185 by ``provider_enrollment``).
"""

from __future__ import annotations


def test_default_scenario_lands_in_the_published_bands(default_run):
    """Every benchmark is within its band."""
    from reports.calibration import calibrate
    from reports.kpis import summarize

    table = calibrate(summarize(default_run.events))
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    missed = [(r["id"], r["simulated"], r["low"], r["high"]) for r in rows if not r["within"]]
    assert missed == []
    other = next(r for r in rows if r["id"] == "mix_other")
    assert other["simulated"] >= other["low"] > 0
