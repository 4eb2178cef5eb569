"""Reading 837P and 837I claims into :class:`~simulator.models.Claim` objects.

::

    claims = read_837(raw)                  # -> list[Claim], every claim of every 837 in the file

A claim is read in two steps. First the segments it is made of are picked out of its loops
(:func:`claim_segments`, from the loop tree of :mod:`simulator.x12.loops`; the clean-set reader
of :mod:`simulator.x12.cleanset` picks the same segments in one pass). Then
:func:`claim_from_segments` builds the claim from them, the same way for both.

Where the 837 does not carry a field of the vocabulary, reading fills it the same way every
time, so that ``read_837(write_837([claim])) == [claim]`` for claims that follow these rules:

- the patient id travels as REF*EA (medical record number); without it, the member id is used;
- rendering and referring providers carry no TIN in an 837: they take the billing provider's;
  a referring provider (and a rendering provider without PRV) takes its taxonomy too; their
  addresses are not sent;
- coverage dates are not in an 837: ``effective_date`` is the claim's first date of service and
  ``termination_date`` is None; SBR03 is the group number and SBR04 the plan id;
- the type of bill is CLM05-1 followed by the frequency digit; 837I lines carry no diagnosis
  pointers (they read as ``(1,)``) and no place of service;
- a 2320 loop becomes an :class:`~simulator.models.OtherPayer` only when it carries an
  adjudication date (2330B or 2430 DTP*573): other coverage that has not yet adjudicated the
  claim is skipped;
- other payers' ``allowed`` amounts and adjustment RARCs are not sent; adjustments read back with
  ``rule="other_payer"``.

Segments payersim does not model (ambulance CR1/CRC, repricing HCP, notes, attachments...) are
skipped. A provider whose NPI, TIN or taxonomy is malformed is kept as sent (built without
validation) so that the front-end edits can reject the claim by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pydantic import ValidationError

from simulator.models import (
    Address,
    Adjustment,
    Claim,
    ClaimKind,
    Coverage,
    Frequency,
    OtherPayer,
    Patient,
    Provider,
    Relationship,
    ServiceLine,
    Subscriber,
)
from simulator.x12.envelope import Transaction, read_interchanges
from simulator.x12.loops import Loop, build_837_tree
from simulator.x12.segments import Segment, parse_cents, parse_date8

__all__ = [
    "OTHER_PAYER_RULE",
    "ClaimLoops",
    "ClaimSegments",
    "LineSegments",
    "claim_from_loops",
    "claim_from_segments",
    "claim_loops",
    "claim_segments",
    "read_837",
    "read_837_transaction",
]

OTHER_PAYER_RULE = "other_payer"


@dataclass(frozen=True, slots=True)
class ClaimLoops:
    """The loops one claim is read from: its 2300 loop and the HL loops above it."""

    billing: Loop
    subscriber: Loop
    patient: Loop | None
    claim: Loop
    institutional: bool


# (SV1 or SV2, DTP*472, REF*6R) of one 2400 loop, each None when the line lacks it
LineSegments = tuple[Segment | None, Segment | None, Segment | None]


@dataclass(slots=True)
class ClaimSegments:
    """The segments a claim is built from, each None when the 837 lacks it.

    ``*_n3``/``*_n4`` are the address segments of a name loop; ``billing_tin`` and
    ``billing_taxonomy`` are REF*EI (else REF*SY) of 2010AA and PRV*BI of 2000A, as sent.
    ``patient_loop`` says whether the claim sits under a 2000C patient loop (then ``patient``
    is its NM1*QC, or None when 2010CA is missing). ``refs`` holds the claim's REF values, the
    first of each qualifier. ``claim_loop`` and ``line_loops`` are kept only when the claim has
    other-payer loops (2320) to read; they hold at least the 2320 and 2430 loops (and are left out
    of comparisons).
    """

    institutional: bool
    clm: Segment
    billing: Segment | None = None
    billing_n3: Segment | None = None
    billing_n4: Segment | None = None
    billing_tin: Segment | None = None
    billing_taxonomy: Segment | None = None
    sbr: Segment | None = None
    subscriber: Segment | None = None
    subscriber_dmg: Segment | None = None
    subscriber_n3: Segment | None = None
    subscriber_n4: Segment | None = None
    payer: Segment | None = None
    patient_loop: bool = False
    pat: Segment | None = None
    patient: Segment | None = None
    patient_dmg: Segment | None = None
    patient_n3: Segment | None = None
    patient_n4: Segment | None = None
    refs: dict[str, str] = field(default_factory=dict)
    diagnoses: list[Segment] = field(default_factory=list)
    rendering: Segment | None = None
    rendering_prv: Segment | None = None
    referring: Segment | None = None
    referring_prv: Segment | None = None
    lines: list[LineSegments] = field(default_factory=list)
    claim_loop: Loop | None = field(default=None, compare=False)
    line_loops: list[Loop] | None = field(default=None, compare=False)


def claim_loops(tx: Transaction, root: Loop | None = None) -> list[ClaimLoops]:
    """Every claim of an 837 transaction set, with the loops it is read from, in order.

    ``root`` is the set's loop tree when the caller has already built it.
    """
    institutional = "X223" in (tx.version or "")
    if root is None:
        root = build_837_tree(tx.body, institutional)
    found: list[ClaimLoops] = []
    for billing in root.children_of("2000A"):
        for subscriber in billing.children_of("2000B"):
            for claim in subscriber.children_of("2300"):
                found.append(ClaimLoops(billing, subscriber, None, claim, institutional))
            for patient in subscriber.children_of("2000C"):
                for claim in patient.children_of("2300"):
                    found.append(ClaimLoops(billing, subscriber, patient, claim, institutional))
    found.sort(key=lambda c: c.claim.first.position)
    return found


# ---------------------------------------------------------------- picking the segments


def _first(loop: Loop | None) -> Segment | None:
    return loop.first if loop is not None else None


def _find(loop: Loop | None, tag: str) -> Segment | None:
    return loop.find(tag) if loop is not None else None


def _claim_refs(claim_loop: Loop) -> dict[str, str]:
    refs: dict[str, str] = {}
    for ref in claim_loop.find_all("REF"):
        refs.setdefault(ref[1], ref[2])
    return refs


def claim_segments(loops: ClaimLoops) -> ClaimSegments:
    """The segments of one claim, picked from its loops (never raises)."""
    claim = loops.claim
    billing = loops.billing.child("2010AA")
    subscriber = loops.subscriber.child("2010BA")
    if loops.institutional:
        rendering = claim.child("2310A") or claim.child("2310D")
        referring = claim.child("2310F")
    else:
        rendering = claim.child("2310B")
        referring = claim.child("2310A")
    line_loops = claim.children_of("2400")
    service = "SV2" if loops.institutional else "SV1"
    parts = ClaimSegments(
        loops.institutional,
        claim.first,
        billing=_first(billing),
        billing_n3=_find(billing, "N3"),
        billing_n4=_find(billing, "N4"),
        billing_tin=(billing.find("REF", "EI") or billing.find("REF", "SY")) if billing else None,
        billing_taxonomy=loops.billing.find("PRV", "BI"),
        sbr=loops.subscriber.find("SBR"),
        subscriber=_first(subscriber),
        subscriber_dmg=_find(subscriber, "DMG"),
        subscriber_n3=_find(subscriber, "N3"),
        subscriber_n4=_find(subscriber, "N4"),
        payer=_first(loops.subscriber.child("2010BB")),
        refs=_claim_refs(claim),
        diagnoses=claim.find_all("HI"),
        rendering=_first(rendering),
        rendering_prv=_find(rendering, "PRV"),
        referring=_first(referring),
        referring_prv=_find(referring, "PRV"),
        lines=[(line.find(service), line.find("DTP", "472"), line.find("REF", "6R")) for line in line_loops],
    )
    if loops.patient is not None:
        patient = loops.patient.child("2010CA")
        parts.patient_loop = True
        parts.pat = loops.patient.find("PAT")
        parts.patient = _first(patient)
        parts.patient_dmg = _find(patient, "DMG")
        parts.patient_n3 = _find(patient, "N3")
        parts.patient_n4 = _find(patient, "N4")
    if claim.child("2320") is not None:
        parts.claim_loop = claim
        parts.line_loops = line_loops
    return parts


# ---------------------------------------------------------------- building the claim


def _parse_d8(value: str) -> date:
    parsed = parse_date8(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a CCYYMMDD date")
    return parsed


def _parse_period(fmt: str, value: str) -> tuple[date, date | None]:
    if fmt == "RD8" and "-" in value:
        start, end = value.split("-", 1)
        return _parse_d8(start), _parse_d8(end)
    return _parse_d8(value), None


# An address as its five texts: the key the caches below use (hashing a tuple of strings is
# cheap; hashing and comparing pydantic models is not).
AddressKey = tuple[str, str, str, str, str]


def _address(n3: Segment | None, n4: Segment | None) -> AddressKey | None:
    """The address of an N3/N4 pair (None without both); raises here when it is not a valid address."""
    if n3 is None or n4 is None:
        return None
    street, place = n3.padded(2), n4.padded(3)
    key = (street[1], street[2], place[1], place[2], place[3])
    _address_of(*key)
    return key


def _address_from(key: AddressKey | None) -> Address | None:
    return _address_of(*key) if key is not None else None


@lru_cache(maxsize=4096)
def _address_of(line1: str, line2: str, city: str, state: str, postal_code: str) -> Address:
    return Address(line1=line1, line2=line2 or None, city=city, state=state, postal_code=postal_code)


def _read_provider(nm1: Segment, tin: str, taxonomy: str, address: AddressKey | None = None) -> Provider:
    name = nm1.padded(9)
    return _provider_of(name[9], name[3], tin, taxonomy, name[2] != "1", name[4], address)


@lru_cache(maxsize=4096)
def _provider_of(
    npi: str,
    name: str,
    tin: str,
    taxonomy: str,
    is_organization: bool,
    first_name: str,
    address: AddressKey | None,
) -> Provider:
    """A provider as sent; one that fails validation is kept as sent, unvalidated (for the front end)."""
    fields = {
        "npi": npi,
        "name": name,
        "tin": tin,
        "taxonomy": taxonomy,
        "is_organization": is_organization,
        "first_name": first_name or None,
        "address": _address_from(address),
    }
    try:
        return Provider(**fields)
    except ValidationError:
        return Provider.model_construct(**fields)


def _billing_provider(parts: ClaimSegments) -> Provider:
    if parts.billing is None:
        raise ValueError("the billing provider loop 2010AA (NM1*85) is missing")
    tin, prv = parts.billing_tin, parts.billing_taxonomy
    address = _address(parts.billing_n3, parts.billing_n4)
    return _read_provider(parts.billing, tin[2] if tin else "", prv[3] if prv else "", address)


def _dmg(dmg: Segment | None, what: str) -> tuple[date, str]:
    elements = dmg.padded(3) if dmg is not None else ("", "", "", "")
    if not elements[2]:
        raise ValueError(f"the {what} has no birth date (DMG)")
    return _parse_d8(elements[2]), elements[3] or "U"


def _relationship(code: str) -> Relationship:
    try:
        return Relationship(code)
    except ValueError:
        return Relationship.OTHER


def _diagnoses(his: list[Segment]) -> list[str]:
    codes: list[str] = []
    for hi in his:
        codes += _hi_codes(hi.elements, hi.component_separator)
    return codes


@lru_cache(maxsize=4096)
def _hi_codes(elements: tuple[str, ...], separator: str) -> tuple[str, ...]:
    """The diagnosis codes of one HI segment (ICD-10 with their dot), cached: claims repeat them."""
    codes: list[str] = []
    for value in elements[1:]:
        parts = value.split(separator) if value else ()
        if len(parts) < 2:
            continue
        qualifier, code = parts[0], parts[1]
        if qualifier in ("ABK", "ABF"):
            codes.append(code[:3] + "." + code[3:] if len(code) > 3 else code)
        elif qualifier in ("BK", "BF"):
            codes.append(code)
    return tuple(codes)


def _units(value: str) -> int:
    if value.isdigit() and value.isascii():
        return int(value)
    try:
        amount = Decimal(value or "1")
    except InvalidOperation as exc:
        raise ValueError(f"units {value!r} are not a number") from exc
    if amount != amount.to_integral_value():
        raise ValueError(f"units {value!r} are not a whole number")
    return int(amount)


def _line_number(value: str, index: int) -> int:
    """REF*6R as the line number when it is one from 1 to 50, else the line's position."""
    if value.isdigit():
        number = int(value)
        if 1 <= number <= 50:
            return number
    return index


