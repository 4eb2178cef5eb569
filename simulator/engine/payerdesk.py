"""The payers of a run: each a profile with scenario overrides, dated variants and one ledger."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import ValidationError

from simulator.errors import UserError, describe_validation_error

__all__ = ["PayerDesk", "merge"]


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``overrides`` laid over it, nested mappings merged key by key."""
    out = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _validate(data: dict[str, Any], where: str):
    from payers import PayerProfile

    try:
        return PayerProfile.model_validate(data)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, where)) from None


class PayerDesk:
    """One payer of the scenario: its variants by effective date and its ledger (its memory)."""

    __slots__ = ("_starts", "actor", "ledger", "name", "payer_type", "profile", "variants")

    def __init__(self, spec, make_payer: Callable[[Any], Any] | None = None) -> None:
        from payers import Payer, PayerLedger, ProfileError, load_profile

        make_payer = make_payer or Payer
        try:
            base = load_profile(spec.profile)
        except ProfileError as error:
            raise UserError(f"payers.{spec.name}.profile: {error}") from None
        data = merge(base.model_dump(), spec.overrides | {"name": spec.name})
        self.profile = _validate(data, f"payers.{spec.name}.overrides")
        self.name = spec.name
        self.payer_type = self.profile.payer_type
        self.variants = [(date.min, make_payer(self.profile))]
        for change in spec.changes:
            data = merge(data, change.overrides)
            where = f"payers.{spec.name}.changes[{change.effective}]"
            self.variants.append((change.effective, make_payer(_validate(data, where))))
        self._starts = [start for start, _ in self.variants]
        self.ledger = PayerLedger()
        self.actor = f"payer:{spec.name}"

    def at(self, received: date):
        """The payer as configured for claims received on ``received``."""
        return self.variants[bisect_right(self._starts, received) - 1][1]

    @property
    def payer(self):
        """The payer as first configured (what the practice knows of its rules)."""
        return self.variants[0][1]
