"""Study throughput: 20 replications of the quick scenario on 2 worker processes beside 1.

Parallel efficiency is t1 / (2 * t2): 1.0 means the second worker halves the wall time. Both
runs use a process pool (1 worker, then 2), so both pay the same start-up costs; the target is
at least 0.8. The numbers of both runs must also be identical (results ordered by variant and
replication, whatever finished first).

The machine should be otherwise idle: with the kernel's autogroup scheduling, other busy
process groups hold the cores whatever number of processes this one starts, and the second worker
then gains little. So a floor is measured in the same run: the same pools running pure CPU
busy loops (no imports, no start-up work) as long as a replication. Its efficiency is what the
machine allowed; the study's efficiency is printed beside it and as a share of it. The load
average is printed too, and ``--repeat`` keeps the fastest of several alternating measurements.

Run: .venv/bin/python -m benchmarks.bench_studies [--replications N] [--scenario NAME] [--repeat K]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from simulator.studies.executors import run_tasks
from simulator.studies.runner import build_tasks
from simulator.studies.simulation import SIMULATION
from simulator.studies.spec import StudySpec

TARGET_EFFICIENCY = 0.8


def _tasks(scenario: str, replications: int):
    spec = StudySpec(
        name="bench", scenario=scenario, seed=1, replications=replications, variants=[{"name": "base"}]
    )
    data, _ = SIMULATION.load(scenario, Path.cwd())
    SIMULATION.validate(data)
    return build_tasks(spec, SIMULATION, [data], None)


def _timed(tasks, workers: int) -> tuple[float, list]:
    start = time.perf_counter()
    outcomes = run_tasks(tasks, workers=workers, progress=False, force_pool=True)
    return time.perf_counter() - start, outcomes


def busy(seconds: float) -> int:
    """Spin the CPU for about ``seconds`` (counted in loop steps calibrated beforehand)."""
    total = 0
    for step in range(int(seconds * _STEPS_PER_SECOND)):
        total += step & 7
    return total


_STEPS_PER_SECOND = 1.0


def _calibrate() -> float:
    start, steps = time.perf_counter(), 2_000_000
    total = 0
    for step in range(steps):
        total += step & 7
    return steps / (time.perf_counter() - start)


def _floor(count: int, seconds: float, workers: int) -> float:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_set_steps, initargs=(_STEPS_PER_SECOND,)
    ) as pool:
        list(pool.map(busy, [seconds] * count))
    return time.perf_counter() - start


def _set_steps(steps: float) -> None:
    global _STEPS_PER_SECOND
    _STEPS_PER_SECOND = steps


def main(argv: list[str] | None = None) -> int:
    """Measure and print t1, t2 and the parallel efficiency; exit 1 below the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--scenario", default="quick")
    parser.add_argument("--repeat", type=int, default=1, help="alternating measurements; the fastest counts")
    args = parser.parse_args(argv)
    tasks = _tasks(args.scenario, args.replications)
    load_before = os.getloadavg()[0]
    _set_steps(_calibrate())
    t1 = t2 = f1 = f2 = float("inf")
    for _ in range(max(1, args.repeat)):
        seconds, serial = _timed(tasks, 1)
        t1 = min(t1, seconds)
        seconds, parallel = _timed(tasks, 2)
        t2 = min(t2, seconds)
        per_task = t1 / args.replications
        f1 = min(f1, _floor(args.replications, per_task, 1))
        f2 = min(f2, _floor(args.replications, per_task, 2))
    failed = sum(not o.ok for o in serial)
    same = [(o.seed, o.metrics, o.error) for o in serial] == [(o.seed, o.metrics, o.error) for o in parallel]
    efficiency = t1 / (2 * t2)
    floor = f1 / (2 * f2)
    print(
        f"scenario {args.scenario}: {args.replications} replications, {failed} failed, {os.cpu_count()} cores"
    )
    print(f"load average (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f}")
    print(f"1 worker : {t1:7.2f} s  ({t1 / args.replications:.3f} s per replication)")
    print(f"2 workers: {t2:7.2f} s")
    print(f"parallel efficiency t1 / (2 * t2) = {efficiency:.3f} (target >= {TARGET_EFFICIENCY})")
    print(
        f"floor (CPU busy loops, same pools): 1 worker {f1:.2f} s, 2 workers {f2:.2f} s, "
        f"efficiency {floor:.3f}"
    )
    print(f"study efficiency as a share of the floor's: {efficiency / floor:.3f}")
    print(f"identical numbers on 1 and 2 workers: {same}")
    ok = efficiency >= TARGET_EFFICIENCY and same and not failed
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