def _read_line(line: LineSegments, index: int, institutional: bool) -> ServiceLine:
    sv, dtp, ref = line
    if sv is None:
        raise ValueError(f"service line {index} has no {'SV2' if institutional else 'SV1'} segment")
    elements = sv.padded(7)
    separator = sv.component_separator
    offset = 1 if institutional else 0
    procedure_code, modifiers = _procedure_of(elements[1 + offset], separator)
    if dtp is None:
        raise ValueError(f"service line {index} has no date of service (DTP*472)")
    period = dtp.padded(3)
    start, end = _parse_period(period[2], period[3])
    control = ref[2] if ref else ""
    number = _line_number(control, index)
    units = _units(elements[4 + offset])
    charge = parse_cents(elements[2 + offset])
    if institutional:
        kind_fields = {"revenue_code": elements[1]}
    else:
        kind_fields = {
            "place_of_service": elements[5] or None,
            "diagnosis_pointers": _pointers_of(elements[7], separator),
        }
    return ServiceLine(
        line_number=number,
        procedure_code=procedure_code,
        modifiers=modifiers,
        units=units,
        charge=charge,
        service_date=start,
        service_date_end=end,
        control_number=control if control and control != str(number) else None,  # kept unless the number
        **kind_fields,
    )


@lru_cache(maxsize=4096)
def _procedure_of(composite: str, separator: str) -> tuple[str, tuple[str, ...]]:
    """The procedure code and modifiers of an SV101/SV202 composite (cached: claims repeat them)."""
    parts = composite.split(separator) if composite else ()
    return (parts[1] if len(parts) > 1 else ""), tuple(m for m in parts[2:6] if m)


