"""The event log: the single source of truth of a simulation run.

A run appends immutable :class:`Event` records in the order they happen; every metric of
``reports`` is computed from them alone. This module imports nothing else of payersim's, so
``reports`` can depend on it and on nothing more.

Record fields (every event has all of them; unused ones hold their zero value)
-------------------------------------------------------------------------------
``seq``            position in the log, 0, 1, 2, ... (ties in ``time`` keep this order)
``time``           simulated time in days since the start of the run (fractions are hours)
``date``           simulated calendar date (``start_date + floor(time)``)
``kind``           an :class:`EventKind` (below)
``claim_id``       our claim (patient control number); ``""`` for run-level events
``actor``          who acted: ``provider:<n>``, ``coder``, ``scrubber``, ``clearinghouse``,
                   ``payer:<profile>``, ``biller:<n>``, ``patient``, ``agency``, ``system``
``payer``          payer profile name the event concerns (``""`` when none)
``payer_type``     ``medicare``, ``medicare_advantage``, ``medicaid``, ``commercial`` or ``""``
``order``          1 primary payer, 2 secondary payer, 0 not a payer event
``attempt``        submission number of the claim to this payer: 1 the original, 2... resubmissions
``ref``            payer claim number, appeal id or batch id the event refers to
``billed``         the claim's billed charge (informational; it does not move the balance)
``allowed``        the payer's allowed amount (informational)
``paid``           cash received by the provider in this event (payer, patient or agency, net)
``adjusted``       amount taken off the balance without cash and without write-off: contractual
                   adjustments on a remittance (CO-45, CO-253, OA-23...) or a collection fee
``patient``        patient responsibility moved to the patient's share of the balance
``written_off``    amount written off (denial, timely filing, small balance, bad debt)
``balance``        the claim's open balance after the event, patient share included
``patient_balance`` the patient's part of ``balance`` after the event
``cost``           staff cost of the task that produced the event, in cents
``carc``           the claim adjustment reason code that decided the event (``""`` when none)
``codes``          every ``GROUP-CARC`` on the decision, remittance order, as a tuple
``rarcs``          remark codes, as a tuple
``rule``           the payer rule, edit or policy that caused the event
``stream``         the random stream whose draw decided the event (``""`` when none)
``draw``           that draw's value in [0, 1) (``0.0`` when none)
``detail``         a short plain-words note (outcome of an appeal, why a task was refused...)
``category``       denial category of ``carc`` on ``adjudicated`` (when denied, partly paid or
                   pended), ``denied``, ``appeal_decided`` and ``written_off`` events: one of
                   eligibility_registration, missing_invalid_data, prior_authorization,
                   not_covered, documentation, medical_necessity, timely_filing, coding,
                   duplicate, other (``""`` when none)
``hours``          staff working time of the task that produced the event, in hours (``0.0``
                   when none); with ``cost`` it gives staff utilisation

All money is integer cents. Per claim, at every point, ``billed`` = sum of ``paid`` +
sum of ``adjusted`` + sum of ``written_off`` + ``balance``: denials do not move the balance
(the amount stays open while the denial is worked); a write-off or a later payment does.
Payer cash is ``paid`` on ``paid`` events; patient cash is ``paid`` on ``patient_paid`` and
``collected`` events.

Event kinds and the fields they fill
------------------------------------
run_started          run-level (claim_id ``""``); ``detail`` = ``scenario=<name> seed=<n>``
run_ended            run-level; the horizon's end; ``detail`` = ``open_claims=<n>``
visit                a patient visit; actor the provider; payer, payer_type, ``detail`` = specialty
claim_created        coding done; billed; ``rule`` = injected defect (``""`` when clean),
                     ``stream`` / ``draw`` = the coding-error draw; balance = billed
scrubbed             the scrubber ran; ``rule`` = the edit that caught a defect, or ``""`` if clean;
                     cost
corrected            a biller fixed the claim; ``rule`` = the defect fixed (or ``eligibility``);
                     cost; a dropped charge is ``adjusted`` here (``detail`` = charge_correction)
                     or, for a replacement claim, on the reversal's ``paid`` event
                     (``detail`` = charge_correction_with_reversal); ``rule`` = duplicate_voided
                     when a duplicate copy is voided (``adjusted`` = its whole charge)
submitted            claim sent in the day's clearinghouse batch; ``ref`` = batch id, attempt, order;
                     ``billed`` = the charge on the claim as sent
rejected_999         front-end syntax rejection; ``rule``; the claim never reached adjudication
rejected_277ca       front-end claim rejection (A3/A6/A7); ``rule``; timely-filing clock keeps running
accepted             277CA acceptance (A1/A2)
adjudicated          the payer decided; ``ref`` payer claim number, billed, allowed, ``codes``,
                     ``rarcs``, ``carc`` (the denial reason or ``""``), ``rule`` (rules fired),
                     ``detail`` = status (paid, partly_paid, denied, pended, reversed),
                     ``stream`` / ``draw`` when a random payer rule fired
paid                 remittance posted with money or with a zero-pay approval: ``paid``,
                     ``adjusted``, ``patient``; ``ref``; balance; ``detail`` = status. A reversal
                     (``detail`` = reversed) carries the earlier posting's amounts negated;
                     ``order`` = 2 for the secondary payer's payment
denied               remittance posted with a denial: ``carc``, ``codes``, ``rarcs``, ``rule``;
                     the balance stays open
pended               payer pended the claim for documentation; ``detail`` = due date
documentation_sent   biller sent records; cost; ``ref``
resubmitted          a corrected (frequency 7) or new claim sent in a later batch (after a
                     correction, a 277CA rejection or a claim the payer never received); attempt
status_inquiry       276/277 follow-up on a claim with no answer; cost; ``detail`` = days waited;
                     ``rule`` = in_process or no_record (the claim is then sent again)
appealed             appeal filed; ``ref`` = appeal id; ``detail`` = ``level=<n>``; cost
appeal_decided       payer's answer; ``detail`` = outcome; ``rule``; ``carc``; ``stream`` / ``draw``
written_off          amount written off; ``rule`` = why: timely_filing, not_worth_appealing,
                     not_appealable, appeal_deadline_missed, appeal_refused_late,
                     appeal_refused_not_appealable, appeals_exhausted, duplicate_copy (payer
                     denials) or small_balance, bad_debt (patient balances)
secondary_submitted  claim sent to the secondary payer with the primary's remittance; order = 2
statement_sent       patient statement; ``detail`` = statement number; patient_balance; cost
patient_paid         patient paid ``paid``; ``stream`` / ``draw``
sent_to_collections  balance handed to the collection agency; patient_balance
collected            agency recovered money: ``paid`` = net cash, ``adjusted`` = agency fee
closed               claim finished: balance 0; ``detail`` = final state
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "FIELDS",
    "MONEY_FIELDS",
    "Event",
    "EventKind",
    "events_to_table",
    "read_events",
    "table_to_events",
    "write_events",
    "write_events_csv",
    "write_events_parquet",
]


class EventKind(StrEnum):
    """What happened (see the module docstring for the fields each kind fills)."""

    RUN_STARTED = "run_started"
    RUN_ENDED = "run_ended"
    VISIT = "visit"
    CLAIM_CREATED = "claim_created"
    SCRUBBED = "scrubbed"
    CORRECTED = "corrected"
    SUBMITTED = "submitted"
    REJECTED_999 = "rejected_999"
    REJECTED_277CA = "rejected_277ca"
    ACCEPTED = "accepted"
    ADJUDICATED = "adjudicated"
    PAID = "paid"
    DENIED = "denied"
    PENDED = "pended"
    DOCUMENTATION_SENT = "documentation_sent"
    RESUBMITTED = "resubmitted"
    STATUS_INQUIRY = "status_inquiry"
    APPEALED = "appealed"
    APPEAL_DECIDED = "appeal_decided"
    WRITTEN_OFF = "written_off"
    SECONDARY_SUBMITTED = "secondary_submitted"
    STATEMENT_SENT = "statement_sent"
    PATIENT_PAID = "patient_paid"
    SENT_TO_COLLECTIONS = "sent_to_collections"
    COLLECTED = "collected"
    CLOSED = "closed"


class Event(NamedTuple):
    """One immutable event of a run; see the module docstring for every field."""

    seq: int
    time: float
    date: date
    kind: EventKind
    claim_id: str = ""
    actor: str = ""
    payer: str = ""
    payer_type: str = ""
    order: int = 0
    attempt: int = 0
    ref: str = ""
    billed: int = 0
    allowed: int = 0
    paid: int = 0
    adjusted: int = 0
    patient: int = 0
    written_off: int = 0
    balance: int = 0
    patient_balance: int = 0
    cost: int = 0
    carc: str = ""
    codes: tuple[str, ...] = ()
    rarcs: tuple[str, ...] = ()
    rule: str = ""
    stream: str = ""
    draw: float = 0.0
    detail: str = ""
    category: str = ""
    hours: float = 0.0


FIELDS: tuple[str, ...] = Event._fields
"""Column names, in file order."""

MONEY_FIELDS: tuple[str, ...] = (
    "billed",
    "allowed",
    "paid",
    "adjusted",
    "patient",
    "written_off",
    "balance",
    "patient_balance",
    "cost",
)
"""Columns holding integer cents."""

_INT_FIELDS = frozenset(("seq", "order", "attempt", *MONEY_FIELDS))
_FLOAT_FIELDS = frozenset(("time", "draw", "hours"))
_LIST_FIELDS = frozenset(("codes", "rarcs"))
_SEPARATOR = " "


def _csv_cell(name: str, value: object) -> str:
    if name in _LIST_FIELDS:
        return _SEPARATOR.join(value)  # type: ignore[arg-type]
    if name == "date":
        return value.isoformat()  # type: ignore[union-attr]
    if name in _FLOAT_FIELDS:
        return repr(float(value))  # type: ignore[arg-type]
    return str(value)


def write_events_csv(events: Iterable[Event], path: Path | str) -> Path:
    """Write ``events`` as UTF-8 CSV (``\\n`` line ends, codes space-separated); return the path."""
    path = Path(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    for event in events:
        writer.writerow([_csv_cell(name, value) for name, value in zip(FIELDS, event, strict=True)])
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def _schema():
    import pyarrow as pa

    types = {name: pa.int64() for name in _INT_FIELDS}
    types |= {name: pa.float64() for name in _FLOAT_FIELDS}
    types |= {name: pa.list_(pa.string()) for name in _LIST_FIELDS}
    types["date"] = pa.date32()
    return pa.schema([(name, types.get(name, pa.string())) for name in FIELDS])


def events_to_table(events: Sequence[Event]):
    """The events as a ``pyarrow.Table`` with one typed column per field."""
    import pyarrow as pa

    schema = _schema()
    columns = list(zip(*events, strict=True)) if events else [()] * len(FIELDS)
    arrays = []
    for name, column, field in zip(FIELDS, columns, schema, strict=True):
        values = (
            [str(v) for v in column]
            if name == "kind"
            else [list(v) for v in column]
            if name in _LIST_FIELDS
            else list(column)
        )
        arrays.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def write_events_parquet(events: Sequence[Event], path: Path | str) -> Path:
    """Write ``events`` as Parquet (zstd, one row group per 1,000,000 rows); return the path."""
    import pyarrow.parquet as pq

    path = Path(path)
    pq.write_table(
        events_to_table(events),
        path,
        compression="zstd",
        row_group_size=1_000_000,
        write_statistics=True,
        store_schema=True,
    )
    return path


def write_events(events: Sequence[Event], path: Path | str, fmt: str = "parquet") -> Path:
    """Write ``events`` to ``path`` as ``parquet`` or ``csv``; the same events give the same bytes."""
    if fmt == "parquet":
        return write_events_parquet(events, path)
    if fmt == "csv":
        return write_events_csv(events, path)
    raise ValueError(f"unknown event-log format {fmt!r}: use parquet or csv")


def _event_from_row(row: dict) -> Event:
    values = dict(row)
    values["kind"] = EventKind(values["kind"])
    for name in _LIST_FIELDS:
        values[name] = tuple(values[name] or ())
    return Event(**values)


def table_to_events(table) -> list[Event]:
    """Events back from a ``pyarrow.Table`` written by :func:`events_to_table`."""
    return [_event_from_row(row) for row in table.to_pylist()]


def _read_csv(path: Path) -> list[Event]:
    events = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values: dict[str, object] = dict(row)
            for name in _INT_FIELDS:
                values[name] = int(row[name])
            for name in _FLOAT_FIELDS:
                values[name] = float(row[name])
            for name in _LIST_FIELDS:
                values[name] = tuple(row[name].split(_SEPARATOR)) if row[name] else ()
            values["date"] = date.fromisoformat(row["date"])
            events.append(_event_from_row(values))
    return events


def read_events(path: Path | str) -> list[Event]:
    """Read an event log written by :func:`write_events` (format from the file suffix)."""
    path = Path(path)
    if path.suffix == ".csv":
        return _read_csv(path)
    import pyarrow.parquet as pq

    return table_to_events(pq.read_table(path))
