"""The study model of the real simulation: shipped or file scenarios, the engine, reports' KPIs.

:data:`SIMULATION` is what ``payersim study`` and ``payersim compare`` run. Its replicate
function is top level so that it pickles for spawned workers and for Dask.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from simulator.errors import UserError
from simulator.scenario import Scenario, scenario_path
from simulator.studies.runner import ScenarioModel
from simulator.studies.spec import read_yaml_mapping
from simulator.studies.tasks import Measurements

__all__ = ["BAND_TABLES", "SIMULATION", "known_kpis", "load", "replicate", "validate"]


def load(reference: str, study_dir: Path) -> tuple[dict[str, Any], str]:
    """A scenario file relative to the study's folder, else a shipped scenario name or path."""
    candidate = Path(os.path.normpath(study_dir / reference))
    if candidate.is_file():
        return read_yaml_mapping(candidate), str(candidate)
    path = scenario_path(reference)
    if not path.is_file():
        raise UserError(f"scenario {reference!r}: no such file (looked in {study_dir} too)")
    shown = reference if path.parent.name == "scenarios" and reference == path.stem else str(path)
    return read_yaml_mapping(path), shown


def validate(data: dict[str, Any]) -> None:
    """Raise a ValidationError naming the field when ``data`` is not a valid scenario."""
    Scenario.model_validate(data)


BAND_TABLES = ("cash_by_week", "ar_aging")
"""Metric tables each replication returns for the report's band figures (a few hundred rows)."""


def replicate(data: dict[str, Any], seed: int, events_path: Path | None) -> Measurements:
    """Run the scenario with ``seed``; write its events when asked; return its KPIs and band tables."""
    from reports import metrics
    from reports.claims import fold
    from reports.kpis import summarize_run
    from simulator.engine import run_scenario
    from simulator.eventlog import write_events

    scenario = Scenario.model_validate(data)
    events = run_scenario(scenario, seed).events
    if events_path is not None:
        events_path.parent.mkdir(parents=True, exist_ok=True)
        write_events(events, events_path)
    run = fold(events)
    tables = {name: getattr(metrics, name)(run, 0) for name in BAND_TABLES}
    return Measurements(summarize_run(run), {name: (t.columns, t.rows) for name, t in tables.items()})


def known_kpis() -> tuple[str, ...]:
    """The KPI names reports computes."""
    from reports.kpis import KPI_KEYS

    return KPI_KEYS


SIMULATION = ScenarioModel(load=load, validate=validate, replicate=replicate, known_kpis=known_kpis)
