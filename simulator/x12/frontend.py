"""A payer's front end for incoming 837s: envelope, syntax and business edits.

:func:`receive_837` takes the raw file and the receipt date and never raises:

1. envelope (ISA/IEA): a problem there gives a TA1 that rejects the interchange;
2. syntax and implementation-guide edits per transaction set (:mod:`simulator.x12.syntax837`,
   group and set envelopes): 999 IK3/IK4/IK5/AK9 detail naming the segment, its position in the
   set, its loop and the element in error; a set with errors is rejected (IK5*R);
3. business edits per claim (NPI check digit, ICD-10-CM validity, CLM02 against the line
   charges, dates after the receipt date, missing subscriber or member id, corrections without
   REF*F8, anything else that keeps the claim from being built): a :class:`ClaimRejection` per
   problem, with 277CA category, status and entity codes, gathered per claim in a
   :class:`RejectedClaim`. The 277CA writer turns each rejection into an STC segment:
   ``STC*{category}:{status}:{entity}*...``.

Claims that pass every edit are returned as :class:`~simulator.models.Claim` objects.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from pydantic import ValidationError

from simulator.models import Claim
from simulator.x12.ack999 import GroupAck, SegmentError, TransactionAck, write_999
from simulator.x12.claim837 import INSTITUTIONAL_VERSION, PROFESSIONAL_VERSION
from simulator.x12.claimrules import (
    ICD10_CUTOVER,
    PROCEDURE_CODE,
    TAXONOMY,
    icd10_problem,
    money_or_none,
    npi_problem,
)
from simulator.x12.cleanset import read_clean_set
from simulator.x12.envelope import (
    ControlNumbers,
    FunctionalGroup,
    Interchange,
    Party,
    Transaction,
    read_interchanges,
)
from simulator.x12.loops import Loop, build_837_tree
from simulator.x12.read837 import ClaimLoops, claim_from_loops, claim_loops
from simulator.x12.segments import Segment, X12SyntaxError, parse_date8
from simulator.x12.syntax837 import check_segments, check_structure, loop_ids
from simulator.x12.ta1 import Ta1, write_ta1

__all__ = ["ClaimRejection", "FrontEndResult", "RejectedClaim", "SetSpan", "receive_837"]


@dataclass(frozen=True, slots=True)
class ClaimRejection:
    """One reason a claim is rejected at the front end, in 277CA terms.

    ``category`` is the claim status category code (A3 returned as unprocessable, A6 missing
    information, A7 invalid information, A8 relational field error); ``status`` is the claim
    status code (21 missing or invalid information, 562 NPI, 254/255 diagnosis, 178 charges,
    187/188 dates...); ``entity`` is the entity identifier code the status refers to (85 billing
    provider, 82 rendering provider, DN referring provider, IL subscriber, QC patient, PR payer)
    or ``""``. ``position`` is the segment's 1-based position in the transaction set (ST = 1),
    ``segment`` its tag and ``element`` the element reference (``"NM109"``) where known.
    """

    claim_id: str
    category: str
    status: str
    entity: str
    message: str
    position: int
    segment: str = ""
    element: str = ""

    @property
    def stc01(self) -> tuple[str, ...]:
        """STC01 components: category, status and (when known) entity."""
        return (self.category, self.status, self.entity) if self.entity else (self.category, self.status)


@dataclass(frozen=True, slots=True)
class RejectedClaim:
    """A claim the front end rejected, with what the 277CA needs to identify it.

    ``claim`` is the claim as read when it could be built (None when the 837 data was too broken
    to make a valid :class:`~simulator.models.Claim`); the other fields are read straight from
    the 837 so that even a broken claim can be acknowledged.
    """

    claim_id: str
    rejections: tuple[ClaimRejection, ...]
    claim: Claim | None = None
    total_charge: int | None = None
    billing_npi: str = ""
    billing_name: str = ""
    subscriber_id: str = ""
    subscriber_last_name: str = ""
    subscriber_first_name: str = ""
    payer_id: str = ""
    payer_name: str = ""
    service_date: date | None = None
    service_date_end: date | None = None
    transaction_control: str = ""


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class SetSpan:
    """One accepted 837 transaction set's place in a result: its BHT03 (the submitter's reference,
    which the 277CA answering the set echoes) and where its claims end in ``accepted`` and
    ``rejected``."""

    reference: str
    accepted_end: int
    rejected_end: int


@dataclass(frozen=True, slots=True)
class FrontEndResult:
    """What the front end made of one incoming file.

    ``ta1`` is set when the envelope had a problem (or the sender asked for a TA1); a rejected
    interchange (``ta1.ack_code == "R"``) gets no 999 and no claims. ``acks`` are the 999 group
    acknowledgements and ``ack999`` their X12 text. ``accepted`` are the claims that passed every
    edit; ``rejected`` are the claims refused by business edits (for the 277CA). Claims inside a
    transaction set that the 999 rejected are in neither list: the 999 names their problem.
    ``internal_error`` is set only if the front end itself failed (it then answers with a TA1).
    ``sets`` say which 837 transaction set each claim came from (see :meth:`references`).
    """

    ta1: Ta1 | None
    ta1_text: str | None
    acks: tuple[GroupAck, ...]
    ack999: str | None
    accepted: tuple[Claim, ...]
    rejected: tuple[RejectedClaim, ...]
    sender: Party | None = None
    receiver: Party | None = None
    interchange_control: str = ""
    internal_error: str | None = None
    sets: tuple[SetSpan, ...] = ()

    def references(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The BHT03 of the 837 transaction set of each accepted and of each rejected claim."""
        accepted: list[str] = []
        rejected: list[str] = []
        for span in self.sets:
            accepted += [span.reference] * (span.accepted_end - len(accepted))
            rejected += [span.reference] * (span.rejected_end - len(rejected))
        return tuple(accepted), tuple(rejected)

    @property
    def problems(self) -> list[str]:
        """Every problem found, one readable line each (envelope, syntax, then claims)."""
        lines: list[str] = []
        if self.ta1 is not None and self.ta1.ack_code != "A":
            lines.append(f"TA1 {self.ta1.ack_code} {self.ta1.note_code}: {self.ta1.description}")
        for group in self.acks:
            if group.codes:
                lines.append(
                    f"group {group.control_number}: AK9 {group.status} codes {','.join(group.codes)}"
                )
            for tx in group.transactions:
                if tx.codes:
                    lines.append(f"set {tx.control_number}: IK5 {tx.status} codes {','.join(tx.codes)}")
                for error in tx.errors:
                    lines.append(
                        f"set {tx.control_number}: {error.segment} at {error.position} "
                        f"(loop {error.loop or 'header'}) code {error.code}: {error.message}"
                    )
        for claim in self.rejected:
            for r in claim.rejections:
                lines.append(
                    f"claim {claim.claim_id}: {':'.join(r.stc01)} {r.message} (segment {r.position})"
                )
        return lines


