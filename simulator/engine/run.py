"""Run a scenario to the end of its horizon and hand back the event log and the claims table."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.collector import young_collections_only
from simulator.engine.lifecycle import claim_row, run_batches, see_patients
from simulator.engine.world import World
from simulator.eventlog import Event, EventKind

__all__ = ["CLAIM_COLUMNS", "RunResult", "run_scenario"]

CLAIM_COLUMNS = (
    "claim_id",
    "payer",
    "payer_type",
    "service_date",
    "closed_date",
    "final_state",
    "submissions",
    "billed",
    "paid_primary",
    "paid_secondary",
    "paid_patient",
    "adjusted",
    "written_off",
    "open_balance",
    "open_patient_balance",
)
"""Columns of the claims table, one row per claim."""


@dataclass(frozen=True, slots=True)
class RunResult:
    """What a run leaves: its events, its claims table rows and the simulated span."""

    events: list[Event]
    claims: list[tuple]
    days: int
    simpy_events: int


def _progress(world, total: int, bar):
    step = max(1, total // 200)
    while world.env.now < total:
        yield world.env.timeout(step)
        bar.update(min(step, total - bar.n))


def run_scenario(scenario, seed: int | None = None, *, progress: bool = False, make_payer=None) -> RunResult:
    """Run ``scenario`` (with ``seed`` instead of its own when given) and return the result."""
    world = World(scenario, seed, make_payer)
    world.start()
    env = world.env
    env.process(see_patients(world))
    env.process(run_batches(world))
    total = scenario.horizon_days + scenario.run_out_days
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="day", desc=scenario.name, leave=False)
        env.process(_progress(world, total, bar))
    with young_collections_only():
        env.run(until=total)
    if bar is not None:
        bar.close()
    world.emit(EventKind.RUN_ENDED, actor="system", detail=f"open_claims={len(world.open)}")
    rows = world.closed + [claim_row(world, st) for st in world.open.values()]
    rows.sort(key=lambda row: row[0])
    return RunResult(world.log.events, rows, total, next(env._eid))
