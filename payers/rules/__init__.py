"""Adjudication steps, one small module each, registered by name.

A step is a function ``step(work: ClaimWork) -> list[Adj]``: it reads the claim in the making,
denies or adjusts lines through the work record's methods, and returns the adjustments it
made. A profile lists the steps it runs, in order.

A step may also register ``prepare(profile, tables)``: the lookups it needs, built once per
payer (:func:`plan`) and read from ``work.setup[name]``. A ``prepare`` that returns None says
the step can never act under that profile (no codes listed, no table, a zero rate), so the
payer leaves it out of its plan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from payers.profile import PayerProfile
from payers.tables import Tables
from payers.work import Adj, ClaimWork

__all__ = ["PREPARE", "STEPS", "Prepare", "Step", "plan", "register"]

Step = Callable[[ClaimWork], list[Adj]]
Prepare = Callable[[PayerProfile, Tables], Any]
STEPS: dict[str, Step] = {}
PREPARE: dict[str, Prepare] = {}


def register(name: str, prepare: Prepare | None = None) -> Callable[[Step], Step]:
    """Register a step under ``name`` (the name profiles use), with its ``prepare`` if it has one."""

    def wrap(step: Step) -> Step:
        STEPS[name] = step
        if prepare is not None:
            PREPARE[name] = prepare
        return step

    return wrap


def plan(profile: PayerProfile, tables: Tables) -> tuple[tuple[Step, ...], dict[str, Any]]:
    """The profile's steps that can act, in order, and the lookups their ``prepare`` built."""
    steps: list[Step] = []
    setup: dict[str, Any] = {}
    for name in profile.steps:
        prepare = PREPARE.get(name)
        if prepare is not None:
            prepared = prepare(profile, tables)
            if prepared is None:
                continue
            setup[name] = prepared
        steps.append(STEPS[name])
    return tuple(steps), setup


from payers.rules import (  # noqa: E402  (the modules register themselves on import)
    authorization,
    benefits,
    bundling,
    cob,
    coverage,
    documentation,
    duplicate,
    eligibility,
    front_end,
    medical_necessity,
    payer_error,
    pricing,
    provider_enrollment,
    timely_filing,
    units,
)

__all__ += [
    "authorization",
    "benefits",
    "bundling",
    "cob",
    "coverage",
    "documentation",
    "duplicate",
    "eligibility",
    "front_end",
    "medical_necessity",
    "payer_error",
    "pricing",
    "provider_enrollment",
    "timely_filing",
    "units",
]
