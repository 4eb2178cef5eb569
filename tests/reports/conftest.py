"""Shared fixtures for the reports tests: a small event-log builder and a synthetic run."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from simulator.eventlog import Event, EventKind

START = date(2026, 1, 5)
PROFILE = {
    "medicare": "medicare",
    "medicare_advantage": "medicare_advantage",
    "medicaid": "medicaid",
    "commercial": "commercial_ppo",
}


class LogBuilder:
    """Builds a consistent event log claim by claim; each claim's balance is tracked."""

    def __init__(self, start: date = START) -> None:
        self.start = start
        self.events: list[Event] = []
        self.balance: dict[str, int] = {}
        self.payer_type: dict[str, str] = {}

    def add(self, day: float, kind: EventKind, claim_id: str = "", actor: str = "", **fields) -> Event:
        """Append one event at ``day`` days after the start."""
        when = self.start + timedelta(days=int(day))
        event = Event(len(self.events), float(day), when, kind, claim_id, actor, **fields)
        self.events.append(event)
        return event

    def _payer(self, claim_id: str) -> dict:
        kind = self.payer_type[claim_id]
        return {"payer": PROFILE[kind], "payer_type": kind}

    def run_started(self, scenario: str = "unit", seed: int = 7, staff: str = "") -> LogBuilder:
        """The run_started event; ``staff`` adds detail such as ``billers=2 hours_per_week=35``."""
        self.add(0, EventKind.RUN_STARTED, detail=f"scenario={scenario} seed={seed} {staff}".strip())
        return self

    def run_ended(self, day: float) -> LogBuilder:
        """The run_ended event."""
        self.add(day, EventKind.RUN_ENDED, detail=f"open_claims={sum(1 for b in self.balance.values() if b)}")
        return self

    def created(self, claim_id: str, day: float, billed: int, payer_type: str = "medicare") -> LogBuilder:
        """A visit and its claim on the same day."""
        self.payer_type[claim_id] = payer_type
        self.balance[claim_id] = billed
        self.add(day, EventKind.VISIT, claim_id, "provider:1", **self._payer(claim_id))
        self.add(
            day,
            EventKind.CLAIM_CREATED,
            claim_id,
            "coder",
            **self._payer(claim_id),
            billed=billed,
            balance=billed,
        )
        return self

    def submitted(self, claim_id: str, day: float, attempt: int = 1) -> LogBuilder:
        """The claim goes out in a batch."""
        self.add(
            day,
            EventKind.SUBMITTED,
            claim_id,
            "biller:1",
            **self._payer(claim_id),
            order=1,
            attempt=attempt,
            balance=self.balance[claim_id],
        )
        return self

    def rejected(self, claim_id: str, day: float) -> LogBuilder:
        """A 277CA rejection."""
        self.add(
            day,
            EventKind.REJECTED_277CA,
            claim_id,
            "clearinghouse",
            **self._payer(claim_id),
            order=1,
            rule="invalid_member_id",
            balance=self.balance[claim_id],
        )
        return self

    def work(
        self,
        claim_id: str,
        day: float,
        kind: EventKind,
        hours: float = 0.5,
        cost: int = 1500,
        actor: str = "biller:1",
        **fields,
    ) -> LogBuilder:
        """A staff task (correction, resubmission, appeal, documentation...)."""
        self.add(
            day,
            kind,
            claim_id,
            actor,
            **self._payer(claim_id),
            hours=hours,
            cost=cost,
            balance=self.balance[claim_id],
            **fields,
        )
        return self

    def adjudicated(
        self,
        claim_id: str,
        day: float,
        status: str,
        carc: str = "",
        category: str = "",
        order: int = 1,
        attempt: int = 1,
    ) -> LogBuilder:
        """The payer's decision, then the remittance event it leads to for denials and pends."""
        self.add(
            day,
            EventKind.ADJUDICATED,
            claim_id,
            f"payer:{self._payer(claim_id)['payer']}",
            **self._payer(claim_id),
            order=order,
            attempt=attempt,
            ref=f"P{claim_id}",
            carc=carc,
            category=category,
            detail=status,
            balance=self.balance[claim_id],
        )
        if status == "denied":
            self.add(
                day,
                EventKind.DENIED,
                claim_id,
                "biller:1",
                **self._payer(claim_id),
                order=order,
                attempt=attempt,
                carc=carc,
                category=category,
                balance=self.balance[claim_id],
            )
        elif status == "pended":
            self.add(
                day,
                EventKind.PENDED,
                claim_id,
                "biller:1",
                **self._payer(claim_id),
                order=order,
                attempt=attempt,
                carc=carc,
                category=category,
                balance=self.balance[claim_id],
            )
        return self

    def paid(
        self, claim_id: str, day: float, paid: int, adjusted: int = 0, patient: int = 0, order: int = 1
    ) -> LogBuilder:
        """A remittance posted with money."""
        self.balance[claim_id] -= paid + adjusted
        self.add(
            day,
            EventKind.PAID,
            claim_id,
            "biller:1",
            **self._payer(claim_id),
            order=order,
            paid=paid,
            adjusted=adjusted,
            patient=patient,
            balance=self.balance[claim_id],
            patient_balance=patient,
        )
        return self

    def patient_paid(self, claim_id: str, day: float, amount: int) -> LogBuilder:
        """The patient pays."""
        self.balance[claim_id] -= amount
        self.add(
            day, EventKind.PATIENT_PAID, claim_id, "patient", paid=amount, balance=self.balance[claim_id]
        )
        return self

    def collected(self, claim_id: str, day: float, net: int, fee: int) -> LogBuilder:
        """The collection agency recovers money and keeps a fee."""
        self.balance[claim_id] -= net + fee
        self.add(
            day,
            EventKind.COLLECTED,
            claim_id,
            "agency",
            paid=net,
            adjusted=fee,
            balance=self.balance[claim_id],
        )
        return self

    def appeal(self, claim_id: str, filed: float, decided: float, outcome: str) -> LogBuilder:
        """An appeal filed and decided."""
        self.work(claim_id, filed, EventKind.APPEALED, ref=f"A{claim_id}", detail="level=1")
        self.add(
            decided,
            EventKind.APPEAL_DECIDED,
            claim_id,
            f"payer:{self._payer(claim_id)['payer']}",
            **self._payer(claim_id),
            order=1,
            detail=outcome,
            balance=self.balance[claim_id],
        )
        return self

    def written_off(self, claim_id: str, day: float, rule: str = "not_worth_appealing") -> LogBuilder:
        """The rest of the balance written off."""
        amount = self.balance[claim_id]
        self.balance[claim_id] = 0
        self.add(day, EventKind.WRITTEN_OFF, claim_id, "biller:1", written_off=amount, rule=rule, balance=0)
        return self

    def closed(self, claim_id: str, day: float) -> LogBuilder:
        """The claim is finished."""
        assert self.balance[claim_id] == 0, (claim_id, self.balance[claim_id])
        self.add(day, EventKind.CLOSED, claim_id, "system", detail="settled")
        return self


