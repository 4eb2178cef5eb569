"""Engine throughput and memory, against a bare simpy model measured in the same run.

Run with ``.venv/bin/python -m benchmarks.bench_engine [--claims N] [--memory-claims M]``, or
``.venv/bin/python -m benchmarks.bench_engine --year [--claims 1000000]`` for the year run (3.).

1. Throughput: the default scenario, its visit horizon stretched to give about N claims
   (default 100,000), run to the end of its horizon; then a bare simpy model with the same
   number of claims, each a process doing the same number of simpy events per claim (plain
   timeouts), on the same machine in the same process. Prints claims per second, simpy events
   per second for both, and their ratio (target: ours at least 40% of the bare model's).
   The event log streams to a temporary Parquet file as ``payersim run`` writes it. Prints
   the peak resident set size of the process measured right after the run, whole and per
   claim (interpreter, libraries and all).
2. Memory: a run of M claims (default 100,000, like the throughput run; 240 days of run-out
   so claims settle; about 4 minutes under tracing), its log streamed to a temporary file,
   under ``tracemalloc``, split into what the run keeps at its end: the event log's unwritten
   events (Python objects, at most one chunk) and its pending Parquet row group (Arrow memory,
   not seen by tracemalloc, reported apart), the payers' ledgers (the payers' memory of every
   decision) and the engine's own state (open claims, the claims table, the patient panel,
   queues).
   Target: at most 2 KB per claim kept.
3. ``--year``: the default practice scaled up (providers, panel and billers times the factor
   that gives about N claims, default 1,000,000) over a 365-day horizon, in this one
   process, its event log streamed to a temporary folder; then the KPIs folded from that
   file. Prints wall and CPU time, claims per second, peak resident set size and its share
   per claim. A watchdog ends the process if its resident set passes ``--max-rss-gib``.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import simpy

from simulator.engine import World
from simulator.engine.collector import collector_off
from simulator.engine.lifecycle import run_batches, see_patients
from simulator.eventlog import EventWriter
from simulator.scenario import load_scenario

__all__ = ["bare_model", "main", "scenario_for", "year_scenario"]

_VISITS_PER_DAY = 120.0
_YEAR_DAYS = 365


def scenario_for(claims: int):
    """The default scenario with a visit horizon giving about ``claims`` claims and no run-out."""
    scenario = load_scenario("community_practice")
    days = max(7, round(claims / _VISITS_PER_DAY))
    return scenario.model_copy(update={"horizon_days": days, "run_out_days": 0})


def year_scenario(claims: int):
    """The default practice scaled so that a 365-day horizon gives about ``claims`` claims."""
    scenario = load_scenario("community_practice")
    factor = claims / (_VISITS_PER_DAY * _YEAR_DAYS)
    providers = tuple(
        group.model_copy(update={"count": max(1, round(group.count * factor))})
        for group in scenario.providers
    )
    patients = scenario.patients.model_copy(update={"size": max(1, round(scenario.patients.size * factor))})
    staff = scenario.staff.model_copy(update={"billers": max(1, round(scenario.staff.billers * factor))})
    update = {"providers": providers, "patients": patients, "staff": staff}
    return scenario.model_copy(update=update | {"horizon_days": _YEAR_DAYS, "run_out_days": 0})


def _run(scenario, writer: EventWriter | None = None) -> World:
    world = World(scenario, writer=writer)
    world.start()
    world.env.process(see_patients(world))
    world.env.process(run_batches(world))
    with collector_off():
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


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    return 0


def _rss_peak_kb() -> int:
    return _status_kb("VmHWM")


def _watchdog(limit_kb: int, log: list[str], status=lambda: "") -> None:
    """End the process (exit 3) when its resident set passes ``limit_kb``; note it each minute."""

    def watch() -> None:
        ticks = 0
        while True:
            rss = _status_kb("VmRSS")
            if rss > limit_kb:
                sys.stderr.write(f"resident set {rss // 1024} MiB passed the limit; stopping\n")
                os._exit(3)
            ticks += 1
            if ticks % 60 == 0:
                log.append(f"{ticks // 60} min: rss {rss // 1024} MiB {status()}")
                sys.stderr.write(log[-1] + "\n")
            time.sleep(1)

    threading.Thread(target=watch, daemon=True).start()


def _day_and_claims(world: World) -> str:
    return f"day {world.env.now:.0f}, {_claims(world)} claims, {world.log.count} events"


def _arrow_bytes() -> int:
    import pyarrow as pa

    return pa.total_allocated_bytes()


def throughput(claims: int) -> dict:
    """Claims and simpy events per second of the engine and of the bare model."""
    scenario = scenario_for(claims)
    gc.collect()
    with tempfile.TemporaryDirectory() as folder:
        writer = EventWriter(Path(folder) / "events.parquet")
        start = time.perf_counter()
        world = _run(scenario, writer)
        world.log.flush()
        writer.close()
        ours = time.perf_counter() - start
        peak = _rss_peak_kb()
    made = _claims(world)
    events = next(world.env._eid)
    per_claim = round(events / made)
    logged = world.log.count
    del world
    gc.collect()
    bare = bare_model(made, per_claim, scenario.horizon_days)
    bare_events = made * (max(1, per_claim - 2) + 2)
    return {
        "claims": made,
        "log_events": logged,
        "simpy_events": events,
        "simpy_events_per_claim": per_claim,
        "seconds": ours,
        "claims_per_second": made / ours,
        "events_per_second": events / ours,
        "bare_seconds": bare,
        "bare_events_per_second": bare_events / bare,
        "peak_rss_kb": peak,
    }


def memory(claims: int) -> dict:
    """Bytes kept at the end of a run whose claims have settled, per claim, by component."""
    scenario = scenario_for(claims).model_copy(update={"run_out_days": 240})
    gc.collect()
    with tempfile.TemporaryDirectory() as folder:
        writer = EventWriter(Path(folder) / "events.parquet")
        arrow_base = _arrow_bytes()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        world = _run(scenario, writer)
        arrow = _arrow_bytes() - arrow_base
        made = _claims(world)
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
        writer.close()
    return {
        "claims": made,
        "open_at_end": len(world.open),
        "total_per_claim": total / made,
        "event_log_per_claim": (total - without_log) / made,
        "arrow_pending_per_claim": arrow / made,
        "ledgers_per_claim": (without_log - engine) / made,
        "engine_per_claim": engine / made,
        "people": people,
        "panel_per_person": (engine - without_panel) / people,
        "claim_state_per_claim": without_panel / made,
    }


def year(claims: int, max_rss_gib: float, folder: Path | None = None) -> dict:
    """Run the scaled practice for a year in this process, streaming its log; then fold the KPIs."""
    from reports.kpis import summarize
    from simulator.eventlog import EventFile

    watch: list[str] = []
    scenario = year_scenario(claims)
    with tempfile.TemporaryDirectory(dir=folder) as out:
        path = Path(out) / "events.parquet"
        writer = EventWriter(path)
        wall, cpu = time.perf_counter(), time.process_time()
        world = World(scenario, writer=writer)
        running = [world]
        limit = int(max_rss_gib * 1024 * 1024)
        _watchdog(limit, watch, lambda: _day_and_claims(running[0]) if running else "")
        world.start()
        world.env.process(see_patients(world))
        world.env.process(run_batches(world))
        with collector_off():
            world.env.run(until=scenario.horizon_days)
        world.log.flush()
        writer.close()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        figures = {
            "claims": _claims(world),
            "open_at_end": len(world.open),
            "providers": sum(group.count for group in scenario.providers),
            "people": scenario.patients.size,
            "billers": scenario.staff.billers,
            "log_events": world.log.count,
            "log_bytes": path.stat().st_size,
            "wall_seconds": wall,
            "cpu_seconds": cpu,
            "run_peak_rss_kb": _rss_peak_kb(),
            "watch": watch,
        }
        _print_year_run(figures)
        del world
        running.clear()
        gc.collect()
        fold_wall, fold_cpu = time.perf_counter(), time.process_time()
        summary = summarize(EventFile(path, figures["log_events"]))
        fold_wall, fold_cpu = time.perf_counter() - fold_wall, time.process_time() - fold_cpu
    return figures | {
        "fold_wall_seconds": fold_wall,
        "fold_cpu_seconds": fold_cpu,
        "peak_rss_kb": _rss_peak_kb(),
        "summary_claims": summary["claims"],
    }


def _print_year_run(figures: dict) -> None:
    claims = figures["claims"]
    print(
        f"year: {claims} claims ({figures['open_at_end']} open at the end), "
        f"{figures['providers']} providers, {figures['people']} people, "
        f"{figures['billers']} billers, 365 days"
    )
    print(
        f"  run: wall {figures['wall_seconds']:.0f} s, cpu {figures['cpu_seconds']:.0f} s, "
        f"{claims / figures['wall_seconds']:.0f} claims/s wall, "
        f"{claims / figures['cpu_seconds']:.0f} claims/s cpu"
    )
    print(f"  event log: {figures['log_events']} events, {figures['log_bytes'] / 2**20:.0f} MiB Parquet")
    print(
        f"  peak resident set during the run: {figures['run_peak_rss_kb'] / 1024:.0f} MiB "
        f"({figures['run_peak_rss_kb'] * 1024 / claims:.0f} bytes per claim)",
        flush=True,
    )


def _print_year_fold(figures: dict) -> None:
    print(
        f"  KPIs folded from the file: wall {figures['fold_wall_seconds']:.0f} s, cpu "
        f"{figures['fold_cpu_seconds']:.0f} s ({figures['summary_claims']} claims); process peak "
        f"{figures['peak_rss_kb'] / 1024:.0f} MiB"
    )


def main(argv: list[str] | None = None) -> int:
    """Run both measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="claims in the throughput run")
    parser.add_argument("--memory-claims", type=int, default=100_000, help="claims in the traced run")
    parser.add_argument("--year", action="store_true", help="run the scaled practice for a year (3.)")
    parser.add_argument("--max-rss-gib", type=float, default=16.0, help="year run: stop above this RSS")
    parser.add_argument("--tmp", type=Path, default=None, help="year run: folder for the temporary log")
    args = parser.parse_args(argv)
    if args.year:
        claims = args.claims if args.claims != 100_000 else 1_000_000
        _print_year_fold(year(claims, args.max_rss_gib, args.tmp))
        return 0
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
    pending = kept["arrow_pending_per_claim"]
    print(f"memory kept after a {kept['claims']}-claim run with run-out ({kept['open_at_end']} open):")
    print(
        f"  total {kept['total_per_claim'] + pending:.0f} B/claim (target at most 2048) = unwritten events "
        f"{kept['event_log_per_claim']:.0f} + pending Parquet rows (Arrow memory) {pending:.0f} "
        f"+ payer ledgers {kept['ledgers_per_claim']:.0f} + engine state {kept['engine_per_claim']:.0f}"
    )
    print(
        f"  engine state: {kept['panel_per_person']:.0f} B per person of the panel ({kept['people']} people) "
        f"+ {kept['claim_state_per_claim']:.0f} B per claim"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
