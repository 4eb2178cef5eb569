"""Where the server meets the X12 codec: reading what partners send, writing what they get.

The codec (:mod:`simulator.x12`) knows X12; the service knows partners, payers and time. This
module joins them: it peeks at an interchange's ISA to check the partner (sender, receiver,
test or production) before anything else, runs the front end on 837s, answers 270s and 276s,
and writes 277CAs and 835s with the partner's own persisted control numbers.

Outgoing files are dated with the simulated date (time 09:00), never the wall clock.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from simulator.models import Claim, ClaimAdjudication
from simulator.server.config import PartnerConfig

if TYPE_CHECKING:
    from simulator.server.service import FakePayerService, PayerRuntime

__all__ = [
    "EnvelopeIssue",
    "FrontEndResult",
    "IsaHeader",
    "envelope_problem",
    "functional_kind",
    "peek_isa",
    "write_835",
]

_FILING_INDICATOR = {"medicare": "MB", "medicare_advantage": "16", "medicaid": "MC", "commercial": "12"}


@dataclass(frozen=True)
class IsaHeader:
    """The ISA elements the server checks before reading anything else."""

    sender_qualifier: str
    sender: str
    receiver_qualifier: str
    receiver: str
    control: str
    usage: str
    element: str
    date: str
    time: str


@dataclass(frozen=True)
class EnvelopeIssue:
    """Why an interchange is refused at the envelope: a TA1 note code and a message."""

    note_code: str
    message: str


@dataclass
class FrontEndResult:
    """What the front end made of an 837: the answer (TA1 or 999) and the claims it let through."""

    kind: str
    response: str
    accepted: list[Claim] = field(default_factory=list)
    rejected: list[Any] = field(default_factory=list)
    problem: str | None = None
    references: list[str] = field(default_factory=list)
    """The BHT03 of the 837 transaction set of each accepted, then each rejected claim."""


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return text.lstrip("\ufeff").lstrip()


def peek_isa(raw: bytes | str) -> IsaHeader | None:
    """The ISA header of ``raw``, or None when it does not start with a readable ISA."""
    text = _text(raw)
    if len(text) < 106 or not text.startswith("ISA"):
        return None
    separator = text[3]
    parts = text[:106].split(separator)
    if len(parts) < 17:
        return None
    return IsaHeader(
        sender_qualifier=parts[5].strip(),
        sender=parts[6].strip(),
        receiver_qualifier=parts[7].strip(),
        receiver=parts[8].strip(),
        control=parts[13].strip(),
        usage=parts[15].strip(),
        element=separator,
        date=parts[9],
        time=parts[10],
    )


def envelope_problem(
    header: IsaHeader | None, partner: PartnerConfig, receiver_id: str
) -> EnvelopeIssue | None:
    """Why the interchange is refused for this partner (TA1 note code), or None when it is not."""
    if header is None:
        return EnvelopeIssue("024", "the body does not start with a 106-character ISA segment")
    if header.sender != partner.submitter_id:
        return EnvelopeIssue(
            "006",
            f"ISA06 sender {header.sender!r} is not partner {partner.partner_id}'s"
            f" id {partner.submitter_id!r}",
        )
    if header.receiver != receiver_id:
        return EnvelopeIssue(
            "008", f"ISA08 receiver {header.receiver!r} is not this payer's id {receiver_id!r}"
        )
    if header.usage != partner.usage:
        return EnvelopeIssue(
            "020",
            f"ISA15 is {header.usage!r} but partner {partner.partner_id} is set up for {partner.usage!r}",
        )
    if not header.control.isdigit() or len(header.control) != 9:
        return EnvelopeIssue("018", f"ISA13 control number {header.control!r} is not 9 digits")
    return None


def functional_kind(raw: bytes | str) -> str:
    """``"270"``, ``"276"`` or ``"837"`` from the first GS01 (anything else is treated as 837)."""
    text = _text(raw)
    separator = text[3] if len(text) > 3 else "*"
    at = text.find(f"GS{separator}", 100)
    code = text[at + 3 : at + 5] if at >= 0 else ""
    return {"HS": "270", "HR": "276"}.get(code, "837")


def with_usage(text: str, usage: str) -> str:
    """``text`` with ISA15 of each of its interchanges set to ``usage`` (for writers without it)."""
    pieces: list[str] = []
    rest = text
    while rest.startswith("ISA") and len(rest) >= 106:
        separator, terminator = rest[3], rest[105]
        parts = rest[:105].split(separator)
        if len(parts) != 17:
            break
        parts[15] = usage
        trailer = rest.find(f"IEA{separator}")
        end = rest.find(terminator, trailer) + 1 if trailer >= 0 else 0
        end = end or len(rest)
        pieces.append(separator.join(parts) + rest[105:end])
        rest = rest[end:]
    return "".join(pieces) + rest


def _when(day: date) -> datetime:
    return datetime.combine(day, time(9, 0))


def _numbers(service: FakePayerService, partner: PartnerConfig, count: int = 1) -> Any:
    from simulator.x12.envelope import ControlNumbers

    return ControlNumbers(start=service.store.next_control_number(partner.partner_id, "interchange", count))


def _parties(service: FakePayerService, partner: PartnerConfig) -> tuple[Any, Any]:
    from simulator.x12.envelope import Party

    return Party(service.config.receiver_id), Party(partner.submitter_id)


def write_835(
    service: FakePayerService,
    partner: PartnerConfig,
    runtime: PayerRuntime,
    pairs: list[tuple[Claim, ClaimAdjudication]],
    day: date,
) -> str:
    """One 835 interchange paying ``pairs`` (claim, decision) on ``day``: one payment per payee.

    A balance a payment forwards (PLB FB, when reversals exceed the new money) is kept in the
    store and taken back from the payee's next payment by this payer (call inside a transaction).
    """
    from simulator.x12.remit835 import write_835 as write
    from simulator.x12.remittance import Payer as RemitPayer
    from simulator.x12.remittance import PaymentNumbers, build_payments, forwarded_balances, remit_claim

    profile = runtime.profile
    payer = RemitPayer(
        name=profile.display_name[:60],
        payer_id=profile.x12_payer_id,
        claim_filing_indicator=_FILING_INDICATOR.get(profile.payer_type, "12"),
    )
    claims = [remit_claim(entry, claim) for claim, entry in pairs]
    payees = len({c.payee.key for c in claims})
    first = service.store.next_control_number(runtime.name, "trace", count=max(payees, 1))
    numbers = PaymentNumbers(start=first, prefix=profile.claim_number_prefix, width=10)
    key = f"forwarded_balances:{partner.partner_id}:{runtime.name}"
    owed = _balances_from_text(service.store.get_meta(key))
    payments = build_payments(claims, payer=payer, payment_date=day, numbers=numbers, recoupments=owed)
    still_owed = forwarded_balances(payments, owed)
    if still_owed != owed:
        service.store.set_meta(key, _balances_text(still_owed))
    sender, receiver = _parties(service, partner)
    return write(
        payments,
        sender=sender,
        receiver=receiver,
        when=_when(day),
        numbers=_numbers(service, partner),
        usage=partner.usage,
    )


def _balances_from_text(text: str | None) -> dict[str, tuple[Any, ...]]:
    """Balances forwarded by earlier 835s (PLB FB to take back), by payee key, as stored."""
    from simulator.x12.remittance import ProviderAdjustment

    if not text:
        return {}
    return {
        payee: tuple(ProviderAdjustment(reason=r, reference=ref, amount=cents) for r, ref, cents in due)
        for payee, due in json.loads(text).items()
    }


def _balances_text(balances: dict[str, tuple[Any, ...]]) -> str:
    """The balances still owed, as JSON for the store's meta table (sorted: the same state, the same text)."""
    rows = {payee: [[a.reason, a.reference, a.amount] for a in due] for payee, due in balances.items()}
    return json.dumps(rows, sort_keys=True)