@lru_cache(maxsize=4096)
def _pointers_of(value: str, separator: str) -> tuple[int, ...]:
    """SV107 diagnosis pointers as numbers, ``(1,)`` when absent (cached: claims repeat them)."""
    pointers = tuple(int(p) for p in value.split(separator) if p) if value else ()
    return pointers or (1,)


def _read_other_payers(parts: ClaimSegments, lines: list[ServiceLine]) -> tuple[OtherPayer, ...]:
    if parts.claim_loop is None or parts.line_loops is None:
        return ()
    others: list[OtherPayer] = []
    for other in parts.claim_loop.children_of("2320"):
        payer = other.child("2330B")
        if payer is None:
            continue
        payer_id = payer.first[9]
        paid = other.find("AMT", "D")
        remaining = other.find("AMT", "EAF")
        adjudicated = payer.find("DTP", "573")
        line_adjustments: list[tuple[int, tuple[Adjustment, ...]]] = []
        for line_loop, line in zip(parts.line_loops, lines, strict=True):
            for svd_loop in line_loop.children_of("2430"):
                if svd_loop.first[1] != payer_id:
                    continue
                adjustments = tuple(_read_cas(svd_loop))
                line_adjustments.append((line.line_number, adjustments))
                dtp = svd_loop.find("DTP", "573")
                if adjudicated is None and dtp is not None:
                    adjudicated = dtp
        if adjudicated is None:
            continue  # other coverage that has not adjudicated this claim: not an OtherPayer
        others.append(
            OtherPayer(
                payer_id=payer_id,
                paid=parse_cents(paid[2]) if paid else 0,
                patient_responsibility=parse_cents(remaining[2]) if remaining else 0,
                adjudication_date=_parse_d8(adjudicated[3]),
                line_adjustments=tuple(line_adjustments),
            )
        )
    return tuple(others)


