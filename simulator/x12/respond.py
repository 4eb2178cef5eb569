"""What a payer sends back for an incoming 837: TA1, 999, 277CA and 835.

:func:`respond` runs an 837 interchange through the payer's front end
(:mod:`simulator.x12.frontend`), adjudicates the accepted claims with a payer profile
(:class:`payers.Payer`, a fresh :class:`payers.PayerLedger`, no randomness), and writes the
answers in the order they would arrive:

- ``01-ta1.x12`` when the envelope had a problem (a rejected interchange stops there);
- ``02-999.x12``, the implementation acknowledgement;
- ``03-277ca.x12``, claim by claim: accepted (with the payer claim number) or rejected;
- ``04-835.x12``, the remittance for the decided claims: one payment per payee per payment
  run (the profile's payment calendar), check numbers from a counter starting at 1.

Everything is dated from the 837's own interchange date (or ``received``), never the clock, so
the same file always gives the same answers.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path

from payers import Payer, PayerLedger, PayerProfile
from simulator.errors import UserError
from simulator.models import Claim, ClaimAdjudication, ClaimStatus
from simulator.x12 import frontend
from simulator.x12.ack277ca import (
    AckParties,
    ClaimAck,
    accepted_ack,
    by_reference,
    rejected_ack,
    write_277ca_sets,
)
from simulator.x12.ack999 import GroupAck
from simulator.x12.envelope import ControlNumbers, Party, read_interchange
from simulator.x12.remit835 import write_835
from simulator.x12.remittance import Payer as RemitPayer
from simulator.x12.remittance import (
    Payment,
    PaymentNumbers,
    ProviderAdjustment,
    RemitClaim,
    build_payments,
    forwarded_balances,
    remit_claim,
)
from simulator.x12.segments import X12SyntaxError

__all__ = ["FILE_NAMES", "Response", "ResponseFile", "remit_payer", "respond", "respond_to", "write_files"]

FILE_NAMES = {"ta1": "01-ta1.x12", "999": "02-999.x12", "277ca": "03-277ca.x12", "835": "04-835.x12"}
_PENDED = ClaimStatus.PENDED  # a module name: looking an enum member up costs more, once per claim
_FILING_INDICATORS = {"medicare": "MB", "medicare_advantage": "16", "medicaid": "MC", "commercial": "12"}


@dataclass(frozen=True, slots=True)
class ResponseFile:
    """One file of the answer: its name, what it is, and its X12 text."""

    name: str
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Response:
    """Everything the payer sends back for one 837, with counts for a summary."""

    files: tuple[ResponseFile, ...]
    accepted: int
    rejected: int
    entries: tuple[ClaimAdjudication, ...]
    payments: tuple[Payment, ...]
    notes: tuple[str, ...] = ()


def _interchange_facts(data: str | bytes) -> tuple[date | None, str, str]:
    """ISA09 as a date, ISA15, and why the interchange cannot be read ("" when it can)."""
    try:
        interchange = read_interchange(data)
    except (X12SyntaxError, IndexError) as error:
        return None, "P", str(error) or "no ISA segment"
    usage = interchange.usage if interchange.usage in ("P", "T") else "P"
    return interchange.date, usage, ""


def respond(data: str | bytes, profile: PayerProfile, *, received: date | None = None) -> Response:
    """The payer's answers to an 837 interchange (``data``), adjudicated with ``profile``."""
    interchange_date, usage, unreadable = _interchange_facts(data)
    day = received or interchange_date
    if day is None:
        if unreadable:
            raise UserError(f"not an X12 interchange: {unreadable}")
        raise UserError("the interchange date (ISA09) cannot be read: give the received date with --received")
    numbers = ControlNumbers()
    result = frontend.receive_837(data, day, numbers=numbers)
    return respond_to(result, profile, received=day, usage=usage, numbers=numbers)