def route_rejection(claim: Claim, message: str, transaction_control: str = "") -> Any:
    """A front-end rejection (A3, wrong payer, entity PR) for a claim the server cannot route."""
    from simulator.x12.frontend import ClaimRejection, RejectedClaim

    rejection = ClaimRejection(claim.claim_id, "A3", "116", "PR", message, 0, "NM1", "NM109")
    return RejectedClaim(
        claim_id=claim.claim_id,
        rejections=(rejection,),
        claim=claim,
        total_charge=claim.total_charge,
        billing_npi=claim.billing_provider.npi,
        billing_name=claim.billing_provider.name,
        subscriber_id=claim.coverage.member_id,
        subscriber_last_name=claim.coverage.subscriber.last_name,
        subscriber_first_name=claim.coverage.subscriber.first_name,
        payer_id=claim.coverage.payer_id,
        service_date=claim.first_service_date,
        service_date_end=claim.last_service_date,
        transaction_control=transaction_control,
    )


def write_277ca(
    service: FakePayerService,
    partner: PartnerConfig,
    accepted: list[Claim],
    rejected: list[Any],
    day: date,
    references: Sequence[str] = (),
) -> str | None:
    """One interchange acknowledging every claim of a submission: a 277CA per payer reached and
    per 837 transaction set answered (``references``: each claim's BHT03, accepted then rejected)."""
    from simulator.x12.ack277ca import VERSION, AckParties, accepted_ack, rejected_ack, transaction_segments
    from simulator.x12.envelope import TransactionBody, write_interchange

    count = len(accepted) + len(rejected)
    batches = iter(references if len(references) == count else [""] * count)
    by_payer: dict[tuple[str, str], list[Any]] = {}
    for claim in accepted:
        runtime = service.payer_for(claim.coverage.payer_id)
        by_payer.setdefault((runtime.name if runtime else "", next(batches)), []).append(accepted_ack(claim))
    for item in rejected:
        runtime = service.payer_for(item.payer_id or (item.claim.coverage.payer_id if item.claim else ""))
        by_payer.setdefault((runtime.name if runtime else "", next(batches)), []).append(rejected_ack(item))
    if not by_payer:
        return None
    trace = service.store.next_control_number(partner.partner_id, "277CA")
    bodies = []
    for name, batch in sorted(by_payer):
        runtime = service.payers.get(name)
        payer_name = runtime.profile.display_name if runtime else "PAYERSIM FRONT END"
        payer_id = runtime.profile.x12_payer_id if runtime else service.config.receiver_id
        parties = AckParties(
            payer_name=payer_name[:60],
            payer_id=payer_id,
            receiver_name=partner.partner_id.upper(),
            receiver_id=partner.submitter_id,
            trace=f"{trace}",
            reference=f"{trace}",
            batch=batch,
        )
        segments = transaction_segments(
            by_payer[(name, batch)], parties, received=day, processed=day, when=_when(day)
        )
        bodies.append(TransactionBody("277", VERSION, "HN", segments))
    sender, receiver = _parties(service, partner)
    return write_interchange(
        bodies,
        sender=sender,
        receiver=receiver,
        when=_when(day),
        numbers=_numbers(service, partner),
        usage=partner.usage,
    )