def _read_cas(loop: Loop) -> list[Adjustment]:
    found: list[Adjustment] = []
    for cas in loop.find_all("CAS"):
        for start in range(2, len(cas.elements), 3):
            if not cas[start]:
                continue
            quantity = cas[start + 2]
            found.append(
                Adjustment(
                    group=cas[1],
                    carc=cas[start],
                    amount=parse_cents(cas[start + 1]),
                    quantity=_units(quantity) if quantity else None,
                    rule=OTHER_PAYER_RULE,
                )
            )
    return found


_ID_FIELD = {Subscriber: "member_id", Patient: "patient_id"}


@lru_cache(maxsize=8192)
def _person_of(
    model: type[Subscriber] | type[Patient],
    person_id: str,
    first_name: str,
    last_name: str,
    birth_date: date,
    gender: str,
    address: AddressKey | None,
) -> Subscriber | Patient:
    """A subscriber or patient as sent (cached: claims repeat their people)."""
    return model(
        **{_ID_FIELD[model]: person_id},
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        gender=gender,
        address=_address_from(address),
    )


def _secondary_provider(nm1: Segment | None, prv: Segment | None, billing: Provider) -> Provider | None:
    if nm1 is None:
        return None
    return _read_provider(nm1, billing.tin, prv[3] if prv else billing.taxonomy)


_FREQUENCIES = {frequency.value: frequency for frequency in Frequency}


def _frequency(code: str) -> Frequency:
    """CLM05-3 as a :class:`Frequency` (ValueError naming the code when it is not one)."""
    return _FREQUENCIES.get(code) or Frequency(code)


