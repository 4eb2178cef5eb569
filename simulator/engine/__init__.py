"""The simulation engine: the world over time, its actors as short simpy processes, work queues.

``run_scenario(scenario, seed)`` builds a :class:`~simulator.engine.world.World` (clock, event
log, payers with their ledgers, the patient panel, coder, billers as a priority resource and the
policies), starts the providers and the clearinghouse, and runs each visit's claim through
coding, scrubbing, submission, adjudication, denial work, secondary billing and patient billing.

The names below are imported on first use, so that the fake payer server, which needs only
:mod:`simulator.engine.payerdesk` and :mod:`simulator.engine.collector`, does not load the
world, simpy and Faker when it starts.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["CLAIM_COLUMNS", "RunResult", "World", "run_scenario"]

_HOMES = {
    "CLAIM_COLUMNS": "simulator.engine.run",
    "RunResult": "simulator.engine.run",
    "run_scenario": "simulator.engine.run",
    "World": "simulator.engine.world",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
