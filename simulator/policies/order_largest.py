"""Work order: work the task with the most money at stake first."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register
from simulator.policies.types import Task

__all__ = ["LargestFirst"]


@register("work_order", "largest")
@dataclass(frozen=True, slots=True)
class LargestFirst:
    """Work the task with the most money at stake first."""

    def priority(self, task: Task) -> float:
        """Lower is worked first."""
        return -float(task.amount)
