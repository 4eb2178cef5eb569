"""Claim status inquiry and response: 276 reader, 277 (005010X212) writer.

:func:`read_276` gives one :class:`StatusRequest` per claim asked about (loop 2200D or 2200E:
trace number, payer claim number REF*1K, patient control number REF*EJ, charge, dates).
:func:`find_decision` looks the claim up among stored adjudications (payer claim number first,
then patient control number), and :func:`write_277` answers each request with one
:class:`StatusAnswer`:

=====================================  =========================  ========================
what the payer knows                   STC01                      also reported
=====================================  =========================  ========================
nothing                                A4:35 (not found)
accepted, not yet decided              P1:20 (in process)
pended                                 P3:317 (records requested)
paid, payment issued by ``as_of``      F1:65 (paid)               paid, adjudication date,
                                                                  method, check date/number
paid, payment run still to come        F0:3 (awaiting payment)    paid, adjudication date
decided with no payment                F4:1 / F2:1 (denied)       adjudication date
reversed (voided)                      F3:1
=====================================  =========================  ========================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from simulator.models import ClaimAdjudication, ClaimStatus
from simulator.money import MoneyError, parse_dollars
from simulator.x12.envelope import (
    ControlNumbers,
    Party,
    TransactionBody,
    transactions_of,
    write_interchange,
)
from simulator.x12.remit835 import amount
from simulator.x12.segments import Element, Segment

__all__ = [
    "VERSION",
    "StatusAnswer",
    "StatusError",
    "StatusRequest",
    "find_decision",
    "read_276",
    "status_code",
    "write_277",
]

VERSION = "005010X212"


class StatusError(ValueError):
    """A 276 that cannot be read."""


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """One claim a 276 asks about, with who asks and whom it concerns."""

    trace: str
    payer_claim_number: str = ""
    claim_id: str = ""
    charge: int | None = None
    service_date: date | None = None
    service_date_end: date | None = None
    member_id: str = ""
    subscriber_last_name: str = ""
    subscriber_first_name: str = ""
    patient_last_name: str = ""
    patient_first_name: str = ""
    provider_name: str = ""
    provider_npi: str = ""
    payer_name: str = ""
    payer_id: str = ""
    receiver_name: str = ""
    receiver_id: str = ""
    reference: str = ""


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """A request and what the payer found: the latest decision and, when paid, the payment.

    ``in_process`` says that the claim was accepted but is not decided yet (no decision);
    ``charge`` is then the charge of the claim as the payer received it (the 276's own amount is
    reported only for a claim the payer does not know).
    """

    request: StatusRequest
    decision: ClaimAdjudication | None = None
    paid_on: date | None = None
    check_number: str = ""
    method: str = "CHK"
    in_process: bool = False
    charge: int | None = None


def find_decision(request: StatusRequest, decisions: Iterable[ClaimAdjudication]) -> ClaimAdjudication | None:
    """The latest decision matching the payer claim number, else the patient control number."""
    by_number: ClaimAdjudication | None = None
    by_claim: ClaimAdjudication | None = None
    for decision in decisions:
        if request.payer_claim_number and request.payer_claim_number in (
            decision.payer_claim_number,
            decision.reverses,
        ):
            by_number = decision
        if request.claim_id and decision.claim_id == request.claim_id:
            by_claim = decision
    return by_number or by_claim


def status_code(answer: StatusAnswer, as_of: date) -> tuple[str, str]:
    """STC01 category and status codes for an answer on ``as_of``."""
    decision = answer.decision
    if decision is None:
        return ("P1", "20") if answer.in_process else ("A4", "35")
    if decision.status == ClaimStatus.PENDED:
        return ("P3", "317")
    if decision.status == ClaimStatus.REVERSED:
        return ("F3", "1")
    if decision.paid > 0:
        issued = answer.paid_on is not None and answer.paid_on <= as_of
        return ("F1", "65") if issued else ("F0", "3")
    if decision.status == ClaimStatus.DENIED:
        return ("F2", "1")
    return ("F4", "1")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _stc(answer: StatusAnswer, as_of: date) -> tuple[Element, ...]:
    category, code = status_code(answer, as_of)
    decision = answer.decision
    if decision is not None:
        charge = decision.billed
    else:
        charge = answer.charge if answer.charge is not None else answer.request.charge
    elements: list[Element] = ["STC", (category, code), _day(as_of), "", amount(charge or 0)]
    if decision is None or category in ("P1", "P3"):
        return tuple(elements)
    elements += [amount(decision.paid), _day(decision.decided_date)]
    if category == "F1":
        elements += [answer.method, _day(answer.paid_on or as_of), answer.check_number]
    return tuple(elements)


def _provider_id(request: StatusRequest) -> tuple[str, str]:
    return ("XX", request.provider_npi) if request.provider_npi else ("SV", "UNKNOWN")


def _claim_segments(answer: StatusAnswer, hl: int, as_of: date) -> list[tuple[Element, ...]]:
    request = answer.request
    subscriber: tuple[Element, ...] = (
        "NM1", "IL", "1", request.subscriber_last_name or "UNKNOWN", request.subscriber_first_name,
        "", "", "", "MI", request.member_id or "UNKNOWN",
    )  # fmt: skip
    segments: list[tuple[Element, ...]] = [
        ("HL", str(hl), "2", "19", "1"),
        ("NM1", "1P", "2", request.provider_name or "PROVIDER", "", "", "", "", *_provider_id(request)),
    ]
    if request.patient_last_name:
        segments += [("HL", str(hl + 1), str(hl), "22", "1"), subscriber]
        segments += [("HL", str(hl + 2), str(hl + 1), "23")]
        segments += [("NM1", "QC", "1", request.patient_last_name, request.patient_first_name)]
    else:
        segments += [("HL", str(hl + 1), str(hl), "22", "0"), subscriber]
    segments += [("TRN", "2", request.trace), _stc(answer, as_of)]
    decision = answer.decision
    number = decision.payer_claim_number if decision else request.payer_claim_number
    if number:
        segments.append(("REF", "1K", number))
    claim_id = decision.claim_id if decision else request.claim_id
    if claim_id:
        segments.append(("REF", "EJ", claim_id))
    start = request.service_date or (decision.lines[0].service_date if decision and decision.lines else None)
    if start:
        end = request.service_date_end or start
        if end != start:
            segments.append(("DTP", "472", "RD8", f"{_day(start)}-{_day(end)}"))
        else:
            segments.append(("DTP", "472", "D8", _day(start)))
    return segments


def response_segments(
    answers: Sequence[StatusAnswer], *, payer_name: str, payer_id: str, as_of: date, when: datetime
) -> list[tuple[Element, ...]]:
    """The segments of one 277 between ST and SE answering ``answers`` (one requester)."""
    if not answers:
        raise ValueError("a 277 needs at least one claim status")
    first = answers[0].request
    segments: list[tuple[Element, ...]] = [
        ("BHT", "0010", "08", first.reference or "1", when.strftime("%Y%m%d"), when.strftime("%H%M"), "DG"),
        ("HL", "1", "", "20", "1"),
        ("NM1", "PR", "2", payer_name, "", "", "", "", "PI", payer_id),
        ("HL", "2", "1", "21", "1"),
        (
            "NM1",
            "41",
            "2",
            first.receiver_name or "RECEIVER",
            "",
            "",
            "",
            "",
            "46",
            first.receiver_id or "UNKNOWN",
        ),
    ]
    hl = 3
    for answer in answers:
        claim = _claim_segments(answer, hl, as_of)
        segments += claim
        hl += sum(1 for segment in claim if segment[0] == "HL")
    return segments


def write_277(
    answers: Sequence[StatusAnswer],
    *,
    payer_name: str,
    payer_id: str,
    as_of: date,
    sender: Party,
    receiver: Party,
    when: datetime,
    numbers: ControlNumbers,
) -> str:
    """One interchange with one 277 claim status response for ``answers``."""
    segments = response_segments(answers, payer_name=payer_name, payer_id=payer_id, as_of=as_of, when=when)
    body = TransactionBody("277", VERSION, "HN", segments)
    return write_interchange([body], sender=sender, receiver=receiver, when=when, numbers=numbers)


def _parse_day(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


class _Reader276:
    def __init__(self) -> None:
        self.requests: list[StatusRequest] = []
        self.common: dict[str, object] = {}
        self.current: dict[str, object] | None = None
        self.in_service = False

    def take(self, seg: Segment) -> None:
        tag, qualifier = seg.tag, seg[1]
        if tag in ("HL", "TRN"):
            self.close()
        if tag == "BHT":
            self.common["reference"] = seg[3]
        elif tag == "HL" and seg[3] == "22":
            self.common = {k: v for k, v in self.common.items() if not k.startswith(("subscriber", "member"))}
        elif tag == "NM1":
            self._take_name(seg, qualifier)
        elif tag == "TRN":
            self.current = {"trace": seg[2]}
            self.in_service = False
        elif self.current is not None:
            self._take_claim(seg, tag, qualifier)

    def _take_name(self, seg: Segment, qualifier: str) -> None:
        fields = {
            "PR": {"payer_name": seg[3], "payer_id": seg[9]},
            "41": {"receiver_name": seg[3], "receiver_id": seg[9]},
            "1P": {"provider_name": seg[3], "provider_npi": seg[9]},
            "IL": {"subscriber_last_name": seg[3], "subscriber_first_name": seg[4], "member_id": seg[9]},
            "QC": {"patient_last_name": seg[3], "patient_first_name": seg[4]},
        }.get(qualifier, {})
        if qualifier == "IL":
            self.common = {k: v for k, v in self.common.items() if not k.startswith("patient")}
        self.common.update(fields)

    def _take_claim(self, seg: Segment, tag: str, qualifier: str) -> None:
        current = self.current
        assert current is not None
        if tag == "SVC":
            self.in_service = True
        elif tag == "REF" and qualifier == "1K":
            current["payer_claim_number"] = seg[2]
        elif tag == "REF" and qualifier == "EJ":
            current["claim_id"] = seg[2]
        elif tag == "AMT" and qualifier == "T3":
            try:
                current["charge"] = parse_dollars(seg[2])
            except MoneyError as error:
                raise StatusError(f"AMT02 at segment {seg.position}: {error}") from None
        elif tag == "DTP" and qualifier == "472" and not self.in_service:
            days = seg[3].split("-")
            current["service_date"], current["service_date_end"] = _parse_day(days[0]), _parse_day(days[-1])

    def close(self) -> None:
        current, self.current = self.current, None
        if current is not None:
            self.requests.append(StatusRequest(**{**self.common, **current}))


def read_276(data: str | bytes) -> list[StatusRequest]:
    """Every claim asked about in the 276 transaction sets of ``data``."""
    transactions = transactions_of(data, "276")
    if not transactions:
        raise StatusError("no 276 transaction set found")
    requests: list[StatusRequest] = []
    for transaction in transactions:
        reader = _Reader276()
        for segment in transaction.body:
            reader.take(segment)
        reader.close()
        requests += reader.requests
    return requests
