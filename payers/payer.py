"""A payer: a profile with its tables loaded, adjudicating claims against its ledger.

:class:`Payer` is the contract the simulation, the server and the X12 tools use: adjudicate a
claim (with corrections and voids), take documentation for a pended claim, decide appeals,
and say when decisions and payments happen. It keeps no state of its own: the ledger does.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from payers import appeals
from payers.ledger import DecisionRecord, PayerLedger
from payers.pipeline import finish, run_steps
from payers.profile import PayerProfile
from payers.rules import plan
from payers.tables import Tables, load_tables
from payers.work import ClaimWork
from simulator.codes import is_billable_icd10
from simulator.models import (
    Adjustment,
    Appeal,
    AppealDecision,
    Claim,
    ClaimAdjudication,
    ClaimStatus,
    DocumentationResponse,
    Frequency,
)

__all__ = ["Payer", "PayerError"]

STREAM = "payer_decisions"


class PayerError(ValueError):
    """A request the payer cannot act on (an unknown claim number, an appeal level that does not exist)."""


@cache
def _tables(weights: str, ptp: str | None, mue: str | None, policy: str | None) -> Tables:
    return load_tables(weights, ptp, mue, policy)


def _fees(profile: PayerProfile, tables: Tables) -> dict[str, int]:
    schedule = profile.fee_schedule
    factor = schedule.conversion_factor * schedule.percent_of_base
    return {
        code: int((weight * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        for code, weight in tables.weights.items()
    }


class Payer:
    """A payer built from a profile; its tables are loaded and its steps planned once."""

    def __init__(self, profile: PayerProfile) -> None:
        self.profile = profile
        edits = profile.edits
        self.tables = _tables(
            profile.fee_schedule.weights_file, edits.ptp_file, edits.mue_file, edits.policy_file
        )
        self.fees = _fees(profile, self.tables)
        self.steps, self.setup = plan(profile, self.tables)
        self._median_lag = timedelta(days=max(0, round(profile.adjudication_lag.median_days)))
        is_billable_icd10("Z00.00")  # load the code list now, not on the first claim

    @property
    def name(self) -> str:
        """The profile name, which claims use as Coverage.payer_id."""
        return self.profile.name

    def fee(self, procedure_code: str) -> int | None:
        """The fee schedule amount for one unit of ``procedure_code`` in cents, or None if unlisted."""
        return self.fees.get(procedure_code)

    def adjudicate(
        self,
        claim: Claim,
        received: date,
        ledger: PayerLedger,
        rng: random.Random | None = None,
        *,
        decided: date | None = None,
        stream: str = STREAM,
    ) -> list[ClaimAdjudication]:
        """Adjudicate ``claim``: a reversal first for a correction or void, then the new decision."""
        decided = decided or received + self._median_lag
        entries: list[ClaimAdjudication] = []
        if claim.frequency != Frequency.ORIGINAL:
            record = ledger.decisions.get(claim.payer_claim_number or "")
            if record is None or not record.active:
                return [self._unknown_reference(claim, received, decided, ledger)]
            number = None if claim.frequency == Frequency.VOID else self._number(ledger, received)
            entries.append(self._reverse(record, received, decided, ledger, number))
            if number is None:
                return entries
        else:
            number = self._number(ledger, received)
        entries.append(self._run(claim, received, decided, number, ledger, rng, stream))
        return entries

    def receive_documentation(
        self,
        response: DocumentationResponse,
        ledger: PayerLedger,
        rng: random.Random | None = None,
        *,
        decided: date | None = None,
        stream: str = STREAM,
    ) -> list[ClaimAdjudication]:
        """Decide a pended claim on the records sent: pay per the rules or deny (CO-50, CO-226)."""
        pend = ledger.pending.get(response.payer_claim_number)
        if pend is None:
            raise PayerError(f"no claim {response.payer_claim_number!r} is pending documentation")
        if response.sent_date > pend.due:
            outcome = "missing"
        elif not response.complete:
            outcome = "incomplete"
        else:
            outcome = "supports" if response.supports_service else "not_supported"
        decided = decided or response.sent_date + self._median_lag
        return [self._close_pend(pend.payer_claim_number, outcome, decided, ledger, rng, stream)]

    def expire_documentation(self, on: date, ledger: PayerLedger) -> list[ClaimAdjudication]:
        """Deny (CO-226 N706) every pended claim whose documentation was due before ``on``."""
        overdue = sorted(number for number, pend in ledger.pending.items() if pend.due < on)
        return [self._close_pend(number, "missing", on, ledger, None, STREAM) for number in overdue]

    def decide_appeal(
        self, appeal: Appeal, ledger: PayerLedger, rng: random.Random | None = None, *, stream: str = STREAM
    ) -> AppealDecision:
        """Decide ``appeal`` at its level: refused late or not appealable, upheld, or overturned."""
        return appeals.decide(self, appeal, ledger, rng, stream)

    @property
    def median_lag_days(self) -> int:
        """The profile's median adjudication lag in whole days."""
        return self._median_lag.days

    def decision_date(self, received: date, rng: random.Random | None) -> date:
        """When a claim received on ``received`` is decided: a log-normal lag (the median without rng)."""
        lag = self.profile.adjudication_lag
        days = lag.median_days
        if rng is not None and lag.sigma > 0:
            days = rng.lognormvariate(math.log(lag.median_days), lag.sigma)
        return received + timedelta(days=min(lag.max_days, max(lag.min_days, round(days))))

    def payment_date(self, decided: date, received: date) -> date:
        """The first payment run on or after the decision and the payment floor."""
        cycle = self.profile.payment
        day = max(decided, received + timedelta(days=cycle.floor_days))
        while day.weekday() not in cycle.weekdays:
            day += timedelta(days=1)
        return day

    def interest_due(self, entry: ClaimAdjudication, paid_on: date, *, clean: bool = True) -> int:
        """Prompt-pay interest in cents on ``entry`` paid on ``paid_on``; 0 when none is owed.

        Owed only when the profile has ``prompt_pay``, on a clean claim (not decided on records
        after a pend) with money paid, for each day after the window: ``paid x rate x days / 365``,
        rounded half up to the cent.
        """
        terms = self.profile.prompt_pay
        if terms is None or not clean or entry.paid <= 0 or entry.status == ClaimStatus.REVERSED:
            return 0
        late = (paid_on - entry.received_date).days - terms.interest_after_days
        if late <= 0:
            return 0
        owed = Decimal(entry.paid) * terms.annual_rate_percent * late / Decimal(36500)
        return int(owed.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def appeal_deadline(self, payer_claim_number: str, level: int, ledger: PayerLedger) -> date:
        """The last day to file an appeal of ``level`` for the claim."""
        return appeals.deadline(self, payer_claim_number, level, ledger)

    def _number(self, ledger: PayerLedger, received: date) -> str:
        return ledger.next_claim_number(self.profile.claim_number_prefix, received)

    def _work(self, claim: Claim, received: date, ledger: PayerLedger, rng, stream: str) -> ClaimWork:
        return ClaimWork.start(
            claim, received, self.profile, self.tables, self.fees, ledger, rng, stream, self.setup
        )

    def _run(
        self,
        claim: Claim,
        received: date,
        decided: date,
        number: str,
        ledger: PayerLedger,
        rng,
        stream: str,
        *,
        waived: frozenset[str] = frozenset(),
        documentation: str | None = None,
    ) -> ClaimAdjudication:
        work = self._work(claim, received, ledger, rng, stream)
        work.waived = waived
        work.documentation = documentation
        packed, adjudication = finish(work, number, decided, run_steps(work, self.steps))
        ledger.record(packed, claim)
        if adjudication.status == ClaimStatus.PENDED:
            ledger.add_pending(claim, received, adjudication.documentation_due, number)
        return adjudication

    def rerun(
        self,
        record: DecisionRecord,
        decided: date,
        ledger: PayerLedger,
        rng,
        stream: str,
        *,
        claim: Claim | None = None,
        waived: frozenset[str] = frozenset(),
        documentation: str | None = None,
        number: str | None = None,
    ) -> ClaimAdjudication:
        """Back out ``record`` and adjudicate its claim again (under ``number`` or the same number)."""
        claim = claim or record.claim
        if claim is None:
            raise PayerError(f"claim {record.payer_claim_number!r} has no denial to decide again")
        ledger.back_out(record)
        number = number or record.payer_claim_number
        return self._run(
            claim,
            record.received,
            decided,
            number,
            ledger,
            rng,
            stream,
            waived=waived,
            documentation=documentation,
        )

    def _close_pend(self, number: str, outcome: str, decided: date, ledger, rng, stream) -> ClaimAdjudication:
        record = ledger.decisions[number]
        return self.rerun(record, decided, ledger, rng, stream, documentation=outcome)

    def reversal(self, record: DecisionRecord, decided: date, replaced_by: str | None) -> ClaimAdjudication:
        """The reversal entry of an earlier decision: every amount negated, same group codes."""
        old = record.adjudication
        lines = tuple(
            line.model_copy(
                update={
                    "billed": -line.billed,
                    "allowed": -line.allowed,
                    "paid": -line.paid,
                    "units_paid": -line.units_paid,
                    "adjustments": _negate(line.adjustments),
                }
            )
            for line in old.lines
        )
        return old.model_copy(
            update={
                "status": ClaimStatus.REVERSED,
                "decided_date": decided,
                "billed": -old.billed,
                "allowed": -old.allowed,
                "paid": -old.paid,
                "interest": -old.interest,
                "lines": lines,
                "claim_adjustments": _negate(old.claim_adjustments),
                "reverses": old.payer_claim_number,
                "replaced_by": replaced_by,
                "draws": (),
                "documentation_due": None,
                "rules_fired": ("correction.reversal",),
            }
        )

    def _reverse(
        self,
        record: DecisionRecord,
        received: date,
        decided: date,
        ledger: PayerLedger,
        replaced_by: str | None,
    ) -> ClaimAdjudication:
        ledger.back_out(record)
        entry = self.reversal(record, decided, replaced_by)
        return entry.model_copy(update={"received_date": received})

    def _unknown_reference(
        self, claim: Claim, received: date, decided: date, ledger: PayerLedger
    ) -> ClaimAdjudication:
        number = self._number(ledger, received)
        work = self._work(claim, received, ledger, None, STREAM)
        fired = [a.rule for a in work.deny_all("CO", "129", ("MA130",), "correction.unknown_claim")][:1]
        packed, adjudication = finish(work, number, decided, fired, history=False)
        ledger.record(packed, claim)
        return adjudication


def _negate(adjustments: tuple[Adjustment, ...]) -> tuple[Adjustment, ...]:
    return tuple(a.model_copy(update={"amount": -a.amount}) for a in adjustments)