# ---------------------------------------------------------------- business edits

_VERSIONS = (PROFESSIONAL_VERSION, INSTITUTIONAL_VERSION)
_MAX_ERRORS = 200
_TAG = re.compile(r"[^A-Z0-9]")


def _d8(value: str) -> date | None:
    return parse_date8(value)


class _Edits:
    """Collects the rejections of one claim."""

    def __init__(self, claim_id: str, st_position: int) -> None:
        self.claim_id = claim_id
        self.offset = st_position - 1
        self.found: list[ClaimRejection] = []

    def add(
        self, category: str, status: str, entity: str, message: str, seg: Segment, element: str = ""
    ) -> None:
        self.found.append(
            ClaimRejection(
                self.claim_id, category, status, entity, message, seg.position - self.offset, seg.tag, element
            )
        )


def _npi_edit(edits: _Edits, loop: Loop | None, entity: str, what: str, required: bool = False) -> None:
    if loop is None:
        return
    nm1 = loop.first
    if nm1[8] != "XX" or not nm1[9]:
        if required:
            edits.add("A6", "562", entity, f"{what} NPI (NM109 with NM108 XX) is missing", nm1, "NM109")
        return
    problem = npi_problem(nm1[9])
    if problem:
        edits.add("A7", "562", entity, f"{what}: {problem}", nm1, "NM109")


