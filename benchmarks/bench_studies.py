"""Study throughput: 20 replications of the quick scenario on 2 worker processes beside 1.

Parallel efficiency is t1 / (2 * t2): 1.0 means the second worker halves the wall time. Both
runs use a process pool (1 worker, then 2), so both pay the same start-up costs; the target is
at least 0.8. The numbers of both runs must also be identical (results ordered by variant and
replication, whatever finished first).

The machine should be otherwise idle: other processes competing for the two cores slow the
2-worker run more than the 1-worker run. The load average is printed beside the figures, and
``--repeat`` keeps the fastest of several alternating measurements of each.

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


def main(argv: list[str] | None = None) -> int:
    """Measure and print t1, t2 and the parallel efficiency; exit 1 below the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--scenario", default="quick")
    parser.add_argument("--repeat", type=int, default=1, help="alternating measurements; the fastest counts")
    args = parser.parse_args(argv)
    tasks = _tasks(args.scenario, args.replications)
    load_before = os.getloadavg()[0]
    t1 = t2 = float("inf")
    for _ in range(max(1, args.repeat)):
        seconds, serial = _timed(tasks, 1)
        t1 = min(t1, seconds)
        seconds, parallel = _timed(tasks, 2)
        t2 = min(t2, seconds)
    failed = sum(not o.ok for o in serial)
    same = [(o.seed, o.metrics, o.error) for o in serial] == [(o.seed, o.metrics, o.error) for o in parallel]
    efficiency = t1 / (2 * t2)
    print(
        f"scenario {args.scenario}: {args.replications} replications, {failed} failed, {os.cpu_count()} cores"
    )
    print(f"load average (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f}")
    print(f"1 worker : {t1:7.2f} s  ({t1 / args.replications:.3f} s per replication)")
    print(f"2 workers: {t2:7.2f} s")
    print(f"parallel efficiency t1 / (2 * t2) = {efficiency:.3f} (target >= {TARGET_EFFICIENCY})")
    print(f"identical numbers on 1 and 2 workers: {same}")
    ok = efficiency >= TARGET_EFFICIENCY and same and not failed
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
