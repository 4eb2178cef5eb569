"""835 health care claim payment/advice (005010X221A1): writer and reader.

Writing: each :class:`~simulator.x12.remittance.Payment` becomes one 835 transaction set (one
BPR/TRN), all in one interchange::

    text = write_835(payments, sender=Party("PAYER01"), receiver=Party("CLINIC01"),
                     when=datetime(2026, 3, 20, 9, 0), numbers=ControlNumbers())

Per claim: CLP (status 1/2/3 processed as primary/secondary/tertiary, 4 denied, 22 reversal;
CLP07 the payer claim control number), claim-level CAS (one segment per group code, up to six
reasons each, more segments when needed), NM1*QC (then NM1*IL, the subscriber, for a
dependent), MIA (inpatient) or MOA (otherwise) for claim remark codes, REF*F8 on a correction,
DTM*232/233/050, AMT*AU (the covered charge: the charges of the lines the payer allowed
something on, never the allowed amount) and AMT*I (the claim's interest, which PLB L6 pays);
per line SVC with the procedure composite and modifiers, DTM*472 (DTM*150/151 for a line
billed for several days), CAS, REF*6R (the provider's line item control number when the 837
sent one, else the line number), AMT*B6 (allowed) and LQ*HE (remark codes). PLB carries
interest (L6), recoupments and forwarded balances. A payment that does not balance (see
:mod:`simulator.x12.balance`) is refused, never written.

The CR group code is not in the 5010 code list: an adjustment in group CR is written as OA.

Reading: :func:`read_835` turns every 835 in an interchange back into payments whose claims
are :class:`~simulator.models.ClaimAdjudication` entries (adjustment rule ``"835"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from pydantic import ValidationError

from simulator.errors import describe_validation_error
from simulator.models import (
    Adjustment,
    ClaimAdjudication,
    ClaimKind,
    ClaimStatus,
    Frequency,
    GroupCode,
    LineAdjudication,
)
from simulator.money import MoneyError, parse_dollars
from simulator.x12.balance import Imbalance, claim_imbalance, total_imbalance
from simulator.x12.envelope import (
    ControlNumbers,
    Party,
    TransactionBody,
    transactions_of,
    write_interchange,
)
from simulator.x12.remittance import Payee, Payer, Payment, ProviderAdjustment, RemitClaim, remitted_number
from simulator.x12.segments import Element, Segment, format_date8, render_segment, segment_text

__all__ = [
    "VERSION",
    "Remit835Error",
    "payment_segments",
    "read_835",
    "write_835",
]

VERSION = "005010X221A1"
READ_RULE = "835"
_CAS_REASONS_PER_SEGMENT = 6
_PLB_PAIRS_PER_SEGMENT = 6
_PROCESSED = {1: "1", 2: "2", 3: "3"}


class Remit835Error(ValueError):
    """An 835 that cannot be written (it does not balance) or read (a segment is malformed)."""


def _format_amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    if not part:
        return f"{sign}{whole}"
    if part % 10:
        return f"{sign}{whole}.{part:02d}"
    return f"{sign}{whole}.{part // 10}"


class _Texts(dict):
    """A cache that fills itself: ``texts[key]`` formats a missing key with ``make`` (keeping at most
    200,000). A hit is a single dict lookup with no Python call, which matters here: a remittance
    formats about ten amounts and five date segments per claim, mostly ones it has made before."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Any) -> str:
        text = self._make(key)
        if len(self) < 200_000:
            self[key] = text
        return text


_AMOUNT_TEXTS = _Texts(_format_amount)
_SERVICE_DAY = _Texts(lambda day: f"DTM*472*{format_date8(day)}~")
_PERIOD_START = _Texts(lambda day: f"DTM*150*{format_date8(day)}~")
_PERIOD_END = _Texts(lambda day: f"DTM*151*{format_date8(day)}~")
_STATEMENT_START = _Texts(lambda day: f"DTM*232*{format_date8(day)}~")
_STATEMENT_END = _Texts(lambda day: f"DTM*233*{format_date8(day)}~")
_RECEIVED_DAY = _Texts(lambda day: f"DTM*050*{format_date8(day)}~")
_LINE_REFERENCE = _Texts(lambda number: f"REF*6R*{number}~")


