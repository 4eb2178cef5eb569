"""Where replications run: in this process, on a local process pool, or on a Dask cluster.

Every executor returns the outcomes in task order, (variant, replication), never in order of
completion, so the same study gives the same numbers wherever it runs. A progress bar on
stderr counts finished replications.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from tqdm import tqdm

from simulator.errors import UserError
from simulator.studies.tasks import ReplicationOutcome, ReplicationTask, execute_task

__all__ = ["default_workers", "run_tasks"]

Progress = Callable[[], None]
DASK_CONNECT_TIMEOUT = "20s"
"""How long to wait for a Dask scheduler to answer."""


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Progress]:
    bar = tqdm(total=total, desc="replications", unit="rep", file=sys.stderr, disable=not enabled)
    try:
        yield lambda: bar.update(1)
    finally:
        bar.close()


def _broken(task: ReplicationTask, reason: str) -> ReplicationOutcome:
    return ReplicationOutcome(task.variant_index, task.variant, task.replication, task.seed, error=reason)


def _run_here(tasks: Sequence[ReplicationTask], tick: Progress) -> list[ReplicationOutcome]:
    outcomes = []
    for task in tasks:
        outcomes.append(execute_task(task))
        tick()
    return outcomes


def _run_pool(tasks: Sequence[ReplicationTask], workers: int, tick: Progress) -> list[ReplicationOutcome]:
    outcomes: list[ReplicationOutcome | None] = [None] * len(tasks)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = {pool.submit(execute_task, task): index for index, task in enumerate(tasks)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                outcomes[index] = future.result()
            except BrokenProcessPool as error:
                outcomes[index] = _broken(tasks[index], f"worker lost: {error or 'the worker process died'}")
            except Exception as error:
                outcomes[index] = _broken(tasks[index], f"not run: {type(error).__name__}: {error}")
            tick()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [outcome for outcome in outcomes if outcome is not None]


def _dask_client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise UserError("--dask needs the dask extra: pip install 'payersim[dask]'") from None
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise UserError(f"cannot reach the Dask scheduler at {address}: {error}") from None


def _run_dask(tasks: Sequence[ReplicationTask], address: str, tick: Progress) -> list[ReplicationOutcome]:
    client = _dask_client(address)
    from distributed import as_completed as dask_completed

    try:
        futures = [client.submit(execute_task, task, pure=False) for task in tasks]
        index_of = {future.key: index for index, future in enumerate(futures)}
        outcomes: list[ReplicationOutcome | None] = [None] * len(tasks)
        for future in dask_completed(futures, loop=client.loop):
            index = index_of[future.key]
            try:
                outcomes[index] = future.result()
            except Exception as error:
                outcomes[index] = _broken(tasks[index], f"worker lost: {type(error).__name__}: {error}")
            tick()
        return [outcome for outcome in outcomes if outcome is not None]
    finally:
        client.close()


def run_tasks(
    tasks: Sequence[ReplicationTask],
    *,
    workers: int | None = None,
    dask_address: str | None = None,
    progress: bool = True,
    force_pool: bool = False,
) -> list[ReplicationOutcome]:
    """Run every task; outcomes come back in task order whichever executor ran them.

    One worker runs the tasks in this process unless ``force_pool`` asks for a 1-process pool.
    """
    if workers is not None and workers < 1:
        raise UserError(f"--workers must be at least 1, got {workers}")
    with _progress(len(tasks), progress) as tick:
        if dask_address:
            return _run_dask(tasks, dask_address, tick)
        count = min(workers or default_workers(), max(1, len(tasks)))
        if count == 1 and not force_pool:
            return _run_here(tasks, tick)
        return _run_pool(tasks, count, tick)
