"""Metric tables: small immutable column tables that sit between the event log and the figures.

A :class:`Table` is a named list of rows with fixed columns. Metrics produce tables, figures
and the report consume them, and every table can be written as CSV. Money columns hold integer
cents and end in ``_cents``; they are written to CSV as dollar strings in a column without the
suffix, so a CSV file never carries a float amount.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Table", "column_label", "format_cents"]

_WORDS = {"ar": "A/R", "id": "ID", "usd": "USD", "p50": "p50", "p90": "p90", "carc": "CARC", "rarc": "RARC"}


def format_cents(cents: int) -> str:
    """Integer cents as a dollar string with two decimals (``-5`` -> ``"-0.05"``)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{part:02d}"


def column_label(column: str) -> str:
    """A readable column heading: ``paid_cents`` -> ``Paid (USD)``, ``payer_type`` -> ``Payer type``."""
    money = column.endswith("_cents")
    words = [_WORDS.get(word, word) for word in column.removesuffix("_cents").split("_") if word]
    if words and words[0] == words[0].lower():
        words[0] = words[0].capitalize()
    return " ".join(words) + (" (USD)" if money else "")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


@dataclass(frozen=True)
class Table:
    """A named metric table: column names and rows of plain values (str, int, float, date)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    @classmethod
    def build(cls, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
        """A table from any iterable of row sequences; each row must match the columns."""
        cols = tuple(columns)
        built = tuple(tuple(row) for row in rows)
        for row in built:
            if len(row) != len(cols):
                raise ValueError(f"table {name!r}: row {row!r} does not match columns {cols!r}")
        return cls(name, cols, built)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        """The values of one column, in row order."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dictionaries keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def where(self, **equal: Any) -> Table:
        """The rows whose named columns equal the given values."""
        indexes = [(self.columns.index(k), v) for k, v in equal.items()]
        kept = [row for row in self.rows if all(row[i] == v for i, v in indexes)]
        return Table(self.name, self.columns, tuple(kept))

    def distinct(self, name: str) -> list[Any]:
        """The distinct values of a column, in order of first appearance."""
        seen: dict[Any, None] = {}
        for value in self.column(name):
            seen.setdefault(value, None)
        return list(seen)

    def csv_text(self) -> str:
        """The table as CSV text; ``*_cents`` columns become dollar strings named without suffix."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        money = [c.endswith("_cents") for c in self.columns]
        writer.writerow(
            [c.removesuffix("_cents") if m else c for c, m in zip(self.columns, money, strict=True)]
        )
        for row in self.rows:
            writer.writerow(
                [
                    format_cents(v) if m and v is not None else _csv_value(v)
                    for v, m in zip(row, money, strict=True)
                ]
            )
        return out.getvalue()

    def write_csv(self, folder: Path) -> Path:
        """Write the table to ``folder/<name>.csv`` and return the path."""
        path = Path(folder) / f"{self.name}.csv"
        path.write_text(self.csv_text(), encoding="utf-8")
        return path