def amount(cents: int) -> str:
    """An X12 decimal amount without needless trailing zeros (``12300`` -> ``"123"``; cached)."""
    return _AMOUNT_TEXTS[cents]


_day = format_date8


# ---------------------------------------------------------------- writing
#
# Claim and line segments are built as text (default delimiters ``*`` ``:`` ``~``), the way
# :func:`~simulator.x12.segments.render_segment` would render them: trailing empty elements and
# components are dropped.


_CAS_GROUPS = {
    group: GroupCode.OTHER.value if group == GroupCode.CORRECTION else group.value for group in GroupCode
}
"""The group code written in CAS01 for each group (CR, not in the 5010 list, is written as OA)."""


_NO_ADJUSTMENTS: tuple[tuple[str, ...], int, int, tuple[str, ...]] = ((), 0, 0, ())

# The writer reads each line's fields with one call on the model's field dict (``vars(line)``):
# a pydantic attribute lookup costs about three dict lookups, and this runs for every line.
_LINE_FIELDS = itemgetter(
    "line_number", "procedure_code", "modifiers", "units", "units_paid", "service_date",
    "billed", "allowed", "paid", "adjustments", "rarcs",
)  # fmt: skip


def _cas_texts(adjustments: Sequence[Adjustment]) -> tuple[Sequence[str], int, int, Sequence[str]]:
    """CAS segments as text: one per group code (first-seen order), six reasons each.

    The same pass also returns what the claim writer needs from the adjustments: their total and
    its patient-responsibility part (cents), and their remark codes in order.
    """
    if len(adjustments) == 1:
        return _one_cas_text(adjustments[0])
    if not adjustments:
        return _NO_ADJUSTMENTS
    by_group: dict[str, list[str]] = {}
    total = patient = 0
    rarcs: list[str] = []
    for adjustment in adjustments:
        cents = adjustment.amount
        group = _CAS_GROUPS[adjustment.group]
        total += cents
        if group == "PR":
            patient += cents
        if adjustment.rarcs:
            rarcs += adjustment.rarcs
        quantity = adjustment.quantity
        reason = f"*{adjustment.carc}*{_AMOUNT_TEXTS[cents]}*{'' if quantity is None else quantity}"
        by_group.setdefault(group, []).append(reason)
    segments = []
    for group, reasons in by_group.items():
        for start in range(0, len(reasons), _CAS_REASONS_PER_SEGMENT):
            segments.append(
                segment_text(f"CAS*{group}" + "".join(reasons[start : start + _CAS_REASONS_PER_SEGMENT]))
            )
    return segments, total, patient, rarcs


def _one_cas_text(adjustment: Adjustment) -> tuple[list[str], int, int, Sequence[str]]:
    """:func:`_cas_texts` for a single adjustment (most lines have one), without the grouping."""
    group = _CAS_GROUPS[adjustment.group]
    cents = adjustment.amount
    text = f"CAS*{group}*{adjustment.carc}*{_AMOUNT_TEXTS[cents]}"
    if adjustment.quantity is not None:
        text += f"*{adjustment.quantity}"
    return [text + "~"], cents, cents if group == "PR" else 0, adjustment.rarcs


def cas_segments(adjustments: Sequence[Adjustment]) -> list[tuple[Element, ...]]:
    """CAS segments for ``adjustments`` as element tuples (see :func:`_cas_texts`)."""
    return [tuple(text[:-1].split("*")) for text in _cas_texts(adjustments)[0]]


_STATUS_CODES = {ClaimStatus.REVERSED: "22", ClaimStatus.DENIED: "4", ClaimStatus.PENDED: ""}
"""CLP02 by status where it does not depend on the coordination order ("" for pended: not remitted)."""


def _claim_status_code(decision: ClaimAdjudication) -> str:
    """CLP02: 22 reversal, 4 denied, else 1/2/3 processed as primary/secondary/tertiary."""
    code = _STATUS_CODES.get(decision.status)
    if code is None:
        return _PROCESSED[decision.coordination_order]
    if not code:
        raise Remit835Error(f"claim {decision.claim_id} is pended: a pended claim is not remitted")
    return code


