"""Adjudication steps, one small module each, registered by name.

A step is a function ``step(work: ClaimWork) -> list[Adj]``: it reads the claim in the making,
denies or adjusts lines through the work record's methods, and returns the adjustments it
made. A profile lists the steps it runs, in order.
"""

from __future__ import annotations

from collections.abc import Callable

from payers.work import Adj, ClaimWork

__all__ = ["STEPS", "Step", "register"]

Step = Callable[[ClaimWork], list[Adj]]
STEPS: dict[str, Step] = {}


def register(name: str) -> Callable[[Step], Step]:
    """Register a step under ``name`` (the name profiles use)."""

    def wrap(step: Step) -> Step:
        STEPS[name] = step
        return step

    return wrap


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