def _provider_edits(edits: _Edits, loops: ClaimLoops) -> None:
    billing = loops.billing.child("2010AA")
    _npi_edit(edits, billing, "85", "billing provider", required=True)
    if billing is not None:
        ref = billing.find("REF", "EI") or billing.find("REF", "SY")
        if ref is None:
            edits.add(
                "A6", "128", "85", "billing provider tax id (REF*EI) is missing", billing.first, "REF02"
            )
        elif not (len(ref[2]) == 9 and ref[2].isdigit()):
            edits.add(
                "A7", "128", "85", f"billing provider tax id {ref[2]!r} is not nine digits", ref, "REF02"
            )
    prv = loops.billing.find("PRV", "BI")
    if prv is not None and not TAXONOMY.fullmatch(prv[3]):
        edits.add("A7", "145", "85", f"billing provider taxonomy {prv[3]!r} is malformed", prv, "PRV03")
    claim = loops.claim
    if loops.institutional:
        _npi_edit(edits, claim.child("2310A"), "71", "attending provider")
        _npi_edit(edits, claim.child("2310D"), "82", "rendering provider")
        _npi_edit(edits, claim.child("2310F"), "DN", "referring provider")
    else:
        _npi_edit(edits, claim.child("2310A"), "DN", "referring provider")
        _npi_edit(edits, claim.child("2310B"), "82", "rendering provider")


def _person_edits(edits: _Edits, loops: ClaimLoops, received: date, first_service: date | None) -> None:
    subscriber = loops.subscriber.child("2010BA")
    clm = loops.claim.first
    if subscriber is None:
        edits.add("A6", "21", "IL", "the subscriber (loop 2010BA, NM1*IL) is missing", clm)
    elif not subscriber.first[9]:
        edits.add("A6", "164", "IL", "the subscriber member id (NM109) is missing", subscriber.first, "NM109")
    payer = loops.subscriber.child("2010BB")
    if payer is None or not payer.first[9]:
        edits.add(
            "A6",
            "21",
            "PR",
            "the payer (loop 2010BB, NM1*PR with an id) is missing",
            payer.first if payer else clm,
        )
    people = [(subscriber, "IL", "subscriber")]
    if loops.patient is not None:
        people.append((loops.patient.child("2010CA"), "QC", "patient"))
    for loop, entity, what in people:
        dmg = loop.find("DMG") if loop is not None else None
        if dmg is None:
            if loop is not None and (entity == "QC" or loops.patient is None):
                edits.add("A6", "158", entity, f"the {what} birth date (DMG) is missing", loop.first)
            continue
        born = _d8(dmg[2])
        if born is None:
            continue
        if born > received:
            edits.add(
                "A7",
                "158",
                entity,
                f"the {what} birth date {born} is after the receipt date {received}",
                dmg,
                "DMG02",
            )
        elif first_service is not None and born > first_service and (entity == "QC" or loops.patient is None):
            edits.add(
                "A8",
                "158",
                entity,
                f"the {what} birth date {born} is after the date of service {first_service}",
                dmg,
                "DMG02",
            )