def _remarks(rarcs: Sequence[str], adjustment_rarcs: Sequence[str]) -> list[str]:
    """The remark codes of a claim or line and of its adjustments, once each, in order."""
    return list(dict.fromkeys(code for code in (*rarcs, *adjustment_rarcs) if code))


def _remark_segment(claim: RemitClaim, remarks: list[str]) -> list[str]:
    if not remarks:
        return []
    if claim.kind == ClaimKind.INSTITUTIONAL and (claim.type_of_bill or "").startswith("11"):
        # MIA01 covered days, MIA05 the first remark, MIA20-23 the next four.
        rest = remarks[1:5]
        return [render_segment(("MIA", "0", "", "", "", remarks[0], *([""] * 14), *rest))]
    return [render_segment(("MOA", "", "", *remarks[:5]))]


def _add_line_segments(
    line: LineAdjudication, segments: list[str], facts: _LineFacts | None = None
) -> tuple[bool, int, int]:
    """Append the line's SVC, DTM*472 (or DTM*150/151), CAS, REF*6R, AMT*B6 and LQ*HE to ``segments``.

    ``facts`` are the claim's line facts by line number (see :func:`_line_facts`): a line billed
    for several days is dated DTM*150 (first day) and DTM*151 (last day) instead of DTM*472, and
    REF*6R is the line item control number the provider sent for the line, else the line number.

    SVC: 01 HC:code:modifiers, 02 billed, 03 paid, 04 the line's revenue code (institutional
    lines), 05 paid units, 07 billed units. The paid units are ``units_paid``, or when that is 0
    the billed units if anything was paid. SVC05 is written unless one unit was billed and paid;
    SVC07 when the paid units differ from the billed ones.

    Returns whether the line balances (charge - paid = its adjustments), the total of its
    adjustments and its patient-responsibility part (cents), for the claim's check and CLP05.
    """
    number, code, modifiers, units, units_paid, day, billed, allowed, paid, adjustments, rarcs = _LINE_FIELDS(
        vars(line)
    )
    cas, adjusted, patient, adjustment_rarcs = _cas_texts(adjustments)
    composite = ":".join(("HC", code, *modifiers)) if modifiers else f"HC:{code}"
    revenue = facts[2].get(number, "") if facts else ""
    svc = f"SVC*{composite.rstrip(':')}*{_AMOUNT_TEXTS[billed]}*{_AMOUNT_TEXTS[paid]}"
    paid_units = units_paid or (units if paid else 0)
    if paid_units != 1 or paid_units != units:
        svc += f"*{revenue}*{paid_units}"
    elif revenue:
        svc += f"*{revenue}"
    if abs(paid_units) != units:
        svc += f"**{units}"
    segments.append(svc + "~")
    end = facts[1].get(number) if facts else None
    if end is None:
        segments.append(_SERVICE_DAY[day])
    else:
        segments += [_PERIOD_START[day], _PERIOD_END[end]]
    segments += cas
    control = facts[0].get(number) if facts else None
    segments.append(f"REF*6R*{_clean_reference(control)}~" if control else _LINE_REFERENCE[number])
    if allowed:
        segments.append(f"AMT*B6*{_AMOUNT_TEXTS[allowed]}~")
    if rarcs or adjustment_rarcs:
        segments += [segment_text(f"LQ*HE*{remark}") for remark in _remarks(rarcs, adjustment_rarcs)]
    return billed - paid == adjusted, adjusted, patient


_LineFacts = tuple[dict[int, str], dict[int, date], dict[int, str]]


def _line_facts(claim: RemitClaim) -> _LineFacts | None:
    """The claim's line item control numbers, multi-day lines' last days and revenue codes by line
    number, or None when it has none of them (most professional claims)."""
    if not claim.line_controls and not claim.line_periods and not claim.line_revenue_codes:
        return None
    return dict(claim.line_controls), dict(claim.line_periods), dict(claim.line_revenue_codes)


