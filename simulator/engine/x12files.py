"""A run's X12 traffic as files (``payersim run SCENARIO --x12``).

While a run goes, :class:`X12Traffic` notes what crossed the wire between the practice (through
its clearinghouse) and each payer: the claims a payer received on each day, and every decision
with the day its payment run pays it. After the run, :meth:`X12Traffic.write` writes them into
the run folder's ``x12/`` as the interchanges they stand for, built by payersim's X12 codec:

- ``<day>-1-835-<payer>.x12``: the payer's payment run that day (dated at midnight), one
  payment per payee, for the payment runs on or before the run's last day (pended claims
  appear once decided); a balance a payment forwards (PLB FB, when reversals exceed the new
  money) is taken back from the payee's next payment by that payer;
- ``<day>-2-837-<payer>.x12``: the claims the payer received that day, sent at the
  clearinghouse's batch hour (837P and 837I sets);
- ``<day>-3-999-<payer>.x12``: the payer's implementation acknowledgement of that file, from
  its front end (:func:`~simulator.x12.frontend.receive_837`);
- ``<day>-4-277ca-<payer>.x12``: its claim acknowledgement: every claim the simulated payer
  took into adjudication, with its payer claim number.

Sorted by name, the files come in the order they would arrive, and control numbers rise in
that order. They come from counters started afresh by each :meth:`X12Traffic.write` (one for the
practice's submitter id, one per payer), and dates from the simulation, so the same scenario
and seed write the same bytes. Claims the clearinghouse rejected or lost never reached a payer
and are not in these files.

The 277CA follows the event log, the run's single truth: a claim the simulated payer
adjudicated is acknowledged as accepted, even where payersim's X12 front end, which is stricter
than the payers' ``front_end`` rule, would have rejected it (an ICD-10-CM category code that is
not billable, for example, which the simulated payer denies on the 835 instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from simulator.models import Claim, ClaimAdjudication, ClaimStatus
from simulator.x12.ack277ca import AckParties, accepted_ack, by_reference, write_277ca_sets
from simulator.x12.claim837 import write_837
from simulator.x12.envelope import ControlNumbers, Party
from simulator.x12.frontend import receive_837
from simulator.x12.remit835 import write_835
from simulator.x12.remittance import (
    PaymentNumbers,
    ProviderAdjustment,
    RemitClaim,
    build_payments,
    forwarded_balances,
    remit_claim,
)
from simulator.x12.respond import remit_payer

__all__ = ["X12Traffic"]

_KINDS = {"835": 1, "837": 2, "999": 3, "277ca": 4}


@dataclass(slots=True)
class _Payer:
    """What the files need to know of one payer, and its counters while they are written."""

    party: Party
    profile: object
    numbers: ControlNumbers = field(default_factory=ControlNumbers)
    checks: PaymentNumbers = field(default_factory=PaymentNumbers)
    owed: dict[str, tuple[ProviderAdjustment, ...]] = field(default_factory=dict)
    """Balances forwarded by earlier payments (PLB FB), by payee key, taken back from the next ones."""

    def restart(self) -> None:
        self.numbers, self.checks, self.owed = ControlNumbers(), PaymentNumbers(), {}


class X12Traffic:
    """The claims each payer received and the decisions it paid, noted as the run goes.

    With ``stream_to`` (a run folder) the files are written while the run goes: once the run
    reaches a day, the files of the days before it are complete, so they are written and their
    claims let go; :meth:`finish` writes the rest. Without it everything is kept until
    :meth:`write`, which may be called again. Both ways give the same files.
    """

    def __init__(self, scenario, stream_to: Path | None = None) -> None:
        submitter = re.sub(r"[^A-Z0-9]", "", scenario.name.upper())[:15] or "PRACTICE"
        self.submitter = Party(submitter)
        self.batch_time = time(int(scenario.clearinghouse.batch_hour))
        self.payers: dict[str, _Payer] = {}
        self.received_on: dict[tuple[date, str], list[tuple[Claim, str]]] = {}
        self.paid_on: dict[tuple[date, str], list[RemitClaim]] = {}
        self.streaming = stream_to is not None
        self._out = Path()
        self._submitter_numbers = ControlNumbers()
        self._written: list[Path] = []
        self._complete_before: date | None = None
        if stream_to is not None:
            self._start(stream_to)

    def _payer(self, desk) -> None:
        if desk.name not in self.payers:
            profile = desk.profile
            self.payers[desk.name] = _Payer(Party(profile.x12_payer_id), profile)

    def received(self, desk, claim: Claim, day: date, entries: list[ClaimAdjudication]) -> None:
        """The payer ``desk`` received ``claim`` today (``day``) and decided it as ``entries``."""
        if self.streaming and (self._complete_before is None or day > self._complete_before):
            self._write_before(day)
        self._payer(desk)
        number = entries[-1].payer_claim_number if entries else ""
        self.received_on.setdefault((day, desk.name), []).append((claim, number))

    def paid(self, desk, claim: Claim, entries: list[ClaimAdjudication], day: date) -> None:
        """``entries`` about ``claim`` go out in the payment run of ``day`` (pended ones do not).

        ``day`` is never before the day of the call: a payment run follows its decisions.
        """
        self._payer(desk)
        remitted = [remit_claim(entry, claim) for entry in entries if entry.status != ClaimStatus.PENDED]
        if remitted:
            self.paid_on.setdefault((day, desk.name), []).extend(remitted)

    def steps(self, last_day: date) -> list[tuple[date, str, str]]:
        """What is left to write up to ``last_day``, in order: (day, payer, "837" or "835")."""
        steps = [(day, name, "837") for day, name in self.received_on if day <= last_day]
        steps += [(day, name, "835") for day, name in self.paid_on if day <= last_day]
        return sorted(steps, key=lambda step: (step[0], _KINDS[step[2]], step[1]))

    def write(self, folder: Path, last_day: date, done: Callable[[], object] | None = None) -> list[Path]:
        """Write every file into ``folder/x12`` and return them sorted (no payment runs after ``last_day``).

        ``done`` is called after each step of :meth:`steps` (for a progress bar).
        """
        if self.streaming:
            raise RuntimeError("this traffic is written while the run goes: call finish()")
        self._start(folder)
        return self.finish(last_day, done)

    def finish(self, last_day: date, done: Callable[[], object] | None = None) -> list[Path]:
        """Write what is left (payment runs up to ``last_day``) and return every file written, sorted."""
        for step in self.steps(last_day):
            self._write_step(*step)
            if done is not None:
                done()
        return sorted(self._written)  # arrival order: a day's payment runs, then its 837s, 999s and 277CAs

    def _start(self, folder: Path) -> None:
        """Empty ``folder/x12`` and start every counter afresh."""
        self._out = folder / "x12"
        self._out.mkdir(parents=True, exist_ok=True)
        for stale in self._out.glob("*.x12"):
            stale.unlink()
        self._written, self._complete_before = [], None
        self._submitter_numbers = ControlNumbers()
        for payer in self.payers.values():
            payer.restart()

    def _write_before(self, day: date) -> None:
        """Write the files of the days before ``day``, which the run has now passed."""
        for step in self.steps(day - timedelta(days=1)):
            self._write_step(*step)
        self._complete_before = day

    def _write_step(self, day: date, name: str, kind: str) -> None:
        payer = self.payers[name]
        if kind == "837":
            texts = self._claims_files(day, name, payer, self._submitter_numbers)
        else:
            texts = {"835": self._remittance(day, name, payer)}
        for file_kind, text in texts.items():
            path = self._out / f"{day.isoformat()}-{_KINDS[file_kind]}-{file_kind}-{name}.x12"
            path.write_text(text, encoding="utf-8")
            self._written.append(path)
        if self.streaming:  # written once: let the claims go
            del (self.received_on if kind == "837" else self.paid_on)[(day, name)]

    def _claims_files(self, day: date, name: str, payer: _Payer, numbers: ControlNumbers) -> dict[str, str]:
        """The day's 837 to ``payer`` and the payer's 999 and 277CA for it."""
        received = self.received_on[(day, name)]
        when = datetime.combine(day, self.batch_time)
        claims = [claim for claim, _ in received]
        text = write_837(claims, sender=self.submitter, receiver=payer.party, when=when, numbers=numbers)
        result = receive_837(text, day, payer=payer.party, numbers=payer.numbers, when=when)
        files = {"837": text}
        if result.ack999:
            files["999"] = result.ack999
        profile = payer.profile
        parties = AckParties(
            profile.display_name.upper()[:60],
            profile.x12_payer_id,
            self.submitter.id,
            self.submitter.id,
            trace=result.interchange_control or "1",
            reference=result.interchange_control or "1",
        )
        acks = [accepted_ack(claim, number) for claim, number in received]
        answers = [
            (replace(parties, batch=reference), members)
            for reference, members in by_reference(acks, result.references()[0]).items()
        ]
        files["277ca"] = write_277ca_sets(
            answers,
            received=day,
            processed=day,
            sender=payer.party,
            receiver=self.submitter,
            when=when,
            numbers=payer.numbers,
        )
        return files

    def _remittance(self, day: date, name: str, payer: _Payer) -> str:
        """The 835 of ``payer``'s payment run on ``day``."""
        claims = self.paid_on[(day, name)]
        payee = remit_payer(payer.profile)
        payments = build_payments(
            claims, payer=payee, payment_date=day, numbers=payer.checks, recoupments=payer.owed
        )
        payer.owed = forwarded_balances(payments, payer.owed)
        when = datetime.combine(day, time(0, 0))
        return write_835(
            payments, sender=payer.party, receiver=self.submitter, when=when, numbers=payer.numbers
        )