def claim_from_segments(parts: ClaimSegments) -> Claim:
    """Build the :class:`Claim` from its segments; raises ValueError or ValidationError when it cannot."""
    institutional = parts.institutional
    billing = _billing_provider(parts)
    sbr = parts.sbr.padded(4) if parts.sbr is not None else None
    if parts.subscriber is None:
        raise ValueError("the subscriber name loop is missing")
    sub_nm1 = parts.subscriber.padded(9)
    sub_address = _address(parts.subscriber_n3, parts.subscriber_n4)
    if parts.payer is None:
        raise ValueError("the payer name loop 2010BB (NM1*PR) is missing")
    clm = parts.clm
    refs = parts.refs
    sub_birth, sub_gender = _dmg(parts.subscriber_dmg, "subscriber")
    subscriber = _person_of(
        Subscriber, sub_nm1[9], sub_nm1[4], sub_nm1[3], sub_birth, sub_gender, sub_address
    )
    if parts.patient_loop:
        if parts.patient is None:
            raise ValueError("the patient name loop is missing")
        pat_nm1 = parts.patient.padded(9)
        pat_address = _address(parts.patient_n3, parts.patient_n4)
        relationship = _relationship(parts.pat[1] if parts.pat else "")
        pat_birth, pat_gender = _dmg(parts.patient_dmg, "patient")
    else:
        pat_nm1, pat_address, relationship = sub_nm1, sub_address, Relationship.SELF
        pat_birth, pat_gender = sub_birth, sub_gender
    patient = _person_of(
        Patient, refs.get("EA") or sub_nm1[9], pat_nm1[4], pat_nm1[3], pat_birth, pat_gender, pat_address
    )
    lines = [_read_line(line, index, institutional) for index, line in enumerate(parts.lines, 1)]
    if not lines:
        raise ValueError(f"claim {clm[1]!r} has no service lines (LX)")
    first_date = min(line.service_date for line in lines)
    payer_id = parts.payer[9]
    coverage = Coverage(
        payer_id=payer_id,
        plan_id=(sbr[4] if sbr else "") or (sbr[3] if sbr else "") or payer_id,
        member_id=sub_nm1[9],
        group_number=(sbr[3] if sbr else "") or None,
        effective_date=first_date,
        relationship=Relationship.SELF if sbr is not None and sbr[2] == "18" else relationship,
        subscriber=subscriber,
    )
    facility = clm.components(5)
    fields: dict = {
        "claim_id": clm[1],
        "kind": ClaimKind.INSTITUTIONAL if institutional else ClaimKind.PROFESSIONAL,
        "frequency": _frequency(facility[2]) if len(facility) > 2 and facility[2] else Frequency.ORIGINAL,
        "payer_claim_number": refs.get("F8"),
        "billing_provider": billing,
        "rendering_provider": _secondary_provider(parts.rendering, parts.rendering_prv, billing),
        "referring_provider": _secondary_provider(parts.referring, parts.referring_prv, billing),
        "patient": patient,
        "coverage": coverage,
        "other_payers": _read_other_payers(parts, lines),
        "diagnoses": tuple(_diagnoses(parts.diagnoses)),
        "prior_authorization": refs.get("G1"),
        "referral_number": refs.get("9F"),
        "lines": tuple(lines),
        "total_charge": parse_cents(clm[2]),
    }
    if institutional:
        fields["type_of_bill"] = (facility[0] if facility else "") + (
            facility[2] if len(facility) > 2 else "1"
        )
    elif facility and facility[0]:
        fields["place_of_service"] = facility[0]
    return Claim(**fields)


def claim_from_loops(loops: ClaimLoops) -> Claim:
    """Build the :class:`Claim` of one 2300 loop; raises ValueError or ValidationError when it cannot."""
    return claim_from_segments(claim_segments(loops))


def read_837_transaction(tx: Transaction) -> list[Claim]:
    """Every claim in one 837 transaction set; raises ValueError naming the claim that cannot be read."""
    claims: list[Claim] = []
    for loops in claim_loops(tx):
        try:
            claims.append(claim_from_loops(loops))
        except (ValueError, ValidationError) as exc:
            raise ValueError(
                f"claim {loops.claim.first[1]!r} (segment {loops.claim.first.position}): {exc}"
            ) from exc
    return claims


def read_837(data: str | bytes) -> list[Claim]:
    """Every claim of every 837 transaction set in ``data``, in document order."""
    claims: list[Claim] = []
    for interchange in read_interchanges(data):
        for tx in interchange.transactions:
            if tx.set_id == "837":
                claims.extend(read_837_transaction(tx))
    return claims