def _diagnosis_edits(edits: _Edits, claim: Loop, first_service: date | None) -> None:
    for hi in claim.find_all("HI"):
        for index in range(1, len(hi.elements)):
            parts = hi.components(index)
            qualifier = parts[0] if parts else ""
            code = parts[1] if len(parts) > 1 else ""
            principal = qualifier in ("ABK", "BK")
            status = "254" if principal else "255"
            label = "principal diagnosis" if principal else "diagnosis"
            if qualifier in ("ABK", "ABF"):
                problem = icd10_problem(code) if code else "the code is empty"
                if problem:
                    message = (
                        f"{label} {problem}"
                        if problem.startswith("ICD-10-CM")
                        else f"{label} {code!r}: {problem}"
                    )
                    edits.add("A7", status, "", message, hi, f"HI{index:02d}-2")
            elif qualifier in ("BK", "BF") and first_service is not None and first_service >= ICD10_CUTOVER:
                edits.add(
                    "A7",
                    status,
                    "",
                    f"{label} {code!r} is sent as ICD-9 ({qualifier}) for a date of "
                    f"service on or after {ICD10_CUTOVER}",
                    hi,
                    f"HI{index:02d}-1",
                )


def _line_edits(
    edits: _Edits, loops: ClaimLoops, received: date
) -> tuple[int | None, date | None, date | None]:
    service_tag = "SV2" if loops.institutional else "SV1"
    charge_index = 3 if loops.institutional else 2
    total: int | None = 0
    first: date | None = None
    last: date | None = None
    for line in loops.claim.children_of("2400"):
        sv = line.find(service_tag)
        amount = money_or_none(sv[charge_index]) if sv is not None else None
        total = None if amount is None or total is None else total + amount
        if sv is not None:
            procedure = sv.components(2 if loops.institutional else 1)
            code = procedure[1] if len(procedure) > 1 else ""
            if code and not PROCEDURE_CODE.fullmatch(code):
                edits.add(
                    "A7",
                    "454",
                    "",
                    f"procedure code {code!r} is not five letters or digits",
                    sv,
                    f"{service_tag}0{2 if loops.institutional else 1}-2",
                )
        dtp = line.find("DTP", "472")
        if dtp is None:
            continue
        start_text, _, end_text = dtp[3].partition("-")
        start, end = _d8(start_text), _d8(end_text) if end_text else None
        for day in (start, end):
            if day is not None and day > received:
                edits.add(
                    "A7",
                    "187",
                    "",
                    f"date of service {day} is after the receipt date {received}",
                    dtp,
                    "DTP03",
                )
                break
        if start is not None:
            first = start if first is None else min(first, start)
            last = max(last or start, end or start)
    return total, first, last


def _claim_edits(edits: _Edits, loops: ClaimLoops, received: date) -> None:
    clm = loops.claim.first
    total, first, _ = _line_edits(edits, loops, received)
    billed = money_or_none(clm[2])
    if billed is not None and total is not None and billed != total:
        edits.add(
            "A8",
            "178",
            "",
            f"CLM02 total charge {clm[2]} does not equal the sum of the line charges {total / 100:.2f}",
            clm,
            "CLM02",
        )
    frequency = clm.component(5, 3)
    if frequency not in ("1", "7", "8"):
        edits.add(
            "A7", "535", "", f"claim frequency code {frequency!r} (CLM05-3) is not 1, 7 or 8", clm, "CLM05-3"
        )
    elif frequency in ("7", "8") and loops.claim.find("REF", "F8") is None:
        edits.add(
            "A6",
            "464",
            "",
            f"a frequency {frequency} claim needs the payer claim number it corrects (REF*F8)",
            clm,
            "REF02",
        )
    statement = loops.claim.find("DTP", "434")
    if statement is not None:
        end = _d8(statement[3].partition("-")[2] or statement[3])
        if end is not None and end > received:
            edits.add(
                "A7",
                "188",
                "",
                f"statement through date {end} is after the receipt date {received}",
                statement,
                "DTP03",
            )
    _provider_edits(edits, loops)
    _person_edits(edits, loops, received, first)
    _diagnosis_edits(edits, loops.claim, first)