def remit_payer(profile: PayerProfile) -> RemitPayer:
    """The payer as its 835s name it: display name, X12 payer id, a tax id derived from its name."""
    tin = f"{zlib.crc32(profile.name.encode()) % 1_000_000_000:09d}"
    return RemitPayer(
        name=profile.display_name.upper()[:60],
        payer_id=profile.x12_payer_id,
        tin=tin,
        claim_filing_indicator=_FILING_INDICATORS.get(str(profile.payer_type), "ZZ"),
    )


def _adjudicate(
    payer: Payer, claims: Sequence[Claim], received: date
) -> list[tuple[Claim, list[ClaimAdjudication]]]:
    ledger = PayerLedger()
    decided: list[tuple[Claim, list[ClaimAdjudication]]] = []
    for claim in claims:
        try:
            entries = payer.adjudicate(claim, received=received, ledger=ledger, rng=None)
        except ValueError as error:
            raise UserError(f"claim {claim.claim_id}: the payer could not adjudicate it: {error}") from None
        decided.append((claim, entries))
    return decided


def _acks_and_remittances(
    payer: Payer,
    result: frontend.FrontEndResult,
    decided: list[tuple[Claim, list[ClaimAdjudication]]],
    received: date,
) -> tuple[list[ClaimAck], dict[date, list[RemitClaim]]]:
    """The 277CA acknowledgements and the remittance claims by payment date (pended ones wait).

    One pass over the decided claims makes both, so that each claim is read once, while it is at
    hand.
    """
    acks: list[ClaimAck] = []
    by_date: dict[date, list[RemitClaim]] = {}
    run_of: dict[date, date] = {}  # decision date -> payment run: a batch has few decision dates
    for claim, entries in decided:
        acks.append(accepted_ack(claim, entries[-1].payer_claim_number if entries else ""))
        for entry in entries:
            if entry.status == _PENDED:
                continue
            paid_on = run_of.get(entry.decided_date)
            if paid_on is None:
                paid_on = run_of[entry.decided_date] = payer.payment_date(entry.decided_date, received)
            by_date.setdefault(paid_on, []).append(remit_claim(entry, claim))
    acks += [rejected_ack(rejected) for rejected in result.rejected]
    return acks, by_date


def _payments(payer: Payer, by_date: dict[date, list[RemitClaim]]) -> list[Payment]:
    """One payment per payee per payment run, in date order, check numbers from 1; a balance one run
    forwards (PLB FB) is taken back from the payee's next payment."""
    numbers = PaymentNumbers()
    payee_payer = remit_payer(payer.profile)
    payments: list[Payment] = []
    owed: dict[str, tuple[ProviderAdjustment, ...]] = {}  # balances forwarded, taken back next run
    for paid_on in sorted(by_date):
        run = build_payments(
            by_date[paid_on], payer=payee_payer, payment_date=paid_on, numbers=numbers, recoupments=owed
        )
        owed = forwarded_balances(run, owed)
        payments += run
    return payments


_GROUP_REASONS = {
    "1": "not a group of claims (GS01 must be HC for an 837)",
    "2": "a version other than 005010X222A1 (837P) or 005010X223A2 (837I)",
    "3": "no GE trailer",
    "4": "GE02 does not match GS06",
    "5": "GE01 does not count the sets the group holds",
}
_SET_REASONS = {
    "1": "not an 837 of a version this payer reads",
    "2": "no SE trailer",
    "3": "SE02 does not match ST02",
    "4": "SE01 does not count the set's segments",
    "5": "segments in error (the 999 names each)",
    "7": "no ST02 control number",
    "23": "its control number repeats an earlier set's",
}
_MOST_NOTED = 10


