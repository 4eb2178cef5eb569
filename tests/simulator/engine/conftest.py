"""Shared fixtures for engine tests: the quick scenario and variants of it."""

from __future__ import annotations

import copy

import pytest
import yaml

from simulator.engine import run_scenario
from simulator.scenario import Scenario, load_scenario, scenario_path


def quick_data() -> dict:
    """The quick scenario as a plain mapping, to change and validate again."""
    return yaml.safe_load(scenario_path("quick").read_text(encoding="utf-8"))


def variant(changes: dict, base: dict | None = None) -> Scenario:
    """The quick scenario with top-level sections replaced or merged from ``changes``."""
    data = copy.deepcopy(base or quick_data())
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = data[key] | value
        else:
            data[key] = value
    return Scenario.model_validate(data)


@pytest.fixture(scope="session")
def quick_run():
    """One run of the quick scenario, shared by tests that only read it."""
    return run_scenario(Scenario.model_validate(quick_data()))


@pytest.fixture(scope="session")
def default_run():
    """One full run of the default scenario (about a minute), shared by calibration and conservation."""
    return run_scenario(load_scenario("community_practice"))
