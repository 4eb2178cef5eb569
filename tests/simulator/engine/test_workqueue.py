"""Tests for the billers' work queue: capacity, priority order and ties by arrival."""

from __future__ import annotations

import simpy

from simulator.engine.workqueue import WorkQueue


def test_tasks_wait_for_a_free_biller_and_go_by_priority():
    """One biller: the first task starts at once, then the lowest priority, ties first-come."""
    env = simpy.Environment()
    queue = WorkQueue(env, billers=1, days_per_minute=1.0)
    finished = []

    def task(name, priority, minutes):
        yield queue.submit(priority, minutes)
        finished.append((name, env.now))

    for name, priority in (("first", 9), ("low", 5), ("tie-a", 1), ("tie-b", 1)):
        env.process(task(name, priority, 2))
    env.run()
    assert finished == [("first", 2), ("tie-a", 4), ("tie-b", 6), ("low", 8)]


def test_two_billers_work_in_parallel():
    """Two billers finish two tasks in the time of one."""
    env = simpy.Environment()
    queue = WorkQueue(env, billers=2, days_per_minute=1.0)
    done = []

    def task():
        yield queue.submit(0, 3)
        done.append(env.now)

    for _ in range(2):
        env.process(task())
    env.run()
    assert done == [3, 3]
