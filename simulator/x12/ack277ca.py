"""277CA health care claim acknowledgment (005010X214): writer and reader.

The 277CA tells the submitter, claim by claim, whether the payer took each claim into
adjudication. Its levels: 2000A the payer (information source, with receipt and process
dates), 2000B the submitter (information receiver, with batch totals), 2000C each billing
provider (with its totals), 2000D each patient with the claim's status (2200D).

An accepted claim gets ``STC*A2:20`` (accepted into adjudication), the batch and provider
levels ``STC*A1:19`` (received). A rejected claim gets one status per
:class:`~simulator.x12.frontend.ClaimRejection` (``A3``/``A6``/``A7``/``A8`` with the
rejection's status and entity codes; three per STC segment in STC01/STC10/STC11, the first
rejection's message in STC12) and action code ``U``.

Writing::

    acks = [accepted_ack(claim, payer_claim_number="26075000001"), rejected_ack(rejected)]
    text = write_277ca(acks, AckParties(...), received=..., processed=..., sender=..., ...)

A 277CA answers one 837 transaction set: its 2200B TRN02 is the set's BHT03 (X12 RFI 2815), so
claims from several sets get a 277CA transaction set each, in one interchange
(:func:`write_277ca_sets`, with :func:`by_reference` to sort the acknowledgements).

Reading: :func:`read_277ca` gives back a :class:`ClaimAck` per 2200D.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from simulator.models import Claim
from simulator.money import MoneyError, parse_dollars
from simulator.x12.envelope import (
    ControlNumbers,
    Party,
    TransactionBody,
    transactions_of,
    write_interchange,
)
from simulator.x12.frontend import RejectedClaim
from simulator.x12.remit835 import amount
from simulator.x12.remittance import service_span
from simulator.x12.segments import Element, Segment, format_date8, render_segment, segment_text

__all__ = [
    "VERSION",
    "Ack277Error",
    "AckParties",
    "ClaimAck",
    "ClaimStatusCode",
    "accepted_ack",
    "by_reference",
    "read_277ca",
    "rejected_ack",
    "write_277ca",
    "write_277ca_sets",
]

VERSION = "005010X214"
ACCEPTED = ("A2", "20", "")
RECEIVED = ("A1", "19", "")
_ACCEPTING = ("A1", "A2")
_STATUSES_PER_STC = 3
_MESSAGE_LENGTH = 264


class Ack277Error(ValueError):
    """A 277CA that cannot be read."""


@dataclass(frozen=True, slots=True)
class ClaimStatusCode:
    """One STC01/STC10/STC11 composite: category, status and (optional) entity code."""

    category: str
    status: str
    entity: str = ""

    @property
    def composite(self) -> tuple[str, ...]:
        """The composite's components, without a trailing empty entity."""
        return (self.category, self.status, self.entity) if self.entity else (self.category, self.status)

    @property
    def accepted(self) -> bool:
        """True for the acknowledgement (A1) and acceptance (A2) categories."""
        return self.category in _ACCEPTING


@dataclass(frozen=True, slots=True)
class ClaimAck:
    """What a 277CA says about one claim (loop 2200D) and who it belongs to."""

    claim_id: str
    total_charge: int
    statuses: tuple[ClaimStatusCode, ...]
    billing_npi: str
    billing_name: str
    patient_last_name: str
    patient_first_name: str = ""
    member_id: str = ""
    service_date: date | None = None
    service_date_end: date | None = None
    payer_claim_number: str = ""
    message: str = ""
    status_date: date | None = None
    type_of_bill: str = ""

    @property
    def accepted(self) -> bool:
        """True when every status is an acknowledgement or acceptance."""
        statuses = self.statuses
        if len(statuses) == 1:  # the usual case, without a generator
            return statuses[0].category in _ACCEPTING
        return all(status.category in _ACCEPTING for status in statuses)


