"""Code lists: CARC, RARC, group codes, place of service, ICD-10-CM and HCPCS Level II.

CARC and RARC wordings here are payersim's own short paraphrases; the official lists are
X12's and CMS's (CARC wording is copyrighted). Users who hold the official lists can load
them with :func:`load_carc_file`. CPT codes are referred to by number only: payersim ships no
CPT descriptions.

ICD-10-CM validity comes from the ``simple-icd-10-cm`` package's copy of the CDC code list
(a US government work), read directly from its data file so that importing it costs no time.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = [
    "CarcCode",
    "carc",
    "carc_category",
    "carc_codes",
    "group_code_names",
    "hcpcs_level2",
    "icd10_error",
    "is_billable_icd10",
    "is_cpt_shaped",
    "is_hcpcs_level2_shaped",
    "load_carc_file",
    "place_of_service",
    "rarc",
]

DENIAL_CATEGORIES = (
    "eligibility_registration",
    "missing_invalid_data",
    "prior_authorization",
    "not_covered",
    "documentation",
    "medical_necessity",
    "timely_filing",
    "coding",
    "duplicate",
    "other",
)
"""Denial reason categories of the Change Healthcare Denials Index."""


@dataclass(frozen=True, slots=True)
class CarcCode:
    """A claim adjustment reason code, its denial category and payersim's own wording."""

    code: str
    category: str
    wording: str


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("simulator").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def carc_codes() -> dict[str, CarcCode]:
    """Every CARC payersim knows, by code."""
    return {
        r["code"]: CarcCode(r["code"], r["category"], r["wording"]) for r in _read_csv("carc.csv")
    }


def carc(code: str) -> CarcCode:
    """The CARC ``code``; raises KeyError naming the code when unknown."""
    try:
        return carc_codes()[code]
    except KeyError:
        raise KeyError(f"unknown CARC {code!r}") from None


def carc_category(code: str) -> str:
    """The denial category a CARC falls in (``other`` for unknown codes)."""
    found = carc_codes().get(code)
    return found.category if found else "other"


def load_carc_file(path: Path) -> dict[str, str]:
    """Read a user's licensed CARC list (CSV with ``code`` and ``description`` columns)."""
    with path.open(encoding="utf-8") as handle:
        return {row["code"].strip(): row["description"].strip() for row in csv.DictReader(handle)}


@cache
def rarc() -> dict[str, str]:
    """RARCs payersim uses, with its own wording."""
    return {r["code"]: r["wording"] for r in _read_csv("rarc.csv")}


def group_code_names() -> dict[str, str]:
    """The claim adjustment group codes and what each means."""
    return {
        "CO": "contractual obligation: the provider writes it off",
        "PR": "patient responsibility",
        "OA": "other adjustment",
        "PI": "payer-initiated reduction",
        "CR": "correction or reversal of an earlier adjudication",
    }


@cache
def place_of_service() -> dict[str, str]:
    """CMS place-of-service codes."""
    return {r["code"]: r["name"] for r in _read_csv("place_of_service.csv")}


@cache
def hcpcs_level2() -> dict[str, str]:
    """A small set of common HCPCS Level II codes (CMS, public) with short names."""
    return {r["code"]: r["short_name"] for r in _read_csv("hcpcs_level2.csv")}


_CPT_SHAPE = re.compile(r"^\d{4}[0-9FTU]$")
_HCPCS2_SHAPE = re.compile(r"^[A-V]\d{4}$")


def is_cpt_shaped(code: str) -> bool:
    """True when ``code`` has the shape of a CPT code (five characters, category I/II/III)."""
    return bool(_CPT_SHAPE.match(code))


def is_hcpcs_level2_shaped(code: str) -> bool:
    """True when ``code`` has the shape of a HCPCS Level II code (a letter and four digits)."""
    return bool(_HCPCS2_SHAPE.match(code))


@cache
def _icd10_billable() -> frozenset[str]:
    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the simple-icd-10-cm package is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    listing = next(folder.glob("code-list-*.txt"))
    codes = sorted(
        line.strip()
        for line in listing.read_text(encoding="utf-8").splitlines()
        if line.strip() and "-" not in line and not line.strip().isdigit()
    )
    leaves = [c for c, nxt in zip(codes, [*codes[1:], ""], strict=True) if not nxt.startswith(c)]
    return frozenset(leaves)


def is_billable_icd10(code: str) -> bool:
    """True when ``code`` (with or without its dot) is a billable ICD-10-CM code."""
    return code.replace(".", "").upper() in _icd10_billable()


def icd10_error(code: str) -> str | None:
    """Why ``code`` is not a billable ICD-10-CM code, or None when it is."""
    bare = code.replace(".", "").upper()
    if bare in _icd10_billable():
        return None
    if any(c.startswith(bare) for c in _icd10_children_probe(bare)):
        return f"ICD-10-CM {code!r} is a category, not a billable code: it needs more characters"
    return f"ICD-10-CM {code!r} is not a valid code"


def _icd10_children_probe(prefix: str) -> list[str]:
    if len(prefix) < 3:
        return []
    return [c for c in _icd10_billable() if c.startswith(prefix)][:1]