def _clean_reference(value: str) -> str:
    """A reference as a data element may carry it: the delimiters this writer uses become spaces."""
    return value.translate(_DELIMITER_SPACES).strip() or "0"


_DELIMITER_SPACES = str.maketrans("*:~^\r\n", "      ")


def _clp_text(claim: RemitClaim, filing_indicator: str, patient_owes: int) -> str:
    """CLP: 01 claim id, 02 status, 03 billed, 04 paid, 05 patient share, 06 filing indicator,
    07 payer claim number, 08 facility code, 09 frequency (never empty, so nothing to trim).

    Medicare's indicator is MB (Part B) for a professional claim and MA (Part A) for an
    institutional one, as the 837's SBR09 said."""
    decision = claim.adjudication
    if filing_indicator == "MB" and claim.kind == ClaimKind.INSTITUTIONAL:
        filing_indicator = "MA"
    return (
        f"CLP*{decision.claim_id}*{_claim_status_code(decision)}*{_AMOUNT_TEXTS[decision.billed]}"
        f"*{_AMOUNT_TEXTS[decision.paid]}*{_AMOUNT_TEXTS[patient_owes] if patient_owes else ''}"
        f"*{filing_indicator}*{remitted_number(decision)}*{claim.facility_code or ''}*{decision.frequency}~"
    )


def _add_patient_segments(claim: RemitClaim, segments: list[str]) -> None:
    """NM1*QC: 03 last name, 04 first name, 08-09 MI and member id when known; then NM1*IL, the
    subscriber, when the patient is a dependent (required when the subscriber is not the patient)."""
    member = f"****MI*{claim.member_id}" if claim.member_id else ""
    patient = f"{claim.patient_last_name}*{claim.patient_first_name or ''}"
    segments.append(segment_text(f"NM1*QC*1*{patient}{member}"))
    if claim.subscriber_last_name:
        name = f"{claim.subscriber_last_name}*{claim.subscriber_first_name or ''}"
        segments.append(segment_text(f"NM1*IL*1*{name}{member}"))


def _add_claim_segments(claim: RemitClaim, filing_indicator: str, segments: list[str]) -> int:
    """Append the claim's segments (CLP loop and its lines) to ``segments``; return its CLP04 (cents).

    Raises Remit835Error when the claim does not balance. The lines are written first: the same
    pass over the adjustments gives the sums that the balance check compares (line by line, then
    the claim) and the patient share for CLP05. On a mismatch
    :func:`~simulator.x12.balance.claim_imbalance` names the first imbalance.
    """
    decision = claim.adjudication
    lines: list[str] = []
    adjusted = patient_owes = covered = 0
    lines_balance = True
    facts = _line_facts(claim)
    for line in decision.lines:
        balanced, line_adjusted, line_patient = _add_line_segments(line, lines, facts)
        lines_balance = lines_balance and balanced
        adjusted += line_adjusted
        patient_owes += line_patient
        if line.allowed:
            covered += line.billed
    cas, claim_adjusted, claim_patient, rarcs = _cas_texts(decision.claim_adjustments)
    paid = decision.paid
    if not lines_balance or decision.billed - paid != adjusted + claim_adjusted:
        _refuse_imbalance(claim_imbalance(decision))
    segments.append(_clp_text(claim, filing_indicator, patient_owes + claim_patient))
    segments += cas
    _add_patient_segments(claim, segments)
    if decision.rarcs or rarcs:
        segments += _remark_segment(claim, _remarks(decision.rarcs, rarcs))
    if claim.original_reference:
        segments.append(segment_text(f"REF*F8*{claim.original_reference}"))
    if claim.statement_start:
        segments.append(_STATEMENT_START[claim.statement_start])
    if claim.statement_end:
        segments.append(_STATEMENT_END[claim.statement_end])
    segments.append(_RECEIVED_DAY[decision.received_date])
    if not decision.lines and decision.allowed:
        covered = decision.billed
    if covered:
        segments.append(f"AMT*AU*{_AMOUNT_TEXTS[covered]}~")
    if decision.interest:
        segments.append(f"AMT*I*{_AMOUNT_TEXTS[decision.interest]}~")
    segments += lines
    return paid


