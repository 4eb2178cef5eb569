"""Calibration: the default scenario lands inside the published bands of reports/benchmarks.yaml.

The full default run takes about a minute of CPU, so it runs only when PAYERSIM_SLOW=1.
The denial-reason share ``other`` is known to miss its band (no payer rule yields an
``other`` CARC), and is checked to be the only miss.
"""

from __future__ import annotations

import os

import pytest

from simulator.engine import run_scenario
from simulator.scenario import load_scenario

KNOWN_MISSES = {"mix_other"}


@pytest.mark.skipif(os.environ.get("PAYERSIM_SLOW") != "1", reason="full default run; set PAYERSIM_SLOW=1")
def test_default_scenario_lands_in_the_published_bands():
    """Every benchmark but the known misses is within its band."""
    from reports.calibration import calibrate
    from reports.kpis import summarize

    table = calibrate(summarize(run_scenario(load_scenario("community_practice")).events))
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    missed = [(r["id"], r["simulated"], r["low"], r["high"]) for r in rows if not r["within"]]
    assert {m[0] for m in missed} <= KNOWN_MISSES, missed
