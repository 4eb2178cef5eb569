"""Run a scenario to the end of its horizon and hand back the event log and the claims table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.engine.collector import collector_off
from simulator.engine.lifecycle import claim_row, run_batches, see_patients
from simulator.engine.world import World
from simulator.eventlog import Event, EventFile, EventKind, EventWriter

if TYPE_CHECKING:
    from simulator.engine.x12files import X12Traffic

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
    """What a run leaves: its events, its claims table rows and the simulated span.

    ``events`` is a list, or an :class:`~simulator.eventlog.EventFile` reading ``events_path``
    lazily when the run streamed its log to a file; ``claims`` reads as tuples in claim-id order.
    ``x12`` is the run's X12 traffic when it was asked for, and ``last_day`` the run's last date.
    """

    events: Sequence[Event]
    claims: Sequence[tuple]
    days: int
    simpy_events: int
    events_path: Path | None = None
    x12: X12Traffic | None = None
    last_day: date | None = None


def _progress(world, total: int, bar):
    step = max(1, total // 200)
    while world.env.now < total:
        yield world.env.timeout(step)
        bar.update(min(step, total - bar.n))


def run_scenario(
    scenario,
    seed: int | None = None,
    *,
    progress: bool = False,
    make_payer=None,
    events_path: Path | str | None = None,
    fmt: str = "parquet",
    x12: bool = False,
    x12_folder: Path | None = None,
) -> RunResult:
    """Run ``scenario`` (with ``seed`` instead of its own when given) and return the result.

    With ``events_path`` the event log is written there (``fmt`` parquet or csv) while the run
    goes, instead of being kept in memory; the file equals :func:`~simulator.eventlog.write_events`'.
    With ``x12`` the run also notes its X12 traffic (:class:`~simulator.engine.x12files.X12Traffic`);
    with ``x12_folder`` too, the traffic's files are written into that run folder as the run goes
    (``result.x12.finish(result.last_day)`` writes the rest).
    """
    writer = None if events_path is None else EventWriter(events_path, fmt)
    try:
        world = World(scenario, seed, make_payer, writer)
        if x12 or x12_folder is not None:
            from simulator.engine.x12files import X12Traffic  # the X12 codec only when asked for

            world.x12 = X12Traffic(scenario, stream_to=x12_folder)
        total = _simulate(world, scenario, progress)
        world.emit(EventKind.RUN_ENDED, actor="system", detail=f"open_claims={len(world.open)}")
        world.log.flush()
    finally:
        if writer is not None:
            writer.close()
    for st in world.open.values():
        world.closed.append(claim_row(world, st))
    simpy_events, last_day = next(world.env._eid), world.log.today()
    if writer is None:
        return RunResult(world.log.events, world.closed, total, simpy_events, None, world.x12, last_day)
    events = EventFile(writer.path, writer.count)
    return RunResult(events, world.closed, total, simpy_events, writer.path, world.x12, last_day)


def _simulate(world: World, scenario, progress: bool) -> int:
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
    with collector_off():
        env.run(until=total)
    if bar is not None:
        bar.close()
    return total
