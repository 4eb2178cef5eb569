"""The clean-set reader: the claims of a clean 837 transaction set, read in one pass.

Most 837 transaction sets a payer receives are clean: the layout the implementation guide
expects, no syntax error, every claim passing the business edits. :func:`read_clean_set` picks
each claim's segments in one pass with no loop tree (:func:`~simulator.x12.cleanpass.pick_claims`),
builds the claims with the same builder as the full reader
(:func:`~simulator.x12.read837.claim_from_segments`) and asks the business edits of the full
front end (:mod:`simulator.x12.claimrules`) as yes-or-no questions.

It never rejects anything. It answers None when the set is not plainly clean (the pass refuses
it: a syntax error, a loop or segment it does not place itself, a structure rule not met); the
full front end then reads the set and names every problem. Within a clean set, a claim that
does not build or fails a business edit is handed back by its CLM segment, and the full front
end judges that claim alone. So the claims it returns are exactly those the full
front end would accept, and it only has to be right about what it accepts; tests hold the two
readers to the same answers on generated, mutated and sample files.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from simulator.models import Claim
from simulator.x12.claimrules import (
    ICD10_CUTOVER,
    TAXONOMY,
    icd10_problem,
    money_or_none,
    npi_problem,
)
from simulator.x12.cleanpass import PickedClaim, pick_claims
from simulator.x12.read837 import ClaimSegments, claim_from_segments
from simulator.x12.segments import Segment, parse_date8

__all__ = ["read_clean_set"]

# ---------------------------------------------------------------- the business edits, as a yes or no


def _lines_pass(parts: ClaimSegments, claim: Claim, received: date) -> bool:
    """Charges add up, procedure codes are well formed as sent, no date of service after ``received``.

    A built line's procedure code passed the same five-character pattern; it is the code as sent
    unless the model stripped spaces from it, so a composite with a space is left to the full edits.
    """
    code_index = 2 if parts.institutional else 1
    for service, _, _ in parts.lines:
        if " " in service.elements[code_index]:
            return False
    for line in claim.lines:
        end = line.service_date_end
        if line.service_date > received or (end is not None and end > received):
            return False
    # CLM02 as sent: the built claim's total would stand for a missing one (-1)
    return money_or_none(parts.clm[2]) == claim.line_charge_total


def _claim_passes(claim: ClaimSegments, statement: Segment | None, received: date) -> bool:
    """CLM frequency (with REF*F8 for 7 and 8) and the statement through date."""
    frequency = claim.clm.component(5, 3)
    if frequency not in ("1", "7", "8") or (frequency != "1" and "F8" not in claim.refs):
        return False
    if statement is not None:
        end = parse_date8(statement[3].partition("-")[2] or statement[3])
        if end is not None and end > received:
            return False
    return True


def _providers_pass(claim: ClaimSegments, checked: tuple[Segment, ...]) -> bool:
    """Billing NPI, tax id and taxonomy; any claim provider NPI sent as NM108 XX."""
    billing = claim.billing
    if billing[8] != "XX" or not billing[9] or npi_problem(billing[9]):
        return False
    tin = claim.billing_tin[2]
    if not (len(tin) == 9 and tin.isdigit()):
        return False
    prv = claim.billing_taxonomy
    if prv is not None and not TAXONOMY.fullmatch(prv[3]):
        return False
    return not any(nm1[8] == "XX" and nm1[9] and npi_problem(nm1[9]) for nm1 in checked)


def _people_pass(parts: ClaimSegments, claim: Claim, received: date) -> bool:
    """Birth dates not after the receipt date, nor the patient's after the first date of service.

    A claim that built has a subscriber and payer with ids and the birth dates it needs.
    """
    subscriber_born = claim.coverage.subscriber.birth_date
    patient_born = claim.patient.birth_date
    if subscriber_born > received or patient_born > received:
        return False
    return patient_born <= claim.first_service_date


def _diagnoses_pass(claim: ClaimSegments, first: date) -> bool:
    """Every ICD-10-CM code valid; no ICD-9 code for a date of service after the cutover."""
    for hi in claim.diagnoses:
        valid, icd9 = _diagnosis_codes(hi.elements, hi.component_separator)
        if not valid or (icd9 and first >= ICD10_CUTOVER):
            return False
    return True


@lru_cache(maxsize=4096)
def _diagnosis_codes(elements: tuple[str, ...], separator: str) -> tuple[bool, bool]:
    """Whether every ICD-10-CM code of an HI segment is valid, and whether it sends an ICD-9 code."""
    valid, icd9 = True, False
    for value in elements[1:]:
        parts = value.split(separator) if value else ()
        qualifier = parts[0] if parts else ""
        if qualifier in ("ABK", "ABF"):
            valid = valid and len(parts) > 1 and bool(parts[1]) and not icd10_problem(parts[1])
        elif qualifier in ("BK", "BF"):
            icd9 = True
    return valid, icd9


def _passes_edits(picked: PickedClaim, claim: Claim, received: date) -> bool:
    """True when the full front end's business edits would find nothing wrong with ``claim``."""
    parts = picked.segments
    return (
        _lines_pass(parts, claim, received)
        and _claim_passes(parts, picked.statement, received)
        and _providers_pass(parts, picked.checked_names)
        and _people_pass(parts, claim, received)
        and _diagnoses_pass(parts, claim.first_service_date)
    )


def _clean_claim(picked: PickedClaim, received: date) -> Claim | None:
    """The claim when it builds and passes every edit, else None (the full edits must judge it)."""
    try:
        claim = claim_from_segments(picked.segments)
    except Exception:  # a claim that does not build: the full edits name why
        return None
    return claim if _passes_edits(picked, claim, received) else None


def read_clean_set(body: list[Segment], institutional: bool, received: date) -> list[Claim | Segment] | None:
    """Each claim of a clean 837 set body (ST to SE, exclusive), or None when the set is not plainly clean.

    A claim that builds and passes every edit comes as a :class:`Claim`; any other claim comes as
    its CLM segment, for the full front end to judge (and, most often, reject by name).
    """
    try:
        picked = pick_claims(body, institutional)
    except Exception:  # not plainly clean: the full front end reads the set and names why
        return None
    return [_clean_claim(one, received) or one.segments.clm for one in picked]
