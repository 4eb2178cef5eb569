"""A tiny replication model for study tests: a backlog of claim work shared out among billers.

It stands in for the simulation so the study machinery (seeds, executors, pairing, failures)
can be tested quickly and exactly. It is imported by name (this folder is put on sys.path by
conftest.py) so spawned workers can unpickle its functions.
"""

from __future__ import annotations

import os
import random
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from simulator.errors import UserError
from simulator.studies.runner import ScenarioModel
from simulator.studies.spec import read_yaml_mapping
from simulator.studies.tasks import Measurements

__all__ = ["MODEL", "ToyBillers", "ToyScenario", "load", "replicate", "validate"]


class ToyBillers(BaseModel):
    """Billing staff."""

    model_config = ConfigDict(extra="forbid")
    count: int = Field(default=2, ge=1)


class ToyScenario(BaseModel):
    """Claims to work, billers working them, and an optional planted failure."""

    model_config = ConfigDict(extra="forbid")
    name: str = "toy"
    claims: int = Field(default=200, ge=1)
    billers: ToyBillers = ToyBillers()
    fail_one_in: int = Field(default=0, ge=0)
    crash: bool = False


def load(reference: str, study_dir: Path) -> tuple[dict[str, Any], str]:
    """The toy scenario file ``reference``, relative to the study folder."""
    path = study_dir / reference
    if not path.is_file():
        raise UserError(f"scenario {reference!r}: no such file")
    return read_yaml_mapping(path), str(path)


def validate(data: dict[str, Any]) -> None:
    """Raise a ValidationError when ``data`` is not a toy scenario."""
    ToyScenario.model_validate(data)


def replicate(data: dict[str, Any], seed: int, events_path: Path | None) -> Measurements:
    """Work through the claims; return days of work per biller and the total work."""
    scenario = ToyScenario.model_validate(data)
    if scenario.fail_one_in and seed % scenario.fail_one_in == 0:
        raise RuntimeError(f"planted failure at seed {seed}")
    if scenario.crash:
        os._exit(3)
    rng = random.Random(seed)
    work = sum(rng.expovariate(1.0) for _ in range(scenario.claims))
    if events_path is not None:
        events_path.parent.mkdir(parents=True, exist_ok=True)
        events_path.write_text(f"seed={seed} work={work!r}\n", encoding="utf-8")
    kpis = {"days_of_work": work / scenario.billers.count, "total_work": work, "label": "not a number"}
    return Measurements(kpis, {"work": (("week", "work"), [(date(2026, 1, 5), work)])})


MODEL = ScenarioModel(load=load, validate=validate, replicate=replicate, events_suffix=".txt")
