"""The small records policies decide on: a denial case, a work task, and triage actions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Action", "DenialCase", "Task"]


class Action(StrEnum):
    """What to do with a denial."""

    CORRECT = "correct"
    APPEAL = "appeal"
    WRITE_OFF = "write_off"


@dataclass(frozen=True, slots=True)
class DenialCase:
    """A denial as the biller sees it: reason, amount at stake, options and deadline."""

    carc: str
    category: str
    amount: int
    correctable: bool
    appealable: bool
    appeal_level: int
    appeal_cost: int
    overturn_rate: float
    days_to_deadline: float


@dataclass(frozen=True, slots=True)
class Task:
    """A unit of biller work waiting in the queue."""

    kind: str
    created: float
    amount: int
    deadline: float