def _bpr(payment: Payment) -> tuple[Element, ...]:
    handling = "H" if payment.method == "NON" else "I"
    return (
        "BPR",
        handling,
        amount(payment.amount),
        "C",
        payment.method,
        *([""] * 11),
        _day(payment.payment_date),
    )


def _payer_segments(payer: Payer) -> list[tuple[Element, ...]]:
    address = payer.address
    return [
        ("N1", "PR", payer.name),
        ("N3", address.line1, address.line2 or ""),
        ("N4", address.city, address.state, address.postal_code),
        ("REF", "2U", payer.payer_id),
        ("PER", "BL", "EDI SUPPORT", "TE", payer.contact_phone),
    ]


def _payee_segments(payee: Payee) -> list[tuple[Element, ...]]:
    qualifier, ident = ("XX", payee.npi) if payee.npi else ("FI", payee.tin or "")
    segments: list[tuple[Element, ...]] = [("N1", "PE", payee.name, qualifier, ident)]
    if payee.address:
        address = payee.address
        segments.append(("N3", address.line1, address.line2 or ""))
        segments.append(("N4", address.city, address.state, address.postal_code))
    if payee.npi and payee.tin:
        segments.append(("REF", "TJ", payee.tin))
    return segments


def plb_segments(payment: Payment) -> list[tuple[Element, ...]]:
    """PLB segments for the payment's provider adjustments, six adjustments per segment."""
    adjustments = payment.provider_adjustments
    provider = payment.payee.npi or payment.payee.tin or ""
    segments: list[tuple[Element, ...]] = []
    for start in range(0, len(adjustments), _PLB_PAIRS_PER_SEGMENT):
        elements: list[Element] = ["PLB", provider, _day(payment.plb_date)]
        for adjustment in adjustments[start : start + _PLB_PAIRS_PER_SEGMENT]:
            reason: Element = (
                (adjustment.reason, adjustment.reference) if adjustment.reference else adjustment.reason
            )
            elements += [reason, amount(adjustment.amount)]
        segments.append(tuple(elements))
    return segments


def payment_segments(payment: Payment) -> list[str]:
    """The segments of one 835 between ST and SE, rendered; raises Remit835Error when it does not balance.

    Each claim is checked as it is written (its lines, then its total: see
    :func:`_add_claim_segments`), then BPR02 against the claims' payments less PLB, summed on the
    way (:func:`~simulator.x12.balance.total_imbalance` names a mismatch).
    """
    header: list[tuple[Element, ...]] = [
        _bpr(payment),
        ("TRN", "1", payment.trace_number, "1" + payment.payer.tin),
        ("DTM", "405", _day(payment.production_date or payment.payment_date)),
        *_payer_segments(payment.payer),
        *_payee_segments(payment.payee),
    ]
    if payment.claims:
        header.append(("LX", "1"))
    segments = [render_segment(seg) for seg in header]
    filing_indicator = payment.payer.claim_filing_indicator
    paid = 0
    for claim in payment.claims:
        paid += _add_claim_segments(claim, filing_indicator, segments)
    if payment.amount != paid - payment.provider_adjusted:
        _refuse_imbalance(total_imbalance(payment))
    segments += [render_segment(seg) for seg in plb_segments(payment)]
    return segments


def _refuse_imbalance(problem: Imbalance | None) -> None:
    if problem:
        raise Remit835Error(f"the 835 would not balance: {problem.message}")


def write_835(
    payments: Sequence[Payment],
    *,
    sender: Party,
    receiver: Party,
    when: datetime,
    numbers: ControlNumbers,
    usage: str = "P",
) -> str:
    """One interchange holding an 835 transaction set per payment."""
    bodies = [TransactionBody("835", VERSION, "HP", payment_segments(p)) for p in payments]
    text = write_interchange(
        bodies, sender=sender, receiver=receiver, when=when, numbers=numbers, usage=usage
    )
    return _drop_st03(text)


def _drop_st03(text: str) -> str:
    """Remove ST03, which the 835 guide does not use (the envelope writer always fills it)."""
    return re.sub(r"(ST\*835\*[0-9]+)\*" + VERSION + "~", r"\1~", text)


