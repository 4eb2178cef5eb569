"""``payersim scenarios``: list the shipped scenarios, one line each."""

from __future__ import annotations

import argparse

from simulator.errors import UserError
from simulator.scenario import NO_SHIPPED_SCENARIOS, load_scenario, scenario_names

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``scenarios`` subcommand."""
    parser = subparsers.add_parser(
        "scenarios", help="list the shipped scenarios", description="List the shipped scenarios."
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print each shipped scenario's name, horizon and description."""
    names = scenario_names()
    if not names:
        raise UserError(NO_SHIPPED_SCENARIOS)
    for name in names:
        scenario = load_scenario(name)
        print(f"{name:<20} {scenario.horizon_days:>4} days  {scenario.description}")
    return 0