def write_ta1(
    service: FakePayerService, partner: PartnerConfig, header: IsaHeader, issue: EnvelopeIssue, day: date
) -> str:
    """A TA1 rejecting the interchange ``header`` opens, with ``issue``'s note code."""
    from simulator.x12.envelope import Party
    from simulator.x12.ta1 import Ta1
    from simulator.x12.ta1 import write_ta1 as write

    ta1 = Ta1(header.control, header.date, header.time, "R", issue.note_code, issue.message)
    return write(
        ta1,
        sender=Party(service.config.receiver_id),
        receiver=Party(header.sender or partner.submitter_id, header.sender_qualifier or "ZZ"),
        when=_when(day),
        numbers=_numbers(service, partner),
        usage=partner.usage,
    )


def _coverage_for(service: FakePayerService, runtime: PayerRuntime, request: Any, on: date) -> Any:
    """The coverage a 271 reports: the payer's roster, else (off-roster payers) the request itself."""
    from simulator.models import Coverage, Subscriber
    from simulator.server.triggers import find_trigger

    trigger = find_trigger(request.member_id)
    if trigger is not None and trigger.outcome == "inactive":
        return None
    roster = [c for c in runtime.ledger.roster.get(request.member_id, ()) if c.is_active_on(on)]
    if roster:
        return roster[-1]
    strict = runtime.at(on).profile.eligibility.strict_roster
    if strict or request.birth_date is None or not request.last_name:
        return None
    subscriber = Subscriber(
        member_id=request.member_id,
        first_name=request.first_name or "UNKNOWN",
        last_name=request.last_name,
        birth_date=request.birth_date,
        gender=request.gender if request.gender in ("F", "M", "U") else "U",
    )
    return Coverage(
        payer_id=runtime.name,
        plan_id=runtime.profile.payer_type.upper(),
        member_id=request.member_id,
        effective_date=date(on.year, 1, 1),
        subscriber=subscriber,
    )


def _figures(runtime: PayerRuntime, coverage: Any, on: date) -> Any:
    from simulator.x12.eligibility import BenefitFigures

    profile = runtime.at(on).profile
    benefits = profile.benefits
    deductible_met, out_of_pocket_met = runtime.ledger.accumulator(
        (coverage.plan_id, coverage.member_id, on.year)
    )
    return BenefitFigures(
        plan_name=profile.display_name[:50],
        payer_type=profile.payer_type,
        deductible=benefits.deductible,
        deductible_met=deductible_met,
        coinsurance_percent=benefits.coinsurance_percent,
        out_of_pocket_max=benefits.out_of_pocket_max,
        out_of_pocket_met=out_of_pocket_met,
    )