_ENTITY_BY_FIELD = {
    "billing_provider": "85",
    "rendering_provider": "82",
    "referring_provider": "DN",
    "patient": "QC",
    "coverage": "IL",
    "other_payers": "PR",
}


def _build(edits: _Edits, loops: ClaimLoops) -> Claim | None:
    """The claim, or None; a failure is a rejection unless an edit already named a problem."""
    clm = loops.claim.first
    try:
        return claim_from_loops(loops)
    except (ValidationError, ValueError, ArithmeticError):
        if edits.found:
            return None
    try:
        return claim_from_loops(loops)
    except ValidationError as error:
        item = error.errors()[0]
        where = ".".join(str(part) for part in item["loc"]) or "claim"
        entity = _ENTITY_BY_FIELD.get(str(item["loc"][0]) if item["loc"] else "", "")
        edits.add("A7", "21", entity, f"{where}: {item['msg']}", clm)
    except (ValueError, ArithmeticError) as error:
        edits.add("A7", "21", "", str(error), clm)
    return None


def _rejected(
    loops: ClaimLoops, rejections: list[ClaimRejection], claim: Claim | None, tx: Transaction
) -> RejectedClaim:
    billing = loops.billing.child("2010AA")
    subscriber = loops.subscriber.child("2010BA")
    payer = loops.subscriber.child("2010BB")
    dates = [
        _d8(d[3].partition("-")[0])
        for line in loops.claim.children_of("2400")
        for d in line.find_all("DTP", "472")
    ]
    ends = [
        _d8(d[3].partition("-")[2] or d[3])
        for line in loops.claim.children_of("2400")
        for d in line.find_all("DTP", "472")
    ]
    known = [d for d in dates if d is not None]
    known_ends = [d for d in ends if d is not None]
    return RejectedClaim(
        claim_id=loops.claim.first[1],
        rejections=tuple(rejections),
        claim=claim,
        total_charge=money_or_none(loops.claim.first[2]),
        billing_npi=billing.first[9] if billing else "",
        billing_name=billing.first[3] if billing else "",
        subscriber_id=subscriber.first[9] if subscriber else "",
        subscriber_last_name=subscriber.first[3] if subscriber else "",
        subscriber_first_name=subscriber.first[4] if subscriber else "",
        payer_id=payer.first[9] if payer else "",
        payer_name=payer.first[3] if payer else "",
        service_date=min(known) if known else None,
        service_date_end=max(known_ends) if known_ends else None,
        transaction_control=tx.control_number,
    )


# ---------------------------------------------------------------- transaction sets and groups


def _annotate(errors: list[SegmentError], root: Loop, st_position: int) -> tuple[SegmentError, ...]:
    loops = loop_ids(root)
    claim_of: dict[int, str] = {}
    for loop in root.walk():
        if loop.id == "2300":
            claim_id = loop.first[1]
            for inner in loop.walk():
                for seg in inner.segments:
                    claim_of[seg.position] = claim_id
    out = []
    for error in sorted(errors, key=lambda e: e.position)[:_MAX_ERRORS]:
        out.append(
            replace(
                error,
                segment=_TAG.sub("", error.segment.upper())[:3] or "UNK",
                position=max(1, error.position - st_position + 1),
                loop=error.loop or loops.get(error.position, ""),
                claim_id=error.claim_id or claim_of.get(error.position, ""),
            )
        )
    return tuple(out)


