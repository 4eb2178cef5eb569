"""Denial triage that never appeals: correct what can be fixed, write off the rest."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register
from simulator.policies.types import Action, DenialCase

__all__ = ["CorrectOrWriteOff"]


@register("denial_triage", "correct_or_write_off")
@dataclass(frozen=True, slots=True)
class CorrectOrWriteOff:
    """Correct and resubmit fixable denials; write off all others."""

    def decide(self, case: DenialCase) -> Action:
        """Correct when possible, else write off."""
        return Action.CORRECT if case.correctable else Action.WRITE_OFF
