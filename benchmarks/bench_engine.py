"""Engine throughput and memory, against a bare simpy model measured in the same run.

Run with ``.venv/bin/python -m benchmarks.bench_engine [--claims N] [--memory-claims M]``.

1. Throughput: the default scenario, its visit horizon stretched to give about N claims
   (default 100,000), run to the end of its horizon; then a bare simpy model with the same
   number of claims, each a process doing the same number of simpy events per claim (plain
   timeouts), on the same machine in the same process. Prints claims per second, simpy events
   per second for both, and their ratio (target: ours at least 40% of the bare model's).
2. Memory: a smaller run (M claims, default 10,000, with 240 days of run-out so claims
   settle) under ``tracemalloc``, split into what the run keeps at its end: the event log
   (the run's output), the payers' ledgers (the payers' memory of every decision) and the
   engine's own state (open claims, closed-claim rows, the patient panel, queues).
   Target: at most 2 KB of engine state per claim. Also prints the peak resident set size
   of the throughput run.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import simpy

from simulator.engine import World
from simulator.engine.collector import young_collections_only
from simulator.engine.lifecycle import claim_row, run_batches, see_patients
from simulator.scenario import load_scenario

__all__ = ["bare_model", "main", "scenario_for"]

_VISITS_PER_DAY = 120.0


def scenario_for(claims: int):
    """The default scenario with a visit horizon giving about ``claims`` claims and no run-out."""
    scenario = load_scenario("community_practice")
    days = max(7, round(claims / _VISITS_PER_DAY))
    return scenario.model_copy(update={"horizon_days": days, "run_out_days": 0})


def _run(scenario) -> World:
    world = World(scenario)
    world.start()
    world.env.process(see_patients(world))
    world.env.process(run_batches(world))
    with young_collections_only():
        world.env.run(until=scenario.horizon_days + scenario.run_out_days)
    return world


def _claims(world: World) -> int:
    return len(world.closed) + len(world.open)


def bare_model(claims: int, events_per_claim: int, days: int) -> float:
    """Seconds a bare simpy model takes for ``claims`` processes of ``events_per_claim`` events."""
    env = simpy.Environment()
    per_day = max(1, claims // days)
    steps = max(1, events_per_claim - 2)

    def claim(offset: float):
        yield env.timeout(offset)
        for _ in range(steps):
            yield env.timeout(0.37)

    def arrivals():
        made = 0
        while made < claims:
            for k in range(min(per_day, claims - made)):
                env.process(claim(k / per_day))
            made += per_day
            yield env.timeout(1)

    env.process(arrivals())
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


def _rss_peak_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def throughput(claims: int) -> dict:
    """Claims and simpy events per second of the engine and of the bare model."""
    scenario = scenario_for(claims)
    gc.collect()
    start = time.perf_counter()
    world = _run(scenario)
    ours = time.perf_counter() - start
    made = _claims(world)
    events = next(world.env._eid)
    per_claim = round(events / made)
    bare = bare_model(made, per_claim, scenario.horizon_days)
    bare_events = made * (max(1, per_claim - 2) + 2)
    return {
        "claims": made,
        "log_events": len(world.log.events),
        "simpy_events": events,
        "simpy_events_per_claim": per_claim,
        "seconds": ours,
        "claims_per_second": made / ours,
        "events_per_second": events / ours,
        "bare_seconds": bare,
        "bare_events_per_second": bare_events / bare,
        "peak_rss_kb": _rss_peak_kb(),
    }


def memory(claims: int) -> dict:
    """Bytes kept at the end of a run whose claims have settled, per claim, by component."""
    scenario = scenario_for(claims).model_copy(update={"run_out_days": 240})
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    world = _run(scenario)
    rows = world.closed + [claim_row(world, st) for st in world.open.values()]
    made = len(rows)
    gc.collect()
    total = tracemalloc.get_traced_memory()[0] - base
    world.log.events = []
    gc.collect()
    without_log = tracemalloc.get_traced_memory()[0] - base
    for desk in world.desks.values():
        desk.ledger = None
    gc.collect()
    engine = tracemalloc.get_traced_memory()[0] - base
    people = len(world.panel.people)
    world.panel.people.clear()
    gc.collect()
    without_panel = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return {
        "claims": made,
        "open_at_end": len(world.open),
        "total_per_claim": total / made,
        "event_log_per_claim": (total - without_log) / made,
        "ledgers_per_claim": (without_log - engine) / made,
        "engine_per_claim": engine / made,
        "people": people,
        "panel_per_person": (engine - without_panel) / people,
        "claim_state_per_claim": without_panel / made,
    }


def main(argv: list[str] | None = None) -> int:
    """Run both measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="claims in the throughput run")
    parser.add_argument("--memory-claims", type=int, default=10_000, help="claims in the traced run")
    args = parser.parse_args(argv)
    speed = throughput(args.claims)
    print(
        f"engine: {speed['claims']} claims, {speed['log_events']} log events, {speed['simpy_events']} simpy "
        f"events ({speed['simpy_events_per_claim']} per claim) in {speed['seconds']:.1f} s"
    )
    print(f"  {speed['claims_per_second']:.0f} claims/s, {speed['events_per_second']:.0f} simpy events/s")
    print(
        f"bare simpy, same claims and events per claim: {speed['bare_seconds']:.2f} s, "
        f"{speed['bare_events_per_second']:.0f} events/s"
    )
    ratio = speed["events_per_second"] / speed["bare_events_per_second"]
    print(f"ratio ours/bare events per second: {ratio:.1%} (target at least 40%)")
    print(
        f"peak resident set size: {speed['peak_rss_kb'] / 1024:.0f} MiB "
        f"({speed['peak_rss_kb'] * 1024 / speed['claims']:.0f} bytes per claim, everything included)"
    )
    kept = memory(args.memory_claims)
    print(f"memory kept after a {kept['claims']}-claim run with run-out ({kept['open_at_end']} open):")
    print(
        f"  total {kept['total_per_claim']:.0f} B/claim = event log {kept['event_log_per_claim']:.0f} "
        f"+ payer ledgers {kept['ledgers_per_claim']:.0f} + engine state {kept['engine_per_claim']:.0f}"
    )
    print(
        f"  engine state: {kept['panel_per_person']:.0f} B per person of the panel ({kept['people']} people) "
        f"+ {kept['claim_state_per_claim']:.0f} B per claim (target at most 2048 B per claim)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