def _check_transaction(
    tx: Transaction, group_version: str, seen: set[str], received: date
) -> tuple[TransactionAck, Loop | list[Claim | Segment] | None]:
    """The set's acknowledgement and, when accepted, its claims as read clean or else its loop tree."""
    codes = [problem.code for problem in tx.problems]
    version = tx.st[3] or group_version
    if tx.set_id != "837" or version not in _VERSIONS:
        codes.append("1")
    if tx.control_number in seen:
        codes.append("23")
    seen.add(tx.control_number)
    ack_version = version if version else group_version
    set_id = tx.set_id if tx.set_id.isalnum() and len(tx.set_id) == 3 else "837"
    control = tx.control_number or "0"
    if tx.set_id != "837" or version not in _VERSIONS:
        return TransactionAck(set_id, control, ack_version, "R", tuple(dict.fromkeys(codes))), None
    institutional = version == INSTITUTIONAL_VERSION
    body = tx.body
    if not codes:
        clean = read_clean_set(body, institutional, received)
        if clean is not None:
            return TransactionAck(tx.set_id, tx.control_number, ack_version, "A"), clean
    root = build_837_tree(body, institutional)
    errors = check_segments(body)
    errors += check_structure(root, institutional, body[0] if body else tx.st)
    if errors:
        codes.append("5")
    if codes:
        detail = _annotate(errors, root, tx.st.position)
        return TransactionAck(set_id, control, ack_version, "R", tuple(dict.fromkeys(codes)), detail), None
    return TransactionAck(tx.set_id, tx.control_number, ack_version, "A"), root


def _check_group(
    group: FunctionalGroup,
    received: date,
    accepted: list[Claim],
    rejected: list[RejectedClaim],
    sets: list[SetSpan],
) -> GroupAck:
    codes = [problem.code for problem in group.problems]
    if group.functional_id != "HC":
        codes.append("1")
    elif group.version not in _VERSIONS:
        codes.append("2")
    included = int(group.ge[1]) if group.ge is not None and group.ge[1].isdigit() else None
    control = group.control_number or "0"
    if codes:
        return GroupAck(
            group.functional_id or "HC",
            control,
            group.version or PROFESSIONAL_VERSION,
            included=included,
            codes=tuple(dict.fromkeys(codes)),
            rejected=True,
            received=len(group.transactions),
        )
    acks: list[TransactionAck] = []
    seen: set[str] = set()
    for tx in group.transactions:
        ack, read = _check_transaction(tx, group.version, seen, received)
        acks.append(ack)
        if isinstance(read, Loop):
            _claims(tx, read, received, accepted, rejected)
        elif read is not None:
            _clean_claims(tx, read, received, accepted, rejected)
        if read is not None:
            sets.append(SetSpan(_reference(tx), len(accepted), len(rejected)))
    return GroupAck(group.functional_id, control, group.version, tuple(acks), included)


def _reference(tx: Transaction) -> str:
    """The set's BHT03 (originator application transaction identifier), else its ST02."""
    body = tx.body
    bht = body[0] if body and body[0].tag == "BHT" else None
    return (bht[3] if bht is not None else "") or tx.control_number or "0"


def _claims(
    tx: Transaction, root: Loop, received: date, accepted: list[Claim], rejected: list[RejectedClaim]
) -> None:
    for loops in claim_loops(tx, root):
        _judge(tx, loops, received, accepted, rejected)


def _judge(
    tx: Transaction, loops: ClaimLoops, received: date, accepted: list[Claim], rejected: list[RejectedClaim]
) -> None:
    """Run the business edits on one claim and file it as accepted or rejected."""
    edits = _Edits(loops.claim.first[1], tx.st.position)
    _claim_edits(edits, loops, received)
    claim = _build(edits, loops)
    if edits.found:
        rejected.append(_rejected(loops, edits.found, claim, tx))
    elif claim is not None:
        accepted.append(claim)


def _clean_claims(
    tx: Transaction,
    read: list[Claim | Segment],
    received: date,
    accepted: list[Claim],
    rejected: list[RejectedClaim],
) -> None:
    """File the claims of a set read clean; any claim it handed back is judged from the loop tree."""
    by_position: dict[int, ClaimLoops] | None = None
    for item in read:
        if isinstance(item, Claim):
            accepted.append(item)
            continue
        if by_position is None:
            by_position = {loops.claim.first.position: loops for loops in claim_loops(tx)}
        _judge(tx, by_position[item.position], received, accepted, rejected)


