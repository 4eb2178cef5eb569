"""Scrubbing with a set of edits, each catching its kind of defect with a given hit rate."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register

__all__ = ["EditScrubbing"]

# source: 86% of denials potentially avoidable (CHC 2020); the hit rate is a parameter
_DEFAULT_EDITS = ("missing_data", "coding", "medical_necessity", "duplicate")


@register("scrubbing", "edits")
@dataclass(frozen=True, slots=True)
class EditScrubbing:
    """Run the listed edits; each catches its defect with probability ``hit_rate``."""

    edits: tuple[str, ...] = _DEFAULT_EDITS
    hit_rate: float = 0.5

    def __post_init__(self) -> None:
        from simulator.scenario import Defect  # here: the scenario module builds policies as it loads

        object.__setattr__(self, "edits", tuple(self.edits))
        if not 0 <= self.hit_rate <= 1:
            raise TypeError("hit_rate must be between 0 and 1")
        unknown = sorted(set(self.edits) - {defect.value for defect in Defect})
        if unknown:
            raise ValueError(f"unknown edit(s) {unknown}; edits are named by defect: {', '.join(Defect)}")

    def catches(self, defect: str, draw: float) -> bool:
        """True when an edit for ``defect`` runs and its draw falls under the hit rate."""
        return defect in self.edits and draw < self.hit_rate
