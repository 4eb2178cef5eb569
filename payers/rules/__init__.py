"""Adjudication steps, one small module each, registered by name.

A step is a function ``step(work: ClaimWork) -> list[Adj]``: it reads the claim in the making,
denies or adjusts lines through the work record's methods, and returns the adjustments it
made. A profile lists the steps it runs, in order.

A step may also register ``prepare(profile, tables)``: the lookups it needs, built once per
payer (:func:`plan`) and read from ``work.setup[name]``. A ``prepare`` that returns None says
the step can never act under that profile (no codes listed, no table, a zero rate), so the
payer leaves it out of its plan.

A step that only ever acts on lines with certain procedure codes (those with a table row, a
listed authorization or exclusion) may register ``acts_on(prepared)``, the set of those codes:
the pipeline skips the step for a claim none of whose lines has one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from payers.profile import PayerProfile
from payers.tables import Tables
from payers.work import Adj, ClaimWork

__all__ = ["ACTS_ON", "PREPARE", "STEPS", "ActsOn", "Planned", "Prepare", "Step", "plan", "register"]

Step = Callable[[ClaimWork], list[Adj]]
Prepare = Callable[[PayerProfile, Tables], Any]
ActsOn = Callable[[Any], frozenset[str]]
Planned = tuple[Step, frozenset[str] | None]
"""A step of a plan and the procedure codes it acts on (None: it may act on any claim)."""
STEPS: dict[str, Step] = {}
PREPARE: dict[str, Prepare] = {}
ACTS_ON: dict[str, ActsOn] = {}


def register(
    name: str, prepare: Prepare | None = None, acts_on: ActsOn | None = None
) -> Callable[[Step], Step]:
    """Register a step under ``name`` (the name profiles use), with its ``prepare`` and ``acts_on``."""

    def wrap(step: Step) -> Step:
        STEPS[name] = step
        if prepare is not None:
            PREPARE[name] = prepare
        if acts_on is not None:
            ACTS_ON[name] = acts_on
        return step

    return wrap


def plan(profile: PayerProfile, tables: Tables) -> tuple[tuple[Planned, ...], dict[str, Any]]:
    """The profile's steps that can act, in order, with the codes they act on, and their lookups."""
    steps: list[Planned] = []
    setup: dict[str, Any] = {}
    for name in profile.steps:
        prepared = None
        prepare = PREPARE.get(name)
        if prepare is not None:
            prepared = prepare(profile, tables)
            if prepared is None:
                continue
            setup[name] = prepared
        acts_on = ACTS_ON.get(name)
        steps.append((STEPS[name], None if acts_on is None else acts_on(prepared)))
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
