"""Golden runs: each scenario run by the suite reproduces its checked-in KPIs and event log.

The expected files in ``golden/`` hold the run's KPI summary and the SHA-256 of its event log
written as CSV (payersim's own writer, so the digest does not depend on the Parquet library).
A change that alters what a run does must say so by updating them:
``PAYERSIM_UPDATE_GOLDEN=1 .venv/bin/pytest tests/simulator/engine/test_golden.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from reports.kpis import summarize
from simulator.eventlog import write_events_csv

GOLDEN = Path(__file__).with_name("golden")


def _fingerprint(result, tmp_path: Path) -> dict:
    csv_path = write_events_csv(result.events, tmp_path / "events.csv")
    return {
        "events": len(result.events),
        "events_csv_sha256": hashlib.sha256(csv_path.read_bytes()).hexdigest(),
        "summary": summarize(result.events),
    }


def _check(name: str, result, tmp_path: Path) -> None:
    path = GOLDEN / f"{name}.json"
    got = json.loads(json.dumps(_fingerprint(result, tmp_path), sort_keys=True))
    if os.environ.get("PAYERSIM_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip(f"rewrote {path.name}")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got["summary"] == expected["summary"], f"{name}: the KPIs changed"
    assert got["events"] == expected["events"], f"{name}: the number of events changed"
    assert got["events_csv_sha256"] == expected["events_csv_sha256"], f"{name}: the event log changed"


def test_quick_scenario_matches_its_golden_run(quick_run, tmp_path):
    """The quick scenario with its own seed gives the checked-in run."""
    _check("quick", quick_run, tmp_path)


def test_default_scenario_matches_its_golden_run(default_run, tmp_path):
    """The default scenario with its own seed gives the checked-in run."""
    _check("community_practice", default_run, tmp_path)