# ---------------------------------------------------------------- reading


def _money(segment: Segment, index: int) -> int:
    value = segment[index]
    if not value:
        return 0
    try:
        return parse_dollars(value)
    except MoneyError as error:
        raise Remit835Error(f"{segment.tag}{index:02d} at segment {segment.position}: {error}") from None


def _date(segment: Segment, index: int) -> date:
    value = segment[index].split("-")[0]
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise Remit835Error(
            f"{segment.tag}{index:02d} at segment {segment.position}: not a CCYYMMDD date: {segment[index]!r}"
        ) from None


def _quantity(text: str) -> int | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return int(value) if value is not None and value == int(value) else None


def _read_cas(segment: Segment) -> list[Adjustment]:
    group = segment[1]
    try:
        group_code = GroupCode(group)
    except ValueError:
        raise Remit835Error(f"CAS01 at segment {segment.position}: unknown group code {group!r}") from None
    found = []
    for index in range(2, 20, 3):
        if segment[index]:
            found.append(
                Adjustment(
                    group=group_code,
                    carc=segment[index],
                    amount=_money(segment, index + 1),
                    quantity=_quantity(segment[index + 2]),
                    rule=READ_RULE,
                )
            )
    return found


class _LineBuilder:
    def __init__(self, svc: Segment, sequence: int, fallback: date) -> None:
        composite = svc.components(1) or ("",)
        self.procedure = composite[1] if len(composite) > 1 else composite[0]
        self.modifiers = tuple(m for m in composite[2:6] if m)
        self.billed = _money(svc, 2)
        self.paid = _money(svc, 3)
        self.units_paid = _quantity(svc[5]) if svc[5] else 1
        self.units = _quantity(svc[7]) if svc[7] else abs(self.units_paid or 1)
        self.line_number = sequence
        self.service_date = fallback
        self.adjustments: list[Adjustment] = []
        self.rarcs: list[str] = []
        self.allowed = 0

    def build(self) -> LineAdjudication:
        return LineAdjudication(
            line_number=self.line_number,
            procedure_code=self.procedure or "UNKNOWN",
            modifiers=self.modifiers,
            units=self.units or 1,
            units_paid=self.units_paid or 0,
            service_date=self.service_date,
            billed=self.billed,
            allowed=self.allowed,
            paid=self.paid,
            adjustments=tuple(self.adjustments),
            rarcs=tuple(self.rarcs),
            status=_line_status(self.paid, self.adjustments),
        )


def _line_status(paid: int, adjustments: Sequence[Adjustment]) -> ClaimStatus:
    if paid or all(a.group == GroupCode.PATIENT or a.carc == "45" for a in adjustments):
        return ClaimStatus.PAID
    return ClaimStatus.DENIED


