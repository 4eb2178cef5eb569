"""Small-balance policy that chases every balance."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["ChaseEverything"]


@register("small_balance", "never")
@dataclass(frozen=True, slots=True)
class ChaseEverything:
    """Never write off a balance for being small."""

    def writes_off(self, balance: int) -> bool:
        """Never."""
        return False