CATEGORIES = [
    ("27", "eligibility_registration"),
    ("16", "missing_invalid_data"),
    ("197", "prior_authorization"),
    ("96", "not_covered"),
    ("252", "documentation"),
    ("50", "medical_necessity"),
    ("29", "timely_filing"),
    ("4", "coding"),
    ("18", "duplicate"),
]


def synthetic_log(claims: int = 120, seed: int = 3, days: int = 120) -> list[Event]:
    """A plausible run: clean payments, denials appealed or written off, rejections, patient balances."""
    rng = random.Random(seed)
    log = LogBuilder().run_started("synthetic", seed)
    kinds = list(PROFILE)
    for n in range(claims):
        cid = f"C{n:04d}"
        day = rng.randrange(0, days - 60)
        billed = rng.randrange(80_00, 900_00)
        log.created(cid, day, billed, kinds[n % 4])
        log.submitted(cid, day + 1)
        roll = rng.random()
        allowed = billed * 6 // 10
        patient = allowed // 5 if rng.random() < 0.5 else 0
        if roll < 0.08:
            log.rejected(cid, day + 2).work(cid, day + 4, EventKind.CORRECTED).submitted(cid, day + 5, 2)
            day += 4
        if roll < 0.75:
            log.adjudicated(cid, day + 15, "paid").paid(
                cid, day + 16, allowed - patient, billed - allowed, patient
            )
        else:
            carc, category = CATEGORIES[rng.randrange(len(CATEGORIES))]
            log.adjudicated(cid, day + 15, "denied", carc, category)
            if rng.random() < 0.6:
                won = rng.random() < 0.5
                log.appeal(cid, day + 20, day + 55, "overturned" if won else "upheld")
                if won:
                    log.paid(cid, day + 58, allowed - patient, billed - allowed, patient)
                else:
                    log.written_off(cid, day + 56, "appeal_refused").closed(cid, day + 56)
                    continue
            else:
                log.written_off(cid, day + 18).closed(cid, day + 18)
                continue
        if patient:
            pay_day = day + 16 + rng.randrange(20, 80)
            if pay_day < days and rng.random() < 0.7:
                log.patient_paid(cid, pay_day, patient)
            elif pay_day < days:
                log.collected(cid, pay_day, patient * 7 // 10, patient - patient * 7 // 10)
        if log.balance[cid] == 0:
            log.closed(cid, log.events[-1].date.toordinal() - log.start.toordinal())
    return log.run_ended(days).events


@pytest.fixture
def build() -> LogBuilder:
    """A fresh log builder with a run_started event."""
    return LogBuilder().run_started()


@pytest.fixture(scope="session")
def make_log():
    """The synthetic run generator, for runs with other seeds or sizes."""
    return synthetic_log


@pytest.fixture(scope="session")
def synthetic_events() -> list[Event]:
    """A synthetic run of 120 claims over 120 days."""
    return synthetic_log()