class _ClaimBuilder:
    def __init__(self, clp: Segment, payee: Payee, decided: date) -> None:
        self.clp = clp
        self.payee = payee
        self.decided = decided
        self.adjustments: list[Adjustment] = []
        self.lines: list[_LineBuilder] = []
        self.rarcs: list[str] = []
        self.fields: dict[str, object] = {}
        self.dates: dict[str, date] = {}
        self.allowed = 0
        self.interest: int | None = None

    def build(self, payer: Payer, interest: dict[str, list[int]]) -> RemitClaim:
        clp = self.clp
        code = clp[2]
        number = clp[7]
        status = {"22": ClaimStatus.REVERSED, "4": ClaimStatus.DENIED}.get(code)
        lines = tuple(line.build() for line in self.lines)
        paid = _money(clp, 4)
        line_allowed = [line.allowed for line in lines if line.allowed]
        allowed = sum(line_allowed) if line_allowed else self.allowed  # AMT*AU only without line B6
        if status is None:
            status = _line_status(paid, [*self.adjustments, *(a for ln in lines for a in ln.adjustments)])
            if paid and any(line.paid == 0 and line.status == ClaimStatus.DENIED for line in lines):
                status = ClaimStatus.PARTLY_PAID
        frequency = clp[9]
        received = self.dates.get("050") or self.decided
        decision = ClaimAdjudication(
            claim_id=clp[1],
            payer_id=payer.payer_id,
            payer_claim_number=number or clp[1],
            status=status,
            frequency=Frequency(frequency) if frequency in ("1", "7", "8") else Frequency.ORIGINAL,
            received_date=received,
            decided_date=self.decided,
            billed=_money(clp, 3),
            allowed=allowed,
            paid=paid,
            interest=self._interest(interest, number),
            lines=lines,
            claim_adjustments=tuple(self.adjustments),
            rarcs=tuple(self.rarcs),
            reverses=number if status == ClaimStatus.REVERSED else None,
            coordination_order={"2": 2, "20": 2, "3": 3, "21": 3}.get(code, 1),
        )
        return RemitClaim(
            adjudication=decision,
            payee=self.payee,
            patient_last_name=str(self.fields.get("last") or "UNKNOWN"),
            patient_first_name=self.fields.get("first") or None,
            member_id=self.fields.get("member") or None,
            facility_code=clp[8] if len(clp[8]) == 2 and clp[8].isdigit() else None,
            statement_start=self.dates.get("232"),
            statement_end=self.dates.get("233"),
            original_reference=self.fields.get("original") or None,
            subscriber_last_name=self.fields.get("subscriber_last") or None,
            subscriber_first_name=self.fields.get("subscriber_first") or None,
        )

    def _interest(self, plb_interest: dict[str, list[int]], number: str) -> int:
        """The claim's interest: its AMT*I, else the next PLB L6 naming its payer claim number."""
        if self.interest is not None:
            return self.interest
        return plb_interest[number].pop(0) if plb_interest.get(number) else 0

    def take(self, seg: Segment) -> None:
        tag = seg.tag
        line = self.lines[-1] if self.lines else None
        if tag == "SVC":
            fallback = self.dates.get("232") or self.decided
            self.lines.append(_LineBuilder(seg, len(self.lines) + 1, fallback))
        elif tag == "CAS":
            (line.adjustments if line else self.adjustments).extend(_read_cas(seg))
        elif line is not None:
            _take_line_segment(line, seg)
        else:
            self._take_claim_segment(seg)

    def _take_claim_segment(self, seg: Segment) -> None:
        tag, qualifier = seg.tag, seg[1]
        if tag == "NM1" and qualifier == "QC":
            self.fields.update(last=seg[3], first=seg[4], member=seg[9] or self.fields.get("member"))
        elif tag == "NM1" and qualifier == "IL":
            self.fields.update(subscriber_last=seg[3], subscriber_first=seg[4])
            self.fields["member"] = self.fields.get("member") or seg[9]
        elif tag == "MOA":
            self.rarcs += [seg[i] for i in range(3, 8) if seg[i]]
        elif tag == "MIA":
            self.rarcs += [seg[i] for i in (5, 20, 21, 22, 23) if seg[i]]
        elif tag == "REF" and qualifier == "F8":
            self.fields["original"] = seg[2]
        elif tag == "DTM" and qualifier in ("232", "233", "050"):
            self.dates[qualifier] = _date(seg, 2)
        elif tag == "AMT" and qualifier == "AU":
            self.allowed = _money(seg, 2)
        elif tag == "AMT" and qualifier == "I":
            self.interest = _money(seg, 2)


def _take_line_segment(line: _LineBuilder, seg: Segment) -> None:
    tag, qualifier = seg.tag, seg[1]
    if tag == "DTM" and qualifier in ("472", "150"):
        line.service_date = _date(seg, 2)
    elif tag == "REF" and qualifier == "6R" and seg[2].isdigit():
        line.line_number = int(seg[2])
    elif tag == "AMT" and qualifier == "B6":
        line.allowed = _money(seg, 2)
    elif tag == "LQ" and qualifier == "HE":
        line.rarcs.append(seg[2])


