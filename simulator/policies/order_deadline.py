"""Work order: work the task with the nearest deadline first."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register
from simulator.policies.types import Task

__all__ = ["DeadlineFirst"]


@register("work_order", "deadline")
@dataclass(frozen=True, slots=True)
class DeadlineFirst:
    """Work the task with the nearest deadline first."""

    def priority(self, task: Task) -> float:
        """Lower is worked first."""
        return task.deadline
