"""Small-balance write-off: patient balances under a threshold are not chased."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["SmallBalanceThreshold"]


@register("small_balance", "threshold")
@dataclass(frozen=True, slots=True)
class SmallBalanceThreshold:
    """Write off patient balances below ``cents`` instead of sending them to collections."""

    # source: medical debt under $500 is not reported to credit bureaus (2023);
    # the threshold here is the practice's own choice
    cents: int = 1000

    def __post_init__(self) -> None:
        if self.cents < 0:
            raise ValueError("cents must be 0 or more")

    def writes_off(self, balance: int) -> bool:
        """True when the balance is too small to chase."""
        return 0 < balance < self.cents
