"""Lean working records of one adjudication: the claim's lines as they pass through the steps.

Steps read and change a :class:`ClaimWork` through its methods and return the adjustments
they made. Pydantic models are built only once, at the end (:mod:`payers.pipeline`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from payers.ledger import PayerLedger
from payers.profile import PayerProfile
from payers.tables import Tables
from simulator.models import Claim, ServiceLine

__all__ = ["Adj", "ClaimWork", "LineWork", "percent_of"]


@lru_cache(maxsize=256)
def _ratio(percent: Decimal) -> tuple[int, int]:
    numerator, denominator = percent.as_integer_ratio()
    return numerator, denominator * 100


def percent_of(cents: int, percent: Decimal) -> int:
    """``percent`` per cent of ``cents``, rounded half up (away from zero) to a whole cent.

    The same result as :func:`simulator.money.percent_of`, in integer arithmetic.
    """
    numerator, denominator = _ratio(percent)
    whole, rest = divmod(abs(cents) * numerator, denominator)
    if 2 * rest >= denominator:
        whole += 1
    return whole if cents >= 0 else -whole


@dataclass(slots=True)
class Adj:
    """An adjustment in the making: group, CARC, amount in cents, RARCs and the rule id."""

    group: str
    carc: str
    amount: int
    rarcs: tuple[str, ...]
    rule: str
    quantity: int | None = None


@dataclass(slots=True)
class LineWork:
    """One service line in the making, with its procedure code and date of service at hand.

    ``code`` and ``day`` copy the service line's ``procedure_code`` and ``service_date``: every
    step reads them, and a slot is quicker to read than a pydantic model's field.
    """

    line: ServiceLine
    billed: int
    units: int
    code: str
    day: date
    allowed: int = 0
    adjs: list[Adj] = field(default_factory=list)
    denial: Adj | None = None

    @classmethod
    def of(cls, line: ServiceLine) -> LineWork:
        """A fresh working line for ``line``."""
        return cls(line, line.charge, line.units, line.procedure_code, line.service_date)

    @property
    def open(self) -> bool:
        """True while no step has denied the line."""
        return self.denial is None

    @property
    def remaining(self) -> int:
        """Billed less the adjustments so far, in cents."""
        if not self.adjs:
            return self.billed
        return self.billed - sum(a.amount for a in self.adjs)


@dataclass(slots=True)
class ClaimWork:
    """One claim in the making, with everything the steps need (``codes``: its lines' procedure codes)."""

    claim: Claim
    received: date
    profile: PayerProfile
    tables: Tables
    fees: dict[str, int]
    ledger: PayerLedger
    rng: random.Random | None
    stream: str
    lines: list[LineWork]
    codes: frozenset[str]
    setup: dict[str, Any] = field(default_factory=dict)
    waived: frozenset[str] = frozenset()
    documentation: str | None = None
    pend_rule: str | None = None
    draws: list[tuple[str, str, float]] = field(default_factory=list)
    credits: dict[tuple[str, str, int], list[int]] = field(default_factory=dict)
    open_cache: list[LineWork] | None = None

    @classmethod
    def start(
        cls,
        claim: Claim,
        received: date,
        profile: PayerProfile,
        tables: Tables,
        fees: dict[str, int],
        ledger: PayerLedger,
        rng: random.Random | None,
        stream: str,
        setup: dict[str, Any] | None = None,
    ) -> ClaimWork:
        """A fresh working record for ``claim``; ``setup`` is the steps' prepared lookups (built if None)."""
        if setup is None:
            from payers.rules import plan

            setup = plan(profile, tables)[1]
        lines = [
            LineWork(line, line.charge, line.units, line.procedure_code, line.service_date)
            for line in claim.lines
        ]
        codes = frozenset([line.code for line in lines])
        return cls(claim, received, profile, tables, fees, ledger, rng, stream, lines, codes, setup)

    def is_waived(self, rule: str) -> bool:
        """True when ``rule`` (or its step) has been set aside, by an appeal or documentation."""
        if not self.waived:
            return False
        return rule in self.waived or rule.split(".", 1)[0] in self.waived

    def deny(self, line: LineWork, group: str, carc: str, rarcs: tuple[str, ...], rule: str) -> list[Adj]:
        """Deny what is left of ``line``; returns the denial (none when the line is closed or waived)."""
        if line.denial is not None or (self.waived and self.is_waived(rule)):
            return []
        line.denial = Adj(group, carc, 0, rarcs, rule)
        self.open_cache = None
        return [line.denial]

    def deny_all(self, group: str, carc: str, rarcs: tuple[str, ...], rule: str) -> list[Adj]:
        """Deny every open line with the same reason."""
        made: list[Adj] = []
        for line in self.lines:
            made += self.deny(line, group, carc, rarcs, rule)
        return made

    def adjust(
        self,
        line: LineWork,
        group: str,
        carc: str,
        amount: int,
        rarcs: tuple[str, ...],
        rule: str,
        quantity: int | None = None,
    ) -> list[Adj]:
        """Add a partial adjustment of ``amount`` cents to ``line`` (none when zero or waived)."""
        if amount == 0 or (self.waived and self.is_waived(rule)):
            return []
        made = Adj(group, carc, amount, rarcs, rule, quantity)
        line.adjs.append(made)
        return [made]

    def draw(self, rule: str) -> float | None:
        """A uniform draw from the payer's stream for ``rule``, recorded; None without a stream."""
        if self.rng is None:
            return None
        value = self.rng.random()
        self.draws.append((self.stream, rule, value))
        return value

    def open_lines(self) -> list[LineWork]:
        """The lines no step has denied, in claim order (one list, kept until the next denial)."""
        found = self.open_cache
        if found is None:
            found = self.open_cache = [line for line in self.lines if line.denial is None]
        return found

    def accumulator(self, key: tuple[str, str, int]) -> list[int]:
        """Working [deductible met, out-of-pocket met] for a plan year, including this claim."""
        slot = self.credits.get(key)
        if slot is None:
            slot = self.credits[key] = list(self.ledger.accumulator(key))
        return slot
