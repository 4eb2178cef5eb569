"""Front-end edits: billable diagnoses, procedure code shape, place of service, required fields, NPIs,
CLM02 equal to the sum of the lines, and no date of service after receipt."""

from __future__ import annotations

from functools import lru_cache

from payers.rules import register
from payers.work import Adj, ClaimWork, LineWork
from simulator.codes import is_billable_icd10, is_cpt_shaped, is_hcpcs_level2_shaped
from simulator.identifiers import npi_error

__all__ = ["ASSIGNED_PLACES_OF_SERVICE", "front_end"]

ASSIGNED_PLACES_OF_SERVICE = frozenset(
    [f"{n:02d}" for n in range(1, 28)]
    + ["31", "32", "33", "34", "41", "42", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58"]
    + ["60", "61", "62", "65", "66", "71", "72", "81", "99"]
)
"""Place-of-service codes CMS has assigned (the CMS place of service code set); others are invalid."""

_billable_icd10 = lru_cache(maxsize=8192)(is_billable_icd10)
_npi_error = lru_cache(maxsize=8192)(npi_error)


@lru_cache(maxsize=8192)
def _code_shaped(code: str) -> bool:
    return is_cpt_shaped(code) or is_hcpcs_level2_shaped(code)


@lru_cache(maxsize=8192)
def _all_billable(diagnoses: tuple[str, ...]) -> bool:
    return all(_billable_icd10(code) for code in diagnoses)


@register("front_end")
def front_end(work: ClaimWork) -> list[Adj]:
    """Deny claims or lines whose data cannot be adjudicated (CO-16, CO-206)."""
    claim = work.claim
    made: list[Adj] = []
    if not _all_billable(claim.diagnoses):
        made += work.deny_all("CO", "16", ("M76",), "front_end.icd10")
    if claim.total_charge != claim.line_charge_total:
        made += work.deny_all("CO", "16", ("MA130",), "front_end.total_charge")
    if _npi_error(claim.billing_provider.npi):
        made += work.deny_all("CO", "206", (), "front_end.billing_npi")
    if claim.rendering_provider is not None and _npi_error(claim.rendering_provider.npi):
        made += work.deny_all("CO", "206", ("N290",), "front_end.rendering_npi")
    if claim.place_of_service not in ASSIGNED_PLACES_OF_SERVICE:
        made += work.deny_all("CO", "16", ("MA130",), "front_end.place_of_service")
    if claim.kind == "institutional" and claim.type_of_bill is None:
        made += work.deny_all("CO", "16", ("MA130",), "front_end.required_field")
    institutional = claim.kind == "institutional"
    for line in work.lines:
        made += _line_edits(work, line, institutional)
    return made


def _line_edits(work: ClaimWork, line: LineWork, institutional: bool) -> list[Adj]:
    service = line.line
    if not _code_shaped(line.code):
        return work.deny(line, "CO", "16", ("M51",), "front_end.procedure_code")
    start = line.day
    end = service.service_date_end or start
    if start > work.received or end > work.received:
        return work.deny(line, "CO", "16", ("MA130",), "front_end.future_date")
    if end < start:
        return work.deny(line, "CO", "16", ("MA130",), "front_end.date_order")
    if service.place_of_service is not None and service.place_of_service not in ASSIGNED_PLACES_OF_SERVICE:
        return work.deny(line, "CO", "16", ("MA130",), "front_end.place_of_service")
    if institutional and service.revenue_code is None:
        return work.deny(line, "CO", "16", ("MA130",), "front_end.required_field")
    return []