def _ta1_for(interchange: Interchange) -> Ta1 | None:
    isa = interchange.isa
    if interchange.problems:
        problem = interchange.problems[0]
        return Ta1(isa[13], isa[9], isa[10], "R", problem.code, problem.message)
    if isa[14] == "1":
        return Ta1(isa[13], isa[9], isa[10], "A", "000")
    return None


def _receive(
    data: str | bytes, received: date, payer: Party | None, numbers: ControlNumbers, when: datetime
) -> FrontEndResult:
    try:
        interchanges = read_interchanges(data)
    except X12SyntaxError as error:
        ta1 = Ta1(
            "000000000", when.strftime("%y%m%d"), when.strftime("%H%M"), "R", error.ta1_code, str(error)
        )
        sender = payer or Party("PAYERSIM")
        text = write_ta1(ta1, sender=sender, receiver=Party("UNKNOWN"), when=when, numbers=numbers)
        return FrontEndResult(ta1, text, (), None, (), (), sender, Party("UNKNOWN"))
    first = interchanges[0]
    sender = payer or (first.receiver if first.receiver.id else Party("PAYERSIM"))
    receiver = first.sender if first.sender.id else Party("UNKNOWN")
    usage = first.usage if first.usage in ("P", "T") else "P"  # a test 837 gets test acknowledgements
    ta1s: list[Ta1] = []
    acks: list[GroupAck] = []
    accepted: list[Claim] = []
    rejected: list[RejectedClaim] = []
    sets: list[SetSpan] = []
    for interchange in interchanges:
        ta1 = _ta1_for(interchange)
        if ta1 is not None:
            ta1s.append(ta1)
            if ta1.ack_code == "R":
                continue
        for group in interchange.groups:
            acks.append(_check_group(group, received, accepted, rejected, sets))
    ta1_text = None
    if ta1s:
        ta1_text = "".join(
            write_ta1(t, sender=sender, receiver=receiver, when=when, numbers=numbers, usage=usage)
            for t in ta1s
        )
    ack_text = (
        write_999(acks, sender=sender, receiver=receiver, when=when, numbers=numbers, usage=usage)
        if acks
        else None
    )
    rejecting = next((t for t in ta1s if t.ack_code == "R"), ta1s[0] if ta1s else None)
    return FrontEndResult(
        rejecting,
        ta1_text,
        tuple(acks),
        ack_text,
        tuple(accepted),
        tuple(rejected),
        sender,
        receiver,
        first.control_number,
        sets=tuple(sets),
    )


def receive_837(
    data: str | bytes,
    received: date,
    *,
    payer: Party | None = None,
    numbers: ControlNumbers | None = None,
    when: datetime | None = None,
) -> FrontEndResult:
    """Run the front-end edits on an incoming 837 file received on ``received``; never raises.

    ``payer`` is the sender of the acknowledgements (default: the interchange's receiver);
    ``numbers`` their control numbers (a fresh counter by default); ``when`` their date and time
    (default: midnight of ``received``).
    """
    numbers = numbers or ControlNumbers()
    when = when or datetime.combine(received, time(0, 0))
    collecting = gc.isenabled()
    gc.disable()  # the reader makes many small objects and frees none: collection would only cost time
    try:
        return _receive(data, received, payer, numbers, when)
    except Exception as error:  # the last safety net: answer, never crash (internal_error says why)
        ta1 = Ta1(
            "000000000",
            when.strftime("%y%m%d"),
            when.strftime("%H%M"),
            "R",
            "024",
            f"the file could not be processed: {error!r}",
        )
        sender = payer or Party("PAYERSIM")
        text = write_ta1(ta1, sender=sender, receiver=Party("UNKNOWN"), when=when, numbers=numbers)
        return FrontEndResult(
            ta1, text, (), None, (), (), sender, Party("UNKNOWN"), internal_error=repr(error)
        )
    finally:
        if collecting:
            gc.enable()
