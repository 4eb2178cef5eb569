"""Tests for the run's collector setting: off during the run, back after, and no cycles to miss."""

from __future__ import annotations

import gc

import pytest

from simulator.engine.collector import collector_off
from simulator.engine.lifecycle import run_batches, see_patients
from simulator.engine.world import World
from simulator.scenario import load_scenario


def test_collector_is_off_inside_and_back_on_after():
    """Automatic collection is off in the block and on again after it, even after an error."""
    assert gc.isenabled()
    with collector_off():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_off():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    """A caller that had turned the collector off finds it off after the block."""
    gc.disable()
    try:
        with collector_off():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_run_leaves_next_to_no_cyclic_garbage():
    """Hundreds of claims run with the collector off leave fewer unreachable cycles than claims.

    If a change made a reference cycle per claim (or per event), a run with the collector off
    would keep them all; this count would then grow with the claims.
    """
    scenario = load_scenario("quick")
    world = World(scenario)
    world.start()
    world.env.process(see_patients(world))
    world.env.process(run_batches(world))
    gc.collect()
    with collector_off():
        world.env.run(until=scenario.horizon_days + scenario.run_out_days)
        claims = len(world.closed) + len(world.open)
        found = gc.collect()
    assert claims > 300
    assert found < 50