@dataclass(frozen=True, slots=True)
class AckParties:
    """Who the 277CA is from (the payer) and to (the submitter), the payer's trace number, and
    ``batch``: the BHT03 of the 837 transaction set answered (2200B TRN02; the trace when empty)."""

    payer_name: str
    payer_id: str
    receiver_name: str
    receiver_id: str
    trace: str = "1"
    reference: str = "1"
    batch: str = ""


_ACCEPTED_STATUSES = (ClaimStatusCode(*ACCEPTED),)


def accepted_ack(claim: Claim, payer_claim_number: str = "") -> ClaimAck:
    """The acknowledgement of a claim taken into adjudication (A2:20)."""
    first, last = service_span(claim)
    provider = claim.billing_provider
    patient = claim.patient
    return ClaimAck(
        claim_id=claim.claim_id,
        total_charge=claim.total_charge,
        statuses=_ACCEPTED_STATUSES,
        billing_npi=provider.npi,
        billing_name=provider.name,
        patient_last_name=patient.last_name,
        patient_first_name=patient.first_name,
        member_id=claim.coverage.member_id,
        service_date=first,
        service_date_end=last,
        payer_claim_number=payer_claim_number,
        type_of_bill=claim.type_of_bill or "",
    )


def rejected_ack(rejected: RejectedClaim) -> ClaimAck:
    """The acknowledgement of a claim the front end rejected: one status per rejection."""
    claim = rejected.claim
    statuses = tuple(ClaimStatusCode(r.category, r.status, r.entity) for r in rejected.rejections)
    if not statuses:
        statuses = (ClaimStatusCode("A3", "21"),)
    last = claim.patient.last_name if claim else rejected.subscriber_last_name
    first = claim.patient.first_name if claim else rejected.subscriber_first_name
    return ClaimAck(
        claim_id=rejected.claim_id or "UNKNOWN",
        total_charge=rejected.total_charge if rejected.total_charge is not None else 0,
        statuses=statuses,
        billing_npi=rejected.billing_npi or (claim.billing_provider.npi if claim else ""),
        billing_name=rejected.billing_name or (claim.billing_provider.name if claim else ""),
        patient_last_name=last or "UNKNOWN",
        patient_first_name=first or "",
        member_id=rejected.subscriber_id or (claim.coverage.member_id if claim else ""),
        service_date=rejected.service_date or (claim.first_service_date if claim else None),
        service_date_end=rejected.service_date_end or (claim.last_service_date if claim else None),
        message=rejected.rejections[0].message if rejected.rejections else "",
        type_of_bill=(claim.type_of_bill or "") if claim else "",
    )


# ---------------------------------------------------------------- writing


_day = format_date8


_DELIMITERS = re.compile(r"[*:^~\r\n\t|>]")
"""Characters free text must not carry into X12: delimiters and line or tab characters."""
_UNSAFE = re.compile(_DELIMITERS.pattern + r"| {2}")
"""What :func:`_text` would change inside a value: a delimiter, or a run of spaces."""


def _text(value: str, limit: int) -> str:
    """Free text made safe for X12: delimiters and control characters become spaces."""
    if value.isalnum() or (_UNSAFE.search(value) is None and value == value.strip()):
        return value[:limit]  # the usual case: nothing to clean (letters and digits never need it)
    cleaned = _DELIMITERS.sub(" ", value)
    return re.sub(r" +", " ", cleaned).strip()[:limit]


def _message(value: str) -> str:
    """A rejection's message as STC12 free text; a colon (the component separator) becomes a
    semicolon, so the message keeps its sense."""
    return _text(value.replace(": ", "; "), _MESSAGE_LENGTH).rstrip("; ")


# Per-claim segments are built as text (default delimiters), the way
# :func:`~simulator.x12.segments.render_segment` renders them: trailing empty elements and
# components are dropped.


def _composite(status: ClaimStatusCode) -> str:
    if status.entity:
        return f"{status.category}:{status.status}:{status.entity}".rstrip(":")
    return f"{status.category}:{status.status}".rstrip(":")