def answer_270(service: FakePayerService, partner: PartnerConfig, raw: bytes, day: date) -> str:
    """A 271 per question in the 270 ``raw``: coverage and benefits, or not found (AAA 75)."""
    from simulator.x12.eligibility import read_270, write_271

    requests = read_270(raw)
    sender, receiver = _parties(service, partner)
    first = service.payer_for(requests[0].payer_id) if requests else None
    answers = []
    for request in requests:
        runtime = service.payer_for(request.payer_id)
        if runtime is None or runtime.name not in partner.payers:
            answers.append((request, None, None))
            continue
        on = request.service_date or day
        coverage = _coverage_for(service, runtime, request, on)
        answers.append((request, coverage, _figures(runtime, coverage, on) if coverage else None))
    return with_usage(
        write_271(
            answers,
            payer_name=(first.profile.display_name if first else "PAYERSIM")[:60],
            payer_id=first.profile.x12_payer_id if first else service.config.receiver_id,
            sender=sender,
            receiver=receiver,
            when=_when(day),
            numbers=_numbers(service, partner),
        ),
        partner.usage,
    )


def _decisions_for(service: FakePayerService, partner: PartnerConfig, request: Any) -> list[tuple[Any, Any]]:
    """(decision, payment row) pairs of the partner's claim the 276 request names, oldest first."""
    rows = service.store.rows(
        "SELECT a.entry_json, a.payment_date, a.remit_file FROM adjudications a JOIN claims c"
        " ON c.claim_key = a.claim_key"
        " WHERE c.partner_id = ? AND (c.claim_id = ? OR c.payer_claim_number = ?)"
        " ORDER BY a.entry_id",
        (partner.partner_id, request.claim_id or "\x00", request.payer_claim_number or "\x00"),
    )
    return [(ClaimAdjudication.model_validate_json(r["entry_json"]), r) for r in rows]


def _awaiting_decision(service: FakePayerService, partner: PartnerConfig, request: Any) -> int | None:
    """The charge of the partner's latest accepted claim the 276 ``request`` names that is not
    decided yet; None when there is none."""
    if not request.claim_id:
        return None
    row = service.store.row(
        "SELECT b.claim_json FROM claims c JOIN claim_bodies b ON b.claim_key = c.claim_key"
        " WHERE c.partner_id = ? AND c.claim_id = ? AND c.state = 'accepted' ORDER BY c.claim_key DESC",
        (partner.partner_id, request.claim_id),
    )
    return None if row is None else Claim.model_validate_json(row["claim_json"]).total_charge


def answer_276(service: FakePayerService, partner: PartnerConfig, raw: bytes, day: date) -> str:
    """A 277 answering each claim the 276 ``raw`` asks about, from the partner's own claims."""
    from simulator.x12.status import StatusAnswer, find_decision, read_276, write_277

    answers = []
    for request in read_276(raw):
        pairs = _decisions_for(service, partner, request)
        decision = find_decision(request, [d for d, _ in pairs])
        paid_on = None
        for entry, row in pairs:
            if entry is decision and row["remit_file"] and row["payment_date"]:
                paid_on = date.fromisoformat(row["payment_date"])
        charge = _awaiting_decision(service, partner, request) if decision is None else None
        answers.append(
            StatusAnswer(
                request=request,
                decision=decision,
                paid_on=paid_on,
                in_process=charge is not None,
                charge=charge,
            )
        )
    first = service.payer_for(answers[0].request.payer_id) if answers else None
    sender, receiver = _parties(service, partner)
    return with_usage(
        write_277(
            answers,
            payer_name=(first.profile.display_name if first else "PAYERSIM")[:60],
            payer_id=first.profile.x12_payer_id if first else service.config.receiver_id,
            as_of=day,
            sender=sender,
            receiver=receiver,
            when=_when(day),
            numbers=_numbers(service, partner),
        ),
        partner.usage,
    )


def front_end(service: FakePayerService, partner: PartnerConfig, raw: bytes, day: date) -> FrontEndResult:
    """The front end's answer to an 837 and the claims it accepts (unroutable claims are rejected)."""
    from simulator.x12.envelope import Party
    from simulator.x12.frontend import receive_837

    result = receive_837(
        raw,
        day,
        payer=Party(service.config.receiver_id),
        numbers=_numbers(service, partner, 2),
        when=_when(day),
    )
    problem = "; ".join(result.problems[:5]) or None
    if result.ack999 is None or (result.ta1 is not None and result.ta1.ack_code == "R"):
        text = with_usage(result.ta1_text or "", partner.usage)
        return FrontEndResult("TA1", text, problem=problem or result.internal_error or "interchange rejected")
    accepted: list[Claim] = []
    rejected: list[Any] = list(result.rejected)
    accepted_from, rejected_from = result.references()
    references = ([], list(rejected_from))
    for claim, reference in zip(result.accepted, accepted_from or [""] * len(result.accepted), strict=True):
        reason = service.route_problem(partner, claim)
        if reason is None:
            accepted.append(claim)
            references[0].append(reference)
        else:
            rejected.append(route_rejection(claim, reason))
            references[1].append(reference)
    response = with_usage((result.ta1_text or "") + result.ack999, partner.usage)
    return FrontEndResult("999", response, accepted, rejected, problem, references[0] + references[1])