def _rejections(groups: Sequence[GroupAck]) -> list[str]:
    """A note for each group and set the 999 rejects, with its reasons (the first ten, then a count)."""
    notes = []
    for group in groups:
        if group.status == "R" and group.codes:
            reasons = "; ".join(_GROUP_REASONS.get(code, f"code {code}") for code in group.codes)
            notes.append(
                f"the 999 rejects functional group {group.control_number} ({group.functional_id}): {reasons}"
            )
        for tx in group.transactions:
            if tx.status == "R":
                reasons = "; ".join(_SET_REASONS.get(code, f"code {code}") for code in tx.codes)
                notes.append(f"the 999 rejects transaction set {tx.control_number} ({tx.set_id}): {reasons}")
    if len(notes) > _MOST_NOTED:
        notes[_MOST_NOTED:] = [f"and {len(notes) - _MOST_NOTED} more rejections in the 999"]
    return notes


def respond_to(
    result: frontend.FrontEndResult,
    profile: PayerProfile,
    *,
    received: date,
    usage: str = "P",
    numbers: ControlNumbers | None = None,
) -> Response:
    """The answers for a front-end result: TA1 and 999 as given, then the 277CA and the 835.

    ``numbers`` should be the counter the front end used, so that control numbers keep rising.
    """
    files: list[ResponseFile] = []
    notes: list[str] = []
    if result.ta1_text:
        files.append(ResponseFile(FILE_NAMES["ta1"], "TA1", result.ta1_text))
    if result.internal_error:
        notes.append(f"the front end failed on this file: {result.internal_error}")
    if result.ta1 is not None and result.ta1.ack_code == "R":
        notes.append(f"interchange rejected: {result.ta1.description}")
        return Response(tuple(files), 0, 0, (), (), tuple(notes))
    if result.ack999:
        files.append(ResponseFile(FILE_NAMES["999"], "999", result.ack999))
    notes.extend(_rejections(result.acks))
    payer = Payer(profile)
    decided = _adjudicate(payer, result.accepted, received)
    us = result.sender or Party(profile.x12_payer_id)  # the front end's sender is the payer answering
    them = result.receiver or Party("SUBMITTER")
    when = datetime.combine(received, time(0, 0))
    numbers = numbers or ControlNumbers()
    acks, remittances = _acks_and_remittances(payer, result, decided, received)
    payments = _payments(payer, remittances)  # grouped now, while the remittance claims are at hand
    if acks:
        parties = AckParties(
            profile.display_name.upper()[:60], profile.x12_payer_id, them.id, them.id,
            trace=result.interchange_control or "1", reference=result.interchange_control or "1",
        )  # fmt: skip
        accepted_from, rejected_from = result.references()
        answers = [
            (replace(parties, batch=reference), members)
            for reference, members in by_reference(acks, accepted_from + rejected_from).items()
        ]
        text = write_277ca_sets(
            answers, received=received, processed=received,
            sender=us, receiver=them, when=when, numbers=numbers, usage=usage,
        )  # fmt: skip
        files.append(ResponseFile(FILE_NAMES["277ca"], "277CA", text))
    else:
        notes.append("no 277CA: no claim reached the claim edits")
    if payments:
        paid_when = datetime.combine(payments[0].payment_date, time(0, 0))
        text = write_835(payments, sender=us, receiver=them, when=paid_when, numbers=numbers, usage=usage)
        files.append(ResponseFile(FILE_NAMES["835"], "835", text))
    else:
        notes.append("no 835: no claim was decided")
    entries = tuple(entry for _, found in decided for entry in found)
    return Response(
        tuple(files), len(result.accepted), len(result.rejected), entries, tuple(payments), tuple(notes)
    )


def write_files(response: Response, out_dir: Path) -> list[Path]:
    """Write the response files into ``out_dir`` (created when missing), removing stale ones; return paths."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for item in response.files:
            path = out_dir / item.name
            path.write_text(item.text, encoding="utf-8")
            written.append(path)
        for stale in sorted(set(FILE_NAMES.values()) - {item.name for item in response.files}):
            (out_dir / stale).unlink(missing_ok=True)
    except OSError as error:
        raise UserError(f"cannot write the responses to {out_dir}: {error.strerror or error}") from None
    return written
