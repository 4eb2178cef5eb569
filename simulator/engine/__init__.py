"""The simulation engine: the world over time, its actors as short simpy processes, work queues.

``run_scenario(scenario, seed)`` builds a :class:`~simulator.engine.world.World` (clock, event
log, payers with their ledgers, the patient panel, coder, billers as a priority resource and the
policies), starts the providers and the clearinghouse, and runs each visit's claim through
coding, scrubbing, submission, adjudication, denial work, secondary billing and patient billing.
"""

from simulator.engine.run import CLAIM_COLUMNS, RunResult, run_scenario
from simulator.engine.world import World

__all__ = ["CLAIM_COLUMNS", "RunResult", "World", "run_scenario"]
