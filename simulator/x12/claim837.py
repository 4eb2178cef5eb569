"""837 professional (005010X222A1) and institutional (005010X223A2) claims: writer and reader.

Writing::

    text = write_837(claims, sender=Party("BILLER01"), receiver=Party("PAYERSIM"),
                     when=datetime(2026, 3, 2, 12, 0), numbers=ControlNumbers())

Claims keep their order: each run of consecutive professional (or institutional) claims goes in
its own transaction set (and functional group when the kind changes); consecutive claims with the same
billing provider share a 2000A loop, and with the same
coverage and patient a 2000B (and 2000C) loop. Secondary claims carry their
:class:`~simulator.models.OtherPayer` entries as 2320/2330A/2330B loops with AMT*D, and per-line
adjustments as 2430 SVD/CAS/DTP*573 loops.

Reading::

    claims = read_837(raw)                  # -> list[Claim], every claim of every 837 in the file

Where the 837 does not carry a field of the vocabulary, reading fills it the same way every
time, so that ``read_837(write_837([claim])) == [claim]`` for claims that follow these rules:

- the patient id travels as REF*EA (medical record number); without it, the member id is used;
- rendering and referring providers carry no TIN in an 837: they take the billing provider's;
  a referring provider (and a rendering provider without PRV) takes its taxonomy too; their
  addresses are not sent;
- coverage dates are not in an 837: ``effective_date`` is the claim's first date of service and
  ``termination_date`` is None; SBR03 is the group number and SBR04 the plan id;
- an 837I billing provider's five-digit ZIP code is sent with ``0000`` added (the guide wants
  nine digits there);
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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
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
from simulator.x12.envelope import ControlNumbers, Party, Transaction, TransactionBody, read_interchanges
from simulator.x12.loops import Loop, build_837_tree
from simulator.x12.segments import Element, Segment, parse_cents, parse_date8

__all__ = [
    "INSTITUTIONAL_VERSION",
    "PROFESSIONAL_VERSION",
    "ClaimLoops",
    "Submitter",
    "claim_from_loops",
    "claim_loops",
    "claims_837_body",
    "read_837",
    "read_837_transaction",
    "write_837",
]

PROFESSIONAL_VERSION = "005010X222A1"
INSTITUTIONAL_VERSION = "005010X223A2"
OTHER_PAYER_RULE = "other_payer"

_FILING = {"medicare": "MB", "medicare_advantage": "16", "medicaid": "MC"}
_SEQUENCE = "PSTABCDEFGH"
_UNSAFE = str.maketrans({c: " " for c in "*~:^|>`{}\r\n\t"})


@dataclass(frozen=True, slots=True)
class Submitter:
    """Loop 1000A/1000B parties: who sends the claims and who receives them."""

    name: str = "PAYERSIM SUBMITTER"
    id: str = "SUBMITTER"
    contact: str = "BILLING OFFICE"
    phone: str = "8005550100"
    receiver_name: str = "PAYERSIM"
    receiver_id: str = "PAYERSIM"


# ---------------------------------------------------------------- writing


def _text(value: str) -> str:
    return value.translate(_UNSAFE).strip()


def _amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    if part == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part:02d}".rstrip("0")


def _d8(day: date) -> str:
    return day.strftime("%Y%m%d")


def _icd(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _name_elements(provider: Provider) -> tuple[str, str, str]:
    if provider.is_organization:
        return "2", _text(provider.name), ""
    return "1", _text(provider.name), _text(provider.first_name or "")


def _address(address: Address | None, nine_digit_zip: bool = False) -> list[tuple[Element, ...]]:
    if address is None:
        return []
    postal = address.postal_code
    if nine_digit_zip and len(postal) == 5:
        postal += "0000"
    n3: tuple[Element, ...] = ("N3", _text(address.line1))
    if address.line2:
        n3 = (*n3, _text(address.line2))
    return [n3, ("N4", _text(address.city), address.state, postal)]


def _procedure(line: ServiceLine) -> tuple[str, ...]:
    return ("HC", line.procedure_code, *line.modifiers)


def _billing_loop(claim: Claim, hl: int) -> list[tuple[Element, ...]]:
    provider = claim.billing_provider
    if provider.address is None:
        raise ValueError(f"claim {claim.claim_id}: the billing provider needs an address (loop 2010AA N3/N4)")
    kind, last, first = _name_elements(provider)
    return [
        ("HL", str(hl), "", "20", "1"),
        ("PRV", "BI", "PXC", provider.taxonomy),
        ("NM1", "85", kind, last, first, "", "", "", "XX", provider.npi),
        *_address(provider.address, claim.kind == ClaimKind.INSTITUTIONAL),
        ("REF", "EI", provider.tin),
    ]


def _filing_code(claim: Claim) -> str:
    code = _FILING.get(claim.coverage.payer_id, "CI")
    if code == "MB" and claim.kind == ClaimKind.INSTITUTIONAL:
        return "MA"
    return code


def _subscriber_loop(claim: Claim, hl: int, parent: int, has_patient: bool) -> list[tuple[Element, ...]]:
    coverage = claim.coverage
    subscriber = coverage.subscriber
    order = _SEQUENCE[min(len(claim.other_payers), len(_SEQUENCE) - 1)]
    relationship = "18" if coverage.relationship == Relationship.SELF else ""
    return [
        ("HL", str(hl), str(parent), "22", "1" if has_patient else "0"),
        (
            "SBR",
            order,
            relationship,
            coverage.group_number or "",
            _text(coverage.plan_id),
            "",
            "",
            "",
            "",
            _filing_code(claim),
        ),
        (
            "NM1",
            "IL",
            "1",
            _text(subscriber.last_name),
            _text(subscriber.first_name),
            "",
            "",
            "",
            "MI",
            coverage.member_id,
        ),
        *_address(subscriber.address),
        ("DMG", "D8", _d8(subscriber.birth_date), str(subscriber.gender)),
        ("NM1", "PR", "2", _text(coverage.payer_id).upper(), "", "", "", "", "PI", coverage.payer_id),
    ]


def _patient_loop(claim: Claim, hl: int, parent: int) -> list[tuple[Element, ...]]:
    patient = claim.patient
    return [
        ("HL", str(hl), str(parent), "23", "0"),
        ("PAT", str(claim.coverage.relationship)),
        ("NM1", "QC", "1", _text(patient.last_name), _text(patient.first_name)),
        *_address(patient.address),
        ("DMG", "D8", _d8(patient.birth_date), str(patient.gender)),
    ]


def _provider_nm1(entity: str, provider: Provider) -> tuple[Element, ...]:
    kind, last, first = _name_elements(provider)
    return ("NM1", entity, kind, last, first, "", "", "", "XX", provider.npi)


def _claim_header(claim: Claim) -> list[tuple[Element, ...]]:
    institutional = claim.kind == ClaimKind.INSTITUTIONAL
    freq = str(claim.frequency)
    out: list[tuple[Element, ...]] = []
    if institutional:
        if claim.type_of_bill is None:
            raise ValueError(f"claim {claim.claim_id}: an institutional claim needs type_of_bill (CLM05)")
        out.append(
            (
                "CLM",
                claim.claim_id,
                _amount(claim.total_charge),
                "",
                "",
                (claim.type_of_bill[:2], "A", freq),
                "",
                "A",
                "Y",
                "Y",
            )
        )
        out.append(("DTP", "434", "RD8", f"{_d8(claim.first_service_date)}-{_d8(claim.last_service_date)}"))
        out.append(("CL1", "3", "", "01"))
    else:
        out.append(
            (
                "CLM",
                claim.claim_id,
                _amount(claim.total_charge),
                "",
                "",
                (claim.place_of_service, "B", freq),
                "Y",
                "A",
                "Y",
                "Y",
            )
        )
    if claim.referral_number:
        out.append(("REF", "9F", claim.referral_number))
    if claim.prior_authorization:
        out.append(("REF", "G1", claim.prior_authorization))
    if claim.payer_claim_number:
        out.append(("REF", "F8", claim.payer_claim_number))
    out.append(("REF", "EA", claim.patient.patient_id))
    codes = [_icd(code) for code in claim.diagnoses]
    if institutional:
        out.append(("HI", ("ABK", codes[0])))
        if codes[1:]:
            out.append(("HI", *(("ABF", code) for code in codes[1:])))
    else:
        out.append(("HI", ("ABK", codes[0]), *(("ABF", code) for code in codes[1:])))
    return out


def _claim_providers(claim: Claim) -> list[tuple[Element, ...]]:
    out: list[tuple[Element, ...]] = []
    rendering, referring = claim.rendering_provider, claim.referring_provider
    if claim.kind == ClaimKind.INSTITUTIONAL:
        if rendering is not None:
            out += [_provider_nm1("71", rendering), ("PRV", "AT", "PXC", rendering.taxonomy)]
        if referring is not None:
            out.append(_provider_nm1("DN", referring))
    else:
        if referring is not None:
            out.append(_provider_nm1("DN", referring))
        if rendering is not None:
            out += [_provider_nm1("82", rendering), ("PRV", "PE", "PXC", rendering.taxonomy)]
    return out


def _other_payer_loops(claim: Claim) -> list[tuple[Element, ...]]:
    out: list[tuple[Element, ...]] = []
    subscriber = claim.coverage.subscriber
    institutional = claim.kind == ClaimKind.INSTITUTIONAL
    for index, other in enumerate(claim.other_payers):
        out.append(("SBR", _SEQUENCE[index], "18", "", "", "", "", "", "", "CI"))
        out.append(("AMT", "D", _amount(other.paid)))
        if other.patient_responsibility:
            out.append(("AMT", "EAF", _amount(other.patient_responsibility)))
        out.append(("OI", "", "", "Y", "" if institutional else "P", "", "Y"))
        out.append(
            (
                "NM1",
                "IL",
                "1",
                _text(subscriber.last_name),
                _text(subscriber.first_name),
                "",
                "",
                "",
                "MI",
                claim.coverage.member_id,
            )
        )
        out.append(("NM1", "PR", "2", _text(other.payer_id).upper(), "", "", "", "", "PI", other.payer_id))
        if not other.line_adjustments:
            out.append(("DTP", "573", "D8", _d8(other.adjudication_date)))
    return out


def _cas_segments(adjustments: Sequence[Adjustment]) -> list[tuple[Element, ...]]:
    runs: list[list[Adjustment]] = []
    for adj in adjustments:
        if runs and runs[-1][0].group == adj.group and len(runs[-1]) < 6:
            runs[-1].append(adj)
        else:
            runs.append([adj])
    out: list[tuple[Element, ...]] = []
    for run in runs:
        seg: list[Element] = ["CAS", str(run[0].group)]
        for adj in run:
            seg += [adj.carc, _amount(adj.amount), "" if adj.quantity is None else str(adj.quantity)]
        out.append(tuple(seg))
    return out


def _line_loops(claim: Claim) -> list[tuple[Element, ...]]:
    out: list[tuple[Element, ...]] = []
    institutional = claim.kind == ClaimKind.INSTITUTIONAL
    for index, line in enumerate(claim.lines, start=1):
        out.append(("LX", str(index)))
        if institutional:
            if line.revenue_code is None:
                raise ValueError(
                    f"claim {claim.claim_id} line {line.line_number}: an 837I line needs a revenue code"
                )
            out.append(
                ("SV2", line.revenue_code, _procedure(line), _amount(line.charge), "UN", str(line.units))
            )
        else:
            pointers = tuple(str(p) for p in line.diagnosis_pointers)
            out.append(
                (
                    "SV1",
                    _procedure(line),
                    _amount(line.charge),
                    "UN",
                    str(line.units),
                    line.place_of_service or "",
                    "",
                    pointers,
                )
            )
        if line.service_date_end and line.service_date_end != line.service_date:
            out.append(("DTP", "472", "RD8", f"{_d8(line.service_date)}-{_d8(line.service_date_end)}"))
        else:
            out.append(("DTP", "472", "D8", _d8(line.service_date)))
        out.append(("REF", "6R", str(line.line_number)))
        for other in claim.other_payers:
            adjustments = dict(other.line_adjustments).get(line.line_number)
            if adjustments is None:
                continue
            paid = line.charge - sum(a.amount for a in adjustments)
            svd: tuple[Element, ...] = (
                "SVD",
                other.payer_id,
                _amount(paid),
                _procedure(line),
                line.revenue_code or "" if institutional else "",
                str(line.units),
            )
            out.append(svd)
            out += _cas_segments(adjustments)
            out.append(("DTP", "573", "D8", _d8(other.adjudication_date)))
    return out


def _same_subscriber_group(a: Claim, b: Claim) -> bool:
    if a.coverage != b.coverage:
        return False
    return a.coverage.relationship == Relationship.SELF or a.patient == b.patient


def claims_837_body(claims: Sequence[Claim], when: datetime, submitter: Submitter, reference: str) -> list:
    """The segments between ST and SE of one 837 holding ``claims`` (all of one kind)."""
    out: list[tuple[Element, ...]] = [
        ("BHT", "0019", "00", reference, _d8(when.date()), when.strftime("%H%M"), "CH"),
        ("NM1", "41", "2", _text(submitter.name), "", "", "", "", "46", submitter.id),
        ("PER", "IC", _text(submitter.contact), "TE", submitter.phone),
        ("NM1", "40", "2", _text(submitter.receiver_name), "", "", "", "", "46", submitter.receiver_id),
    ]
    hl = 0
    billing_hl = subscriber_hl = 0
    previous: Claim | None = None
    for claim in claims:
        new_billing = previous is None or previous.billing_provider != claim.billing_provider
        if new_billing:
            hl += 1
            billing_hl = hl
            out += _billing_loop(claim, hl)
        if new_billing or previous is None or not _same_subscriber_group(previous, claim):
            hl += 1
            subscriber_hl = hl
            has_patient = claim.coverage.relationship != Relationship.SELF
            out += _subscriber_loop(claim, hl, billing_hl, has_patient)
            if has_patient:
                hl += 1
                out += _patient_loop(claim, hl, subscriber_hl)
        out += _claim_header(claim)
        out += _claim_providers(claim)
        out += _other_payer_loops(claim)
        out += _line_loops(claim)
        previous = claim
    return out


def write_837(
    claims: Iterable[Claim],
    *,
    sender: Party,
    receiver: Party,
    when: datetime,
    numbers: ControlNumbers,
    submitter: Submitter | None = None,
    usage: str = "P",
    max_claims_per_transaction: int = 5000,
    line_breaks: bool = False,
) -> str:
    """An interchange of 837P and/or 837I transaction sets holding ``claims`` in their order."""
    from simulator.x12.envelope import write_interchange

    claims = list(claims)
    if not claims:
        raise ValueError("write_837 needs at least one claim")
    submitter = submitter or Submitter(
        name=sender.id, id=sender.id, receiver_name=receiver.id, receiver_id=receiver.id
    )
    bodies: list[TransactionBody] = []
    runs: list[list[Claim]] = []
    for claim in claims:
        if runs and runs[-1][0].kind == claim.kind and len(runs[-1]) < max_claims_per_transaction:
            runs[-1].append(claim)
        else:
            runs.append([claim])
    for batch in runs:
        version = INSTITUTIONAL_VERSION if batch[0].kind == ClaimKind.INSTITUTIONAL else PROFESSIONAL_VERSION
        reference = f"{numbers.peek(sender.id, 'transaction'):04d}"
        bodies.append(
            TransactionBody("837", version, "HC", claims_837_body(batch, when, submitter, reference))
        )
    return write_interchange(
        bodies,
        sender=sender,
        receiver=receiver,
        when=when,
        numbers=numbers,
        usage=usage,
        line_breaks=line_breaks,
    )


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class ClaimLoops:
    """The loops one claim is read from: its 2300 loop and the HL loops above it."""

    billing: Loop
    subscriber: Loop
    patient: Loop | None
    claim: Loop
    institutional: bool


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


def _read_address(loop: Loop | None) -> Address | None:
    if loop is None:
        return None
    n3, n4 = loop.find("N3"), loop.find("N4")
    if n3 is None or n4 is None:
        return None
    return _address_of(n3[1], n3[2], n4[1], n4[2], n4[3])


@lru_cache(maxsize=4096)
def _address_of(line1: str, line2: str, city: str, state: str, postal_code: str) -> Address:
    return Address(line1=line1, line2=line2 or None, city=city, state=state, postal_code=postal_code)


def _read_provider(loop: Loop, tin: str, taxonomy: str, address: Address | None = None) -> Provider:
    nm1 = loop.first
    return _provider_of(nm1[9], nm1[3], tin, taxonomy, nm1[2] != "1", nm1[4], address)


@lru_cache(maxsize=4096)
def _provider_of(
    npi: str,
    name: str,
    tin: str,
    taxonomy: str,
    is_organization: bool,
    first_name: str,
    address: Address | None,
) -> Provider:
    """A provider as sent; one that fails validation is kept as sent, unvalidated (for the front end)."""
    fields = {
        "npi": npi,
        "name": name,
        "tin": tin,
        "taxonomy": taxonomy,
        "is_organization": is_organization,
        "first_name": first_name or None,
        "address": address,
    }
    try:
        return Provider(**fields)
    except ValidationError:
        return Provider.model_construct(**fields)


def _billing_provider(loops: ClaimLoops) -> Provider:
    loop = loops.billing.child("2010AA")
    if loop is None:
        raise ValueError("the billing provider loop 2010AA (NM1*85) is missing")
    prv = loops.billing.find("PRV", "BI")
    ref = loop.find("REF", "EI") or loop.find("REF", "SY")
    taxonomy = prv[3] if prv else ""
    return _read_provider(loop, ref[2] if ref else "", taxonomy, _read_address(loop))


def _person(loop: Loop | None, what: str) -> tuple[Segment, Segment | None, Address | None]:
    if loop is None:
        raise ValueError(f"the {what} name loop is missing")
    return loop.first, loop.find("DMG"), _read_address(loop)


def _dmg(dmg: Segment | None, what: str) -> tuple[date, str]:
    if dmg is None or not dmg[2]:
        raise ValueError(f"the {what} has no birth date (DMG)")
    return _parse_d8(dmg[2]), dmg[3] or "U"


def _relationship(code: str) -> Relationship:
    try:
        return Relationship(code)
    except ValueError:
        return Relationship.OTHER


def _claim_refs(claim_loop: Loop) -> dict[str, str]:
    refs: dict[str, str] = {}
    for ref in claim_loop.find_all("REF"):
        refs.setdefault(ref[1], ref[2])
    return refs


def _diagnoses(claim_loop: Loop) -> list[str]:
    codes: list[str] = []
    for hi in claim_loop.find_all("HI"):
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


def _read_line(line_loop: Loop, index: int, institutional: bool) -> ServiceLine:
    sv = line_loop.find("SV2" if institutional else "SV1")
    if sv is None:
        raise ValueError(f"service line {index} has no {'SV2' if institutional else 'SV1'} segment")
    offset = 1 if institutional else 0
    procedure_code, modifiers = _procedure_of(sv[1 + offset], sv.component_separator)
    dtp = line_loop.find("DTP", "472")
    if dtp is None:
        raise ValueError(f"service line {index} has no date of service (DTP*472)")
    start, end = _parse_period(dtp[2], dtp[3])
    ref = line_loop.find("REF", "6R")
    number = _line_number(ref[2] if ref else "", index)
    fields: dict = {
        "line_number": number,
        "procedure_code": procedure_code,
        "modifiers": modifiers,
        "units": _units(sv[4 + offset]),
        "charge": parse_cents(sv[2 + offset]),
        "service_date": start,
        "service_date_end": end,
    }
    if institutional:
        fields["revenue_code"] = sv[1]
    else:
        fields["place_of_service"] = sv[5] or None
        fields["diagnosis_pointers"] = _pointers_of(sv[7], sv.component_separator)
    return ServiceLine(**fields)


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


def _read_other_payers(loops: ClaimLoops, lines: list[tuple[Loop, ServiceLine]]) -> tuple[OtherPayer, ...]:
    others: list[OtherPayer] = []
    for other in loops.claim.children_of("2320"):
        payer = other.child("2330B")
        if payer is None:
            continue
        payer_id = payer.first[9]
        paid = other.find("AMT", "D")
        remaining = other.find("AMT", "EAF")
        adjudicated = payer.find("DTP", "573")
        line_adjustments: list[tuple[int, tuple[Adjustment, ...]]] = []
        for line_loop, line in lines:
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


@lru_cache(maxsize=4096)
def _subscriber_of(
    member_id: str, first_name: str, last_name: str, birth_date: date, gender: str, address: Address | None
) -> Subscriber:
    return Subscriber(
        member_id=member_id,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        gender=gender,
        address=address,
    )


@lru_cache(maxsize=4096)
def _patient_of(
    patient_id: str, first_name: str, last_name: str, birth_date: date, gender: str, address: Address | None
) -> Patient:
    return Patient(
        patient_id=patient_id,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        gender=gender,
        address=address,
    )


def _secondary_provider(loop: Loop | None, billing: Provider) -> Provider | None:
    if loop is None:
        return None
    prv = loop.find("PRV")
    return _read_provider(loop, billing.tin, prv[3] if prv else billing.taxonomy)


_FREQUENCIES = {frequency.value: frequency for frequency in Frequency}


def _frequency(code: str) -> Frequency:
    """CLM05-3 as a :class:`Frequency` (ValueError naming the code when it is not one)."""
    return _FREQUENCIES.get(code) or Frequency(code)


def claim_from_loops(loops: ClaimLoops) -> Claim:
    """Build the :class:`Claim` of one 2300 loop; raises ValueError or ValidationError when it cannot."""
    institutional = loops.institutional
    billing = _billing_provider(loops)
    sbr = loops.subscriber.find("SBR")
    sub_nm1, sub_dmg, sub_address = _person(loops.subscriber.child("2010BA"), "subscriber")
    payer = loops.subscriber.child("2010BB")
    if payer is None:
        raise ValueError("the payer name loop 2010BB (NM1*PR) is missing")
    clm = loops.claim.first
    refs = _claim_refs(loops.claim)
    sub_birth, sub_gender = _dmg(sub_dmg, "subscriber")
    subscriber = _subscriber_of(sub_nm1[9], sub_nm1[4], sub_nm1[3], sub_birth, sub_gender, sub_address)
    if loops.patient is not None:
        pat_nm1, pat_dmg, pat_address = _person(loops.patient.child("2010CA"), "patient")
        pat = loops.patient.find("PAT")
        relationship = _relationship(pat[1] if pat else "")
        pat_birth, pat_gender = _dmg(pat_dmg, "patient")
    else:
        pat_nm1, pat_address, relationship = sub_nm1, sub_address, Relationship.SELF
        pat_birth, pat_gender = sub_birth, sub_gender
    patient = _patient_of(
        refs.get("EA") or sub_nm1[9], pat_nm1[4], pat_nm1[3], pat_birth, pat_gender, pat_address
    )
    line_loops = loops.claim.children_of("2400")
    lines = [(loop, _read_line(loop, index, institutional)) for index, loop in enumerate(line_loops, 1)]
    if not lines:
        raise ValueError(f"claim {clm[1]!r} has no service lines (LX)")
    first_date = min(line.service_date for _, line in lines)
    coverage = Coverage(
        payer_id=payer.first[9],
        plan_id=(sbr[4] if sbr else "") or (sbr[3] if sbr else "") or payer.first[9],
        member_id=sub_nm1[9],
        group_number=(sbr[3] if sbr else "") or None,
        effective_date=first_date,
        relationship=Relationship.SELF if sbr is not None and sbr[2] == "18" else relationship,
        subscriber=subscriber,
    )
    facility = clm.components(5)
    if institutional:
        rendering = loops.claim.child("2310A") or loops.claim.child("2310D")
        referring = loops.claim.child("2310F")
    else:
        rendering = loops.claim.child("2310B")
        referring = loops.claim.child("2310A")
    fields: dict = {
        "claim_id": clm[1],
        "kind": ClaimKind.INSTITUTIONAL if institutional else ClaimKind.PROFESSIONAL,
        "frequency": _frequency(facility[2]) if len(facility) > 2 and facility[2] else Frequency.ORIGINAL,
        "payer_claim_number": refs.get("F8"),
        "billing_provider": billing,
        "rendering_provider": _secondary_provider(rendering, billing),
        "referring_provider": _secondary_provider(referring, billing),
        "patient": patient,
        "coverage": coverage,
        "other_payers": _read_other_payers(loops, lines),
        "diagnoses": tuple(_diagnoses(loops.claim)),
        "prior_authorization": refs.get("G1"),
        "referral_number": refs.get("9F"),
        "lines": tuple(line for _, line in lines),
        "total_charge": parse_cents(clm[2]),
    }
    if institutional:
        fields["type_of_bill"] = (facility[0] if facility else "") + (
            facility[2] if len(facility) > 2 else "1"
        )
    elif facility and facility[0]:
        fields["place_of_service"] = facility[0]
    return Claim(**fields)


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
