"""Reference tables: fee-schedule weights, procedure-to-procedure pairs, unit limits and policy.

The project ships tiny SYNTHETIC tables in payers/data (see its README). Users who hold the
CMS quarterly files can point a profile at them with a ``cms:`` prefix
(``ptp_file: "cms:/path/to/ccipra-v321r0-f1.txt"``); the loaders below read:

* NCCI PTP (practitioner or hospital), tab-delimited text or CSV, any number of header lines:
  column 1 code, column 2 code, the pre-1996 flag (``*`` or blank), effective date
  (YYYYMMDD), deletion date (YYYYMMDD, or ``*`` / blank while in force), modifier indicator
  (0, 1 or 9), then the rationale (ignored).
* MUE (practitioner, outpatient hospital or DME), CSV or tab-delimited, any number of header
  lines: code, MUE value, adjudication indicator (text starting with 1, 2 or 3, such as
  ``2 Date of Service Edit: Policy``), then the rationale (ignored).

Rows that do not start with a five-character procedure code are skipped as headers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

__all__ = [
    "PtpEdit",
    "TableError",
    "Tables",
    "load_cms_mue",
    "load_cms_ptp",
    "load_tables",
]


class TableError(ValueError):
    """A reference table that cannot be read; the message names the file and the row."""


@dataclass(frozen=True, slots=True)
class PtpEdit:
    """One procedure-to-procedure pair: ``column2`` is not paid with ``column1``."""

    column1: str
    column2: str
    modifier_indicator: str
    effective: date
    deletion: date | None

    def in_force(self, day: date) -> bool:
        """True when the edit applies to services on ``day``."""
        return self.effective <= day and (self.deletion is None or day < self.deletion)


@dataclass(frozen=True, slots=True)
class Tables:
    """The reference tables a payer adjudicates with."""

    weights: dict[str, Decimal]
    ptp: dict[str, tuple[PtpEdit, ...]]
    mue: dict[str, tuple[int, str]]
    policy: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]]


def _text(name: str) -> tuple[str, str]:
    if name.startswith("cms:"):
        name = name[4:]
    if "/" in name or "\\" in name:
        path = Path(name)
        try:
            return path.read_text(encoding="utf-8", errors="replace"), str(path)
        except OSError as error:
            raise TableError(f"{path}: cannot read the table: {error.strerror or error}") from None
    resource = resources.files("payers").joinpath("data", name)
    if not resource.is_file():
        raise TableError(f"payers/data/{name}: no such table")
    return resource.read_text(encoding="utf-8"), f"payers/data/{name}"


def _rows(text: str) -> list[list[str]]:
    delimiter = "\t" if "\t" in text else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    return [[cell.strip().strip('"') for cell in row] for row in reader]


def _is_code(cell: str) -> bool:
    return len(cell) == 5 and cell.isalnum()


def _yyyymmdd(cell: str, where: str) -> date | None:
    if cell in ("", "*"):
        return None
    if len(cell) != 8 or not cell.isdigit():
        raise TableError(f"{where}: date {cell!r} is not YYYYMMDD")
    try:
        return date(int(cell[:4]), int(cell[4:6]), int(cell[6:]))
    except ValueError:
        raise TableError(f"{where}: date {cell!r} is not a real date") from None


def _ptp_index(edits: list[PtpEdit]) -> dict[str, tuple[PtpEdit, ...]]:
    index: dict[str, list[PtpEdit]] = {}
    for edit in edits:
        index.setdefault(edit.column2, []).append(edit)
    return {code: tuple(found) for code, found in index.items()}


def _check_indicator(value: str, where: str) -> str:
    if value not in ("0", "1", "9"):
        raise TableError(f"{where}: modifier indicator {value!r} is not 0, 1 or 9")
    return value


def load_cms_ptp(name: str) -> dict[str, tuple[PtpEdit, ...]]:
    """Read a CMS NCCI PTP file (see the module notes), indexed by column 2 code."""
    text, source = _text(name)
    edits = []
    for number, row in enumerate(_rows(text), start=1):
        if len(row) < 6 or not _is_code(row[0]) or not _is_code(row[1]):
            continue
        where = f"{source} row {number}"
        effective = _yyyymmdd(row[3], where)
        if effective is None:
            raise TableError(f"{where}: effective date is missing")
        indicator = _check_indicator(row[5], where)
        edits.append(PtpEdit(row[0], row[1], indicator, effective, _yyyymmdd(row[4], where)))
    return _ptp_index(edits)


def load_cms_mue(name: str) -> dict[str, tuple[int, str]]:
    """Read a CMS MUE file (see the module notes): code -> (units, adjudication indicator)."""
    text, source = _text(name)
    table = {}
    for number, row in enumerate(_rows(text), start=1):
        if len(row) < 3 or not _is_code(row[0]):
            continue
        where = f"{source} row {number}"
        if not row[1].isdigit():
            raise TableError(f"{where}: MUE value {row[1]!r} is not a whole number")
        indicator = row[2][:1]
        if indicator not in ("1", "2", "3"):
            raise TableError(f"{where}: adjudication indicator {row[2]!r} does not start with 1, 2 or 3")
        table[row[0]] = (int(row[1]), indicator)
    return table


def _dict_rows(name: str, columns: tuple[str, ...]) -> tuple[list[dict[str, str]], str]:
    text, source = _text(name)
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in columns if c not in (reader.fieldnames or ())]
    if missing:
        raise TableError(f"{source}: missing column(s) {', '.join(missing)}")
    return list(reader), source


def _load_weights(name: str) -> dict[str, Decimal]:
    rows, source = _dict_rows(name, ("code", "weight"))
    weights = {}
    for number, row in enumerate(rows, start=2):
        try:
            weights[row["code"].strip()] = Decimal(row["weight"].strip())
        except InvalidOperation:
            raise TableError(f"{source} row {number}: weight {row['weight']!r} is not a number") from None
    return weights


def _load_ptp(name: str) -> dict[str, tuple[PtpEdit, ...]]:
    if name.startswith("cms:"):
        return load_cms_ptp(name)
    rows, source = _dict_rows(name, ("column1", "column2", "effective", "deletion", "modifier_indicator"))
    edits = []
    for number, row in enumerate(rows, start=2):
        where = f"{source} row {number}"
        effective = _yyyymmdd(row["effective"].strip(), where)
        if effective is None:
            raise TableError(f"{where}: effective date is missing")
        indicator = _check_indicator(row["modifier_indicator"].strip(), where)
        deletion = _yyyymmdd(row["deletion"].strip(), where)
        edits.append(PtpEdit(row["column1"].strip(), row["column2"].strip(), indicator, effective, deletion))
    return _ptp_index(edits)


def _load_mue(name: str) -> dict[str, tuple[int, str]]:
    if name.startswith("cms:"):
        return load_cms_mue(name)
    rows, source = _dict_rows(name, ("code", "mue", "adjudication_indicator"))
    table = {}
    for number, row in enumerate(rows, start=2):
        indicator = row["adjudication_indicator"].strip()
        if not row["mue"].strip().isdigit() or indicator not in ("1", "2", "3"):
            raise TableError(f"{source} row {number}: mue must be a whole number and indicator 1, 2 or 3")
        table[row["code"].strip()] = (int(row["mue"]), indicator)
    return table


def _load_policy(name: str) -> dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]]:
    rows, source = _dict_rows(name, ("procedure_code", "diagnosis_prefixes", "carc", "rarcs"))
    table = {}
    for number, row in enumerate(rows, start=2):
        carc = row["carc"].strip()
        if carc not in ("50", "11"):
            raise TableError(f"{source} row {number}: carc {carc!r} must be 50 or 11")
        prefixes = tuple(
            p.strip().replace(".", "") for p in row["diagnosis_prefixes"].split(";") if p.strip()
        )
        rarcs = tuple(r.strip() for r in (row["rarcs"] or "").split(";") if r.strip())
        table[row["procedure_code"].strip()] = (prefixes, carc, rarcs)
    return table


def load_tables(
    weights_file: str, ptp_file: str | None, mue_file: str | None, policy_file: str | None
) -> Tables:
    """Load the four tables by name (in payers/data), by path, or (``cms:`` prefix) CMS format."""
    return Tables(
        weights=_load_weights(weights_file),
        ptp=_load_ptp(ptp_file) if ptp_file else {},
        mue=_load_mue(mue_file) if mue_file else {},
        policy=_load_policy(policy_file) if policy_file else {},
    )
