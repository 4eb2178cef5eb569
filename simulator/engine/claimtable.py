"""The claims table of a run, one compact row per claim, filled as claims close.

A closed claim's row is packed into typed columns (about 180 bytes a claim instead of a
tuple of Python objects); the table reads back as tuples in the order of the claim ids.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from datetime import date

__all__ = ["ClaimTable"]

_TEXT = (1, 2, 5)
"""Columns holding few distinct strings (payer, payer type, final state), stored as codes."""
_DATES = (3, 4)
_WIDTH = 15
_NO_DATE = -1


class ClaimTable(Sequence[tuple]):
    """Rows of the claims table (see :data:`simulator.engine.run.CLAIM_COLUMNS`), sorted by claim id."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._columns = {k: array("q") for k in range(1, _WIDTH)}
        self._names: list[str] = []
        self._codes: dict[str, int] = {}
        self._dates: dict[int, date] = {}
        self._order: list[int] | None = None

    def append(self, row: tuple) -> None:
        """Add one claim's row (claim_id, payer, payer_type, service_date, closed_date, ...)."""
        packed = array("q", (self._pack(k, row[k]) for k in range(1, _WIDTH)))
        self._ids.append(row[0])
        for k, value in zip(range(1, _WIDTH), packed, strict=True):
            self._columns[k].append(value)
        self._order = None

    def _pack(self, k: int, value) -> int:
        if k in _TEXT:
            return self._code(value)
        if k in _DATES:
            return _NO_DATE if value is None else value.toordinal()
        return value

    def _code(self, text: str) -> int:
        code = self._codes.get(text)
        if code is None:
            code = self._codes[text] = len(self._names)
            self._names.append(text)
        return code

    def _value(self, k: int, index: int):
        if k == 0:
            return self._ids[index]
        value = self._columns[k][index]
        if k in _TEXT:
            return self._names[value]
        if k in _DATES:
            if value == _NO_DATE:
                return None
            found = self._dates.get(value)
            return found if found is not None else self._dates.setdefault(value, date.fromordinal(value))
        return value

    def order(self) -> list[int]:
        """Insertion positions of the rows in claim-id order."""
        if self._order is None:
            self._order = sorted(range(len(self._ids)), key=self._ids.__getitem__)
        return self._order

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        position = self.order()[index]
        return tuple(self._value(k, position) for k in range(_WIDTH))

    def __iter__(self) -> Iterator[tuple]:
        for position in self.order():
            yield tuple(self._value(k, position) for k in range(_WIDTH))

    def column(self, k: int) -> list:
        """Column ``k``'s values in claim-id order, as Python objects."""
        return [self._value(k, position) for position in self.order()]
