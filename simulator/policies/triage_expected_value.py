"""Denial triage by expected value: correct what can be fixed, appeal when it pays, else write off."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.policies import register
from simulator.policies.types import Action, DenialCase

__all__ = ["ExpectedValueTriage"]


@register("denial_triage", "expected_value")
@dataclass(frozen=True, slots=True)
class ExpectedValueTriage:
    """Appeal when overturn rate x amount beats the appeal's cost, up to ``max_level``."""

    max_level: int = 2
    worth_appealing: tuple[str, ...] = (
        "prior_authorization",
        "documentation",
        "medical_necessity",
        "coding",
        "not_covered",
        "missing_invalid_data",
        "eligibility_registration",
        "other",
    )
    # source: appeal only what is likely to return more than the $43.84-$118 rework cost
    margin: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "worth_appealing", tuple(self.worth_appealing))
        if self.max_level < 0 or self.margin < 0:
            raise ValueError("max_level and margin must be 0 or more")

    def decide(self, case: DenialCase) -> Action:
        """Correct a fixable claim, appeal a worthwhile one, write off the rest."""
        if case.correctable:
            return Action.CORRECT
        if not case.appealable or case.appeal_level > self.max_level or case.days_to_deadline < 0:
            return Action.WRITE_OFF
        if case.category not in self.worth_appealing:
            return Action.WRITE_OFF
        expected = case.overturn_rate * case.amount
        return Action.APPEAL if expected > self.margin * case.appeal_cost else Action.WRITE_OFF
