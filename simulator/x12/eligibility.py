"""Eligibility inquiry and response: 270 reader and writer, 271 (005010X279A1) writer.

A 270 asks whether a member is covered on a date; :func:`read_270` gives one
:class:`EligibilityRequest` per subscriber (loop 2000C). The payer answers with a 271 built by
:func:`write_271` from what it knows: the member's :class:`~simulator.models.Coverage` (or None
when it has no such member) and :class:`BenefitFigures` (plan design and accumulators):

* active coverage: ``EB*1**30**{plan}`` (or ``EB*6`` inactive when not in force on the date);
* deductible: ``EB*C*IND*30***23*{amount}`` and ``EB*C*IND*30***29*{remaining}``;
* coinsurance: ``EB*A*IND*30****{rate}``; copay: ``EB*B*IND*98***27*{amount}``;
* out-of-pocket maximum: ``EB*G*IND*30***23*{amount}`` and ``...***29*{remaining}``;
* member not found: ``AAA*Y**75*C`` in loop 2100C and no benefits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from simulator.models import Coverage
from simulator.x12.envelope import (
    ControlNumbers,
    Party,
    TransactionBody,
    transactions_of,
    write_interchange,
)
from simulator.x12.remit835 import amount
from simulator.x12.segments import Element, Segment

if TYPE_CHECKING:
    from payers import PayerLedger, PayerProfile

__all__ = [
    "VERSION",
    "BenefitFigures",
    "EligibilityError",
    "EligibilityRequest",
    "figures_from_payer",
    "read_270",
    "request_for",
    "write_270",
    "write_271",
]

VERSION = "005010X279A1"
_INSURANCE_TYPES = {"medicare": "MB", "medicare_advantage": "MA", "medicaid": "MC", "commercial": "C1"}


class EligibilityError(ValueError):
    """A 270 that cannot be read."""


@dataclass(frozen=True, slots=True)
class EligibilityRequest:
    """One eligibility question: who asks whom about which member on which date."""

    member_id: str
    last_name: str
    first_name: str = ""
    birth_date: date | None = None
    gender: str = ""
    service_date: date | None = None
    service_types: tuple[str, ...] = ("30",)
    trace: str = "1"
    trace_originator: str = "9999999999"
    reference: str = "1"
    payer_name: str = ""
    payer_id: str = ""
    provider_name: str = ""
    provider_npi: str = ""


@dataclass(frozen=True, slots=True)
class BenefitFigures:
    """Plan design and accumulators in cents for one member and plan year, as a 271 reports them."""

    plan_name: str
    payer_type: str = "commercial"
    deductible: int = 0
    deductible_met: int = 0
    coinsurance_percent: Decimal = Decimal(0)
    copay: int | None = None
    out_of_pocket_max: int | None = None
    out_of_pocket_met: int = 0

    @property
    def deductible_remaining(self) -> int:
        """What is left of the deductible, never below zero."""
        return max(self.deductible - self.deductible_met, 0)

    @property
    def out_of_pocket_remaining(self) -> int | None:
        """What is left before the out-of-pocket maximum, or None without a maximum."""
        if self.out_of_pocket_max is None:
            return None
        return max(self.out_of_pocket_max - self.out_of_pocket_met, 0)


def figures_from_payer(
    profile: PayerProfile, ledger: PayerLedger, coverage: Coverage, on: date
) -> BenefitFigures:
    """A member's benefit figures from a payer profile's design and its ledger's accumulators.

    The accumulators are the ledger's (plan, member, calendar year of ``on``) deductible and
    out-of-pocket totals; the copay shown is the profile's first office-visit copay.
    """
    benefits = profile.benefits
    deductible_met, out_of_pocket_met = ledger.accumulator((coverage.plan_id, coverage.member_id, on.year))
    return BenefitFigures(
        plan_name=f"{profile.display_name} {coverage.plan_id}",
        payer_type=str(profile.payer_type),
        deductible=benefits.deductible,
        deductible_met=deductible_met,
        coinsurance_percent=Decimal(benefits.coinsurance_percent),
        copay=benefits.copays[0].amount if benefits.copays else None,
        out_of_pocket_max=benefits.out_of_pocket_max,
        out_of_pocket_met=out_of_pocket_met,
    )


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _parse_day(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def request_for(
    coverage: Coverage, *, service_date: date, provider_name: str, provider_npi: str, trace: str
) -> EligibilityRequest:
    """A 270 question about the subscriber of ``coverage`` on ``service_date``."""
    subscriber = coverage.subscriber
    return EligibilityRequest(
        member_id=coverage.member_id,
        last_name=subscriber.last_name,
        first_name=subscriber.first_name,
        birth_date=subscriber.birth_date,
        gender=subscriber.gender.value,
        service_date=service_date,
        trace=trace,
        payer_id=coverage.payer_id,
        payer_name=coverage.payer_id.upper(),
        provider_name=provider_name,
        provider_npi=provider_npi,
    )


def _source_and_receiver(request: EligibilityRequest, hl_receiver: str) -> list[tuple[Element, ...]]:
    return [
        ("HL", "1", "", "20", "1"),
        (
            "NM1",
            "PR",
            "2",
            request.payer_name or "PAYER",
            "",
            "",
            "",
            "",
            "PI",
            request.payer_id or "UNKNOWN",
        ),
        ("HL", "2", "1", "21", "1"),
        ("NM1", "1P", "2", request.provider_name or "PROVIDER", "", "", "", "", "XX", request.provider_npi),
        ("HL", hl_receiver, "2", "22", "0"),
    ]


def _member_name(request: EligibilityRequest) -> tuple[Element, ...]:
    return ("NM1", "IL", "1", request.last_name, request.first_name, "", "", "", "MI", request.member_id)


def _demographics(request: EligibilityRequest) -> list[tuple[Element, ...]]:
    if request.birth_date is None:
        return []
    gender = request.gender if request.gender in ("F", "M", "U") else ""
    return [("DMG", "D8", _day(request.birth_date), gender)]


def write_270(
    requests: Sequence[EligibilityRequest],
    *,
    sender: Party,
    receiver: Party,
    when: datetime,
    numbers: ControlNumbers,
) -> str:
    """One interchange with a 270 transaction set per request."""
    bodies = []
    for request in requests:
        segments: list[tuple[Element, ...]] = [
            ("BHT", "0022", "13", request.reference, when.strftime("%Y%m%d"), when.strftime("%H%M")),
            *_source_and_receiver(request, "3"),
            ("TRN", "1", request.trace, request.trace_originator),
            _member_name(request),
            *_demographics(request),
        ]
        if request.service_date:
            segments.append(("DTP", "291", "D8", _day(request.service_date)))
        segments += [("EQ", code) for code in request.service_types]
        bodies.append(TransactionBody("270", VERSION, "HS", segments))
    return write_interchange(bodies, sender=sender, receiver=receiver, when=when, numbers=numbers)


def _benefits(coverage: Coverage, figures: BenefitFigures | None, on: date) -> list[tuple[Element, ...]]:
    insurance = _INSURANCE_TYPES.get(figures.payer_type if figures else "commercial", "C1")
    plan = (figures.plan_name if figures else coverage.plan_id)[:50]
    if not coverage.is_active_on(on):
        return [("EB", "6", "", "30", insurance, plan)]
    segments: list[tuple[Element, ...]] = [("EB", "1", "", "30", insurance, plan)]
    if figures is None:
        return segments
    if figures.deductible:
        segments.append(("EB", "C", "IND", "30", "", "", "23", amount(figures.deductible)))
        segments.append(("EB", "C", "IND", "30", "", "", "29", amount(figures.deductible_remaining)))
    if figures.coinsurance_percent:
        rate = (Decimal(figures.coinsurance_percent) / 100).normalize()
        segments.append(("EB", "A", "IND", "30", "", "", "", "", format(rate, "f")))
    if figures.copay is not None:
        segments.append(("EB", "B", "IND", "98", "", "", "27", amount(figures.copay)))
    if figures.out_of_pocket_max is not None:
        remaining = figures.out_of_pocket_remaining or 0
        segments.append(("EB", "G", "IND", "30", "", "", "23", amount(figures.out_of_pocket_max)))
        segments.append(("EB", "G", "IND", "30", "", "", "29", amount(remaining)))
    return segments


def response_segments(
    request: EligibilityRequest,
    coverage: Coverage | None,
    figures: BenefitFigures | None,
    *,
    when: datetime,
    payer_name: str,
    payer_id: str,
) -> list[tuple[Element, ...]]:
    """The segments of one 271 between ST and SE answering ``request``."""
    answered = replace(request, payer_name=payer_name, payer_id=payer_id)
    segments: list[tuple[Element, ...]] = [
        ("BHT", "0022", "11", request.reference, when.strftime("%Y%m%d"), when.strftime("%H%M")),
        *_source_and_receiver(answered, "3"),
        ("TRN", "2", request.trace, request.trace_originator),
    ]
    if coverage is None:
        return [*segments, _member_name(request), ("AAA", "Y", "", "75", "C"), *_demographics(request)]
    subscriber = coverage.subscriber
    found = EligibilityRequest(
        member_id=coverage.member_id,
        last_name=subscriber.last_name,
        first_name=subscriber.first_name,
        birth_date=subscriber.birth_date,
        gender=subscriber.gender.value,
    )
    segments += [_member_name(found), *_demographics(found)]
    segments.append(("DTP", "346", "D8", _day(coverage.effective_date)))
    if coverage.termination_date:
        segments.append(("DTP", "347", "D8", _day(coverage.termination_date)))
    on = request.service_date or when.date()
    return segments + _benefits(coverage, figures, on)


def write_271(
    answers: Sequence[tuple[EligibilityRequest, Coverage | None, BenefitFigures | None]],
    *,
    payer_name: str,
    payer_id: str,
    sender: Party,
    receiver: Party,
    when: datetime,
    numbers: ControlNumbers,
) -> str:
    """One interchange with a 271 per (request, coverage or None, figures or None) answer."""
    bodies = [
        TransactionBody(
            "271",
            VERSION,
            "HB",
            response_segments(
                request, coverage, figures, when=when, payer_name=payer_name, payer_id=payer_id
            ),
        )
        for request, coverage, figures in answers
    ]
    return write_interchange(bodies, sender=sender, receiver=receiver, when=when, numbers=numbers)


class _Reader270:
    def __init__(self) -> None:
        self.requests: list[EligibilityRequest] = []
        self.common: dict[str, object] = {}
        self.current: dict[str, object] | None = None
        self.level = ""

    def take(self, seg: Segment) -> None:
        tag, qualifier = seg.tag, seg[1]
        if tag == "BHT":
            self.common["reference"] = seg[3]
        elif tag == "HL":
            self.level = seg[3]
            if self.level == "22":
                self.close()
                self.current = {}
        elif tag == "NM1" and qualifier == "PR":
            self.common.update(payer_name=seg[3], payer_id=seg[9])
        elif tag == "NM1" and qualifier == "1P":
            self.common.update(provider_name=seg[3], provider_npi=seg[9])
        elif self.current is not None:
            self._take_member(seg)

    def _take_member(self, seg: Segment) -> None:
        current = self.current
        assert current is not None
        tag, qualifier = seg.tag, seg[1]
        if tag == "TRN" and "trace" not in current:
            current.update(trace=seg[2], trace_originator=seg[3])
        elif tag == "NM1" and qualifier in ("IL", "03"):
            names = {"last_name": seg[3], "first_name": seg[4]}
            if qualifier == "IL":
                current.update(member_id=seg[9], **names)
            else:
                current["dependent"] = names
        elif tag == "DMG":
            current.update(birth_date=_parse_day(seg[2]), gender=seg[3])
        elif tag == "DTP" and qualifier == "291":
            current["service_date"] = _parse_day(seg[3].split("-")[0])
        elif tag == "EQ":
            current.setdefault("service_types", [])
            current["service_types"] += [code for code in seg.repeats(1) if code]

    def close(self) -> None:
        current, self.current = self.current, None
        if not current:
            return
        if not current.get("member_id"):
            raise EligibilityError("a 270 subscriber (loop 2100C) has no member id in NM109")
        current.pop("dependent", None)
        current["service_types"] = tuple(current.get("service_types") or ("30",))
        self.requests.append(EligibilityRequest(**{**self.common, **current}))


def read_270(data: str | bytes) -> list[EligibilityRequest]:
    """Every subscriber question in the 270 transaction sets of ``data``."""
    transactions = transactions_of(data, "270")
    if not transactions:
        raise EligibilityError("no 270 transaction set found")
    requests: list[EligibilityRequest] = []
    for transaction in transactions:
        reader = _Reader270()
        for segment in transaction.body:
            reader.take(segment)
        reader.close()
        requests += reader.requests
    return requests
