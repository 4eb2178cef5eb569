"""Scrubbing off: every claim goes out as coded."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["NoScrubbing"]


@register("scrubbing", "none")
@dataclass(frozen=True, slots=True)
class NoScrubbing:
    """No edits run before submission."""

    def catches(self, defect: str, draw: float) -> bool:
        """Never."""
        return False
