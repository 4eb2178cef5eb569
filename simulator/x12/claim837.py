"""837 professional (005010X222A1) and institutional (005010X223A2) claims: the writer.

Writing::

    text = write_837(claims, sender=Party("BILLER01"), receiver=Party("PAYERSIM"),
                     when=datetime(2026, 3, 2, 12, 0), numbers=ControlNumbers())

Claims keep their order: each run of consecutive professional (or institutional) claims goes in
its own transaction set (and functional group when the kind changes); consecutive claims with the same
billing provider share a 2000A loop, and with the same
coverage and patient a 2000B (and 2000C) loop. Secondary claims carry their
:class:`~simulator.models.OtherPayer` entries as 2320/2330A/2330B loops with AMT*D, and per-line
adjustments as 2430 SVD/CAS/DTP*573 loops. An 837I billing provider's five-digit ZIP code is
sent with ``0000`` added (the guide wants nine digits there).

The reader is :mod:`simulator.x12.read837`; it documents how fields the 837 does not carry are
filled, so that ``read_837(write_837([claim])) == [claim]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from simulator.models import (
    Address,
    Adjustment,
    Claim,
    ClaimKind,
    Provider,
    Relationship,
    ServiceLine,
)
from simulator.x12.envelope import ControlNumbers, Party, TransactionBody
from simulator.x12.segments import Element

__all__ = [
    "INSTITUTIONAL_VERSION",
    "PROFESSIONAL_VERSION",
    "Submitter",
    "claims_837_body",
    "write_837",
]

PROFESSIONAL_VERSION = "005010X222A1"
INSTITUTIONAL_VERSION = "005010X223A2"

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
        out.append(("REF", "6R", line.control_number or str(line.line_number)))
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
    controls = numbers.ahead(sender.id, "transaction", len(runs))  # the ST02 each set will get
    for batch, control in zip(runs, controls, strict=True):
        version = INSTITUTIONAL_VERSION if batch[0].kind == ClaimKind.INSTITUTIONAL else PROFESSIONAL_VERSION
        reference = f"{control:04d}"  # BHT03: the set's own ST02, so each set of a file is told apart
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