class _PaymentReader:
    def __init__(self) -> None:
        self.bpr: Segment | None = None
        self.trace = ""
        self.payer_tin = ""
        self.production: date | None = None
        self.payer: dict[str, object] = {}
        self.payee: dict[str, object] = {}
        self.party: dict[str, object] | None = None
        self.claims: list[_ClaimBuilder] = []
        self.plb: list[tuple[str, str | None, int]] = []
        self.plb_date: date | None = None

    def take(self, seg: Segment) -> None:
        tag = seg.tag
        if tag == "CLP":
            self.claims.append(_ClaimBuilder(seg, self._payee(), self._decided()))
        elif tag == "PLB":
            self._take_plb(seg)
        elif self.claims:
            self.claims[-1].take(seg)
        else:
            self._take_header(seg)

    def _take_header(self, seg: Segment) -> None:
        tag, qualifier = seg.tag, seg[1]
        if tag == "BPR":
            self.bpr = seg
        elif tag == "TRN":
            self.trace, self.payer_tin = seg[2], seg[3][1:] if len(seg[3]) == 10 else ""
        elif tag == "DTM" and qualifier == "405":
            self.production = _date(seg, 2)
        elif tag == "N1":
            self.party = self.payer if qualifier == "PR" else self.payee
            self.party.update(name=seg[2], qualifier=seg[3], id=seg[4])
        elif self.party is not None and tag in ("N3", "N4", "REF"):
            self.party[tag + (qualifier if tag == "REF" else "")] = seg

    def _take_plb(self, seg: Segment) -> None:
        self.plb_date = _date(seg, 2)
        for index in range(3, 15, 2):
            if seg[index]:
                parts = seg.components(index)
                reference = parts[1] if len(parts) > 1 and parts[1] else None
                self.plb.append((parts[0], reference, _money(seg, index + 1)))

    def _decided(self) -> date:
        if self.bpr is not None and self.bpr[16]:
            return _date(self.bpr, 16)
        return self.production or date(1970, 1, 1)

    def _payee(self) -> Payee:
        fields = self.payee
        qualifier, ident = fields.get("qualifier"), str(fields.get("id") or "")
        tin_ref = fields.get("REFTJ")
        tin = ident if qualifier == "FI" else (tin_ref[2] if isinstance(tin_ref, Segment) else None)
        npi = ident if qualifier == "XX" else None
        if not npi and not tin:
            tin = ident or "000000000"
        return Payee(name=str(fields.get("name") or "UNKNOWN PAYEE"), npi=npi, tin=tin)

    def build(self) -> Payment:
        if self.bpr is None:
            raise Remit835Error("the 835 has no BPR segment")
        ref = self.payer.get("REF2U")
        payer_id = (
            ref[2] if isinstance(ref, Segment) else str(self.payer.get("id") or self.payer_tin or "UNKNOWN")
        )
        payer = Payer(
            name=str(self.payer.get("name") or "UNKNOWN PAYER"),
            payer_id=payer_id,
            tin=self.payer_tin if len(self.payer_tin) == 9 and self.payer_tin.isdigit() else "999999999",
        )
        interest: dict[str, list[int]] = {}
        for reason, ref, amt in self.plb:
            if reason == "L6" and ref:
                interest.setdefault(ref, []).append(-amt)
        method = self.bpr[4] if self.bpr[4] in ("CHK", "ACH", "NON") else "CHK"
        return Payment(
            payer=payer,
            payee=self._payee(),
            payment_date=self._decided(),
            trace_number=self.trace or "UNKNOWN",
            method=method,
            claims=tuple(claim.build(payer, interest) for claim in self.claims),
            provider_adjustments=tuple(
                ProviderAdjustment(reason=reason, reference=ref, amount=amt) for reason, ref, amt in self.plb
            ),
            fiscal_period_end=self.plb_date,
            production_date=self.production,
            amount=_money(self.bpr, 2),
        )


def read_835(data: str | bytes) -> list[Payment]:
    """Every 835 transaction set in ``data`` as a payment; raises Remit835Error on malformed data."""
    payments: list[Payment] = []
    for transaction in transactions_of(data, "835"):
        reader = _PaymentReader()
        try:
            for segment in transaction.body:
                reader.take(segment)
            payments.append(reader.build())
        except ValidationError as error:
            where = f"835 {transaction.control_number}"
            raise Remit835Error(describe_validation_error(error, where)) from None
    if not payments:
        raise Remit835Error("no 835 transaction set found")
    return payments
