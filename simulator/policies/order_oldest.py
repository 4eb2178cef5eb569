"""Work order: work the oldest task first."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register
from simulator.policies.types import Task

__all__ = ["OldestFirst"]


@register("work_order", "oldest")
@dataclass(frozen=True, slots=True)
class OldestFirst:
    """Work the oldest task first."""

    def priority(self, task: Task) -> float:
        """Lower is worked first."""
        return task.created