def _stc_segments(ack: ClaimAck, when: date, accepted: bool) -> list[str]:
    """STC segments, three statuses each: 01 first status, 02 date, 03 action (WQ accepted,
    U rejected), 04 total charge, 05-09 empty, 10 and 11 the next statuses, 12 the message (first
    STC only)."""
    action = "WQ" if accepted else "U"
    head = f"*{_day(when)}*{action}*{amount(ack.total_charge)}"
    statuses = ack.statuses
    if len(statuses) == 1 and not ack.message:  # the usual case: one status, nothing after STC04
        return [f"STC*{_composite(statuses[0])}{head}~"]
    segments: list[str] = []
    for start in range(0, len(statuses), _STATUSES_PER_STC):
        chunk = statuses[start : start + _STATUSES_PER_STC]
        text = f"STC*{_composite(chunk[0])}{head}"
        if len(chunk) > 1 or (ack.message and start == 0):
            text += "*****"
            text += f"*{_composite(chunk[1])}" if len(chunk) > 1 else "*"
            text += f"*{_composite(chunk[2])}" if len(chunk) > 2 else "*"
            if ack.message and start == 0:
                text += f"*{_message(ack.message)}"
        segments.append(segment_text(text))
    return segments


def _service_dates(ack: ClaimAck, fallback: date) -> str:
    start = ack.service_date or fallback
    end = ack.service_date_end or start
    if end != start:
        return f"DTP*472*RD8*{_day(start)}-{_day(end)}~"
    return f"DTP*472*D8*{_day(start)}~"


def _add_claim_segments(
    ack: ClaimAck, hl: int, parent: int, when: date, accepted: bool, segments: list[str]
) -> None:
    """Append loops 2000D, 2100D and 2200D of one claim as text to ``segments``: HL, NM1*QC, TRN,
    STC, REF*1K, REF*BLT, DTP*472."""
    last = _text(ack.patient_last_name, 60) or "UNKNOWN"
    first = _text(ack.patient_first_name, 35)
    member = _text(ack.member_id, 80) or "UNKNOWN"
    segments.append(f"HL*{hl}*{parent}*PT~")
    segments.append(f"NM1*QC*1*{last}*{first}****MI*{member}~")
    segments.append(f"TRN*2*{_text(ack.claim_id, 50) or 'UNKNOWN'}~")
    segments += _stc_segments(ack, when, accepted)
    if ack.payer_claim_number:
        segments.append(segment_text(f"REF*1K*{ack.payer_claim_number}"))
    if ack.type_of_bill:
        segments.append(segment_text(f"REF*BLT*{ack.type_of_bill}"))
    segments.append(_service_dates(ack, when))


def _tally(members: Sequence[tuple[ClaimAck, bool]]) -> tuple[list[int], list[int]]:
    """How many ``members`` (ack, accepted) were rejected and accepted, and their charges (cents)."""
    counts = [0, 0]  # rejected, accepted
    charges = [0, 0]
    for ack, accepted in members:
        counts[accepted] += 1
        charges[accepted] += ack.total_charge
    return counts, charges


def _totals(
    counts: Sequence[int], charges: Sequence[int], accepted_qty: str, rejected_qty: str
) -> list[tuple[Element, ...]]:
    """QTY and AMT segments for the accepted and rejected claims (a :func:`_tally`)."""
    segments: list[tuple[Element, ...]] = []
    if counts[True]:
        segments.append(("QTY", accepted_qty, str(counts[True])))
    if counts[False]:
        segments.append(("QTY", rejected_qty, str(counts[False])))
    if counts[True]:
        segments.append(("AMT", "YU", amount(charges[True])))
    if counts[False]:
        segments.append(("AMT", "YY", amount(charges[False])))
    return segments


