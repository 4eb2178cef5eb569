"""The business rules an incoming 837 claim must meet, shared by both front-end readers.

The full front end (:mod:`simulator.x12.frontend`) turns a broken rule into a 277CA rejection
that names it; the clean-set reader (:mod:`simulator.x12.cleanset`) only asks whether every
rule holds. Both take the rules from here.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from simulator.codes import icd10_error
from simulator.identifiers import npi_error
from simulator.x12.segments import parse_cents

__all__ = ["ICD10_CUTOVER", "PROCEDURE_CODE", "TAXONOMY", "icd10_problem", "money_or_none", "npi_problem"]

ICD10_CUTOVER = date(2015, 10, 1)
"""Dates of service from this day on are coded in ICD-10-CM (qualifiers ABK/ABF, not BK/BF)."""

PROCEDURE_CODE = re.compile(r"[0-9A-Z]{5}")
"""A CPT or HCPCS code: five letters or digits."""

TAXONOMY = re.compile(r"[0-9A-Z]{10}")
"""A provider taxonomy code: ten letters or digits."""

npi_problem = lru_cache(maxsize=8192)(npi_error)
"""What is wrong with an NPI (length, digits, check digit), or "" (cached: claims repeat NPIs)."""

icd10_problem = lru_cache(maxsize=8192)(icd10_error)
"""What is wrong with an ICD-10-CM code as sent, or "" (cached: claims repeat diagnoses)."""


def money_or_none(value: str) -> int | None:
    """An X12 amount as integer cents, or None when it is not one."""
    try:
        return parse_cents(value)
    except (ValueError, ArithmeticError):
        return None