def _received_stc(charges: Sequence[int], when: date | None) -> tuple[Element, ...]:
    total = amount(sum(charges))
    if when is None:
        return ("STC", RECEIVED[:2], "", "WQ", total)
    return ("STC", RECEIVED[:2], _day(when), "WQ", total)


def transaction_segments(
    acks: Sequence[ClaimAck], parties: AckParties, *, received: date, processed: date, when: datetime
) -> list[str]:
    """The segments of one 277CA between ST and SE, rendered."""
    if not acks:
        raise ValueError("a 277CA needs at least one claim")
    by_provider: dict[str, list[tuple[ClaimAck, bool]]] = {}
    for ack in acks:
        by_provider.setdefault(ack.billing_npi or "UNKNOWN", []).append((ack, ack.accepted))
    tallies = {npi: _tally(members) for npi, members in by_provider.items()}
    counts = [sum(counts[ok] for counts, _ in tallies.values()) for ok in (False, True)]
    charges = [sum(charges[ok] for _, charges in tallies.values()) for ok in (False, True)]
    header: list[tuple[Element, ...]] = [
        (
            "BHT",
            "0085",
            "08",
            _text(parties.reference, 50),
            when.strftime("%Y%m%d"),
            when.strftime("%H%M"),
            "TH",
        ),
        ("HL", "1", "", "20", "1"),
        ("NM1", "PR", "2", _text(parties.payer_name, 60), "", "", "", "", "PI", parties.payer_id),
        ("TRN", "1", _text(parties.trace, 50)),
        ("DTP", "050", "D8", _day(received)),
        ("DTP", "009", "D8", _day(processed)),
        ("HL", "2", "1", "21", "1"),
        ("NM1", "41", "2", _text(parties.receiver_name, 60), "", "", "", "", "46", parties.receiver_id),
        ("TRN", "2", _text(parties.batch or parties.trace, 50)),
        _received_stc(charges, processed),
        *_totals(counts, charges, "90", "AA"),
    ]
    segments = [render_segment(seg) for seg in header]
    hl = 2
    for npi, members in by_provider.items():
        hl += 1
        provider_hl = hl
        provider_counts, provider_charges = tallies[npi]
        name = _text(members[0][0].billing_name, 60) or "UNKNOWN"
        provider: list[tuple[Element, ...]] = [
            ("HL", str(provider_hl), "2", "19", "1"),
            ("NM1", "85", "2", name, "", "", "", "", "XX", npi),
            ("TRN", "1", f"{_text(parties.trace, 40)}-{provider_hl}"),
            _received_stc(provider_charges, None),
            *_totals(provider_counts, provider_charges, "QA", "QC"),
        ]
        segments += [render_segment(seg) for seg in provider]
        for ack, accepted in members:
            hl += 1
            _add_claim_segments(ack, hl, provider_hl, processed, accepted, segments)
    return segments


def write_277ca(
    acks: Sequence[ClaimAck],
    parties: AckParties,
    *,
    received: date,
    processed: date,
    sender: Party,
    receiver: Party,
    when: datetime,
    numbers: ControlNumbers,
    usage: str = "P",
) -> str:
    """One interchange with one 277CA transaction set acknowledging ``acks``."""
    return write_277ca_sets(
        [(parties, acks)],
        received=received,
        processed=processed,
        sender=sender,
        receiver=receiver,
        when=when,
        numbers=numbers,
        usage=usage,
    )


def write_277ca_sets(
    answers: Sequence[tuple[AckParties, Sequence[ClaimAck]]],
    *,
    received: date,
    processed: date,
    sender: Party,
    receiver: Party,
    when: datetime,
    numbers: ControlNumbers,
    usage: str = "P",
) -> str:
    """One interchange with a 277CA transaction set for each (parties, acknowledgements) pair:
    one for each 837 transaction set answered."""
    bodies = [
        TransactionBody(
            "277",
            VERSION,
            "HN",
            transaction_segments(acks, parties, received=received, processed=processed, when=when),
        )
        for parties, acks in answers
    ]
    return write_interchange(
        bodies, sender=sender, receiver=receiver, when=when, numbers=numbers, usage=usage
    )


def by_reference(acks: Sequence[ClaimAck], references: Sequence[str]) -> dict[str, list[ClaimAck]]:
    """The acknowledgements by the BHT03 of the 837 transaction set each claim came from (the
    references, one per acknowledgement), in first-seen order; all under ``""`` when the
    references do not match the acknowledgements one for one."""
    if len(references) != len(acks):
        return {"": list(acks)} if acks else {}
    groups: dict[str, list[ClaimAck]] = {}
    for ack, reference in zip(acks, references, strict=True):
        groups.setdefault(reference, []).append(ack)
    return groups


# ---------------------------------------------------------------- reading


def _status_codes(segment: Segment) -> list[ClaimStatusCode]:
    found = []
    for index in (1, 10, 11):
        parts = segment.components(index)
        if len(parts) >= 2:
            found.append(ClaimStatusCode(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return found


def _date(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


class _Reader:
    def __init__(self) -> None:
        self.acks: list[ClaimAck] = []
        self.provider = ("", "")
        self.patient = ("", "", "")
        self.current: dict[str, object] | None = None
        self.level = ""

    def take(self, seg: Segment) -> None:
        tag = seg.tag
        if tag == "HL":
            self._close()
            self.level = seg[3]
        elif tag == "NM1" and seg[1] == "85":
            self.provider = (seg[9], seg[3])
        elif tag == "NM1" and seg[1] == "QC":
            self.patient = (seg[3], seg[4], seg[9])
        elif tag == "TRN" and self.level == "PT":
            self._close()
            self.current = {"claim_id": seg[2], "statuses": [], "message": ""}
        elif self.current is not None:
            self._take_claim(seg)

    def _take_claim(self, seg: Segment) -> None:
        current = self.current
        assert current is not None
        tag, qualifier = seg.tag, seg[1]
        if tag == "STC":
            current["statuses"] += _status_codes(seg)
            current.setdefault("total", seg[4])
            current.setdefault("date", seg[2])
            if seg[12] and not current["message"]:
                current["message"] = seg[12]
        elif tag == "REF" and qualifier in ("1K", "BLT"):
            current[qualifier] = seg[2]
        elif tag == "DTP" and qualifier == "472":
            days = seg[3].split("-")
            current["start"], current["end"] = _date(days[0]), _date(days[-1])
        elif tag == "SVC":
            self._close()

    def _close(self) -> None:
        current, self.current = self.current, None
        if current is None:
            return
        try:
            total = parse_dollars(str(current.get("total") or "0"))
        except MoneyError:
            raise Ack277Error(
                f"claim {current['claim_id']}: STC04 is not an amount: {current.get('total')!r}"
            ) from None
        self.acks.append(
            ClaimAck(
                claim_id=str(current["claim_id"]),
                total_charge=total,
                statuses=tuple(current["statuses"]),
                billing_npi=self.provider[0],
                billing_name=self.provider[1],
                patient_last_name=self.patient[0],
                patient_first_name=self.patient[1],
                member_id=self.patient[2],
                service_date=current.get("start"),
                service_date_end=current.get("end"),
                payer_claim_number=str(current.get("1K") or ""),
                message=str(current["message"]),
                status_date=_date(str(current.get("date") or "")),
                type_of_bill=str(current.get("BLT") or ""),
            )
        )


def read_277ca(data: str | bytes) -> list[ClaimAck]:
    """Every claim acknowledged in the 277CA transaction sets of ``data``, in order."""
    transactions = transactions_of(data, "277")
    if not transactions:
        raise Ack277Error("no 277 transaction set found")
    acks: list[ClaimAck] = []
    for transaction in transactions:
        reader = _Reader()
        for segment in transaction.body:
            reader.take(segment)
        reader._close()
        acks += reader.acks
    return acks
