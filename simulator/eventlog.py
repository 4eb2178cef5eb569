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
run_started          run-level (claim_id ``""``); ``detail`` = ``scenario=<name> seed=<n>
                     billers=<n> hours_per_week=<paid hours of one biller>
                     hourly_cost=<cents> horizon_days=<days of visits>``
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
                     ``stream`` / ``draw`` when a random payer rule fired; ``order`` = 2 for
                     the secondary payer's decisions (a secondary denial is logged only here:
                     the patient's share stays with the patient)
paid                 remittance posted with money or with a zero-pay approval: ``paid``,
                     ``adjusted``, ``patient``; ``ref``; balance; ``detail`` = status. A reversal
                     (``detail`` = reversed) carries the earlier posting's amounts negated;
                     ``order`` = 2 for the secondary payer's payment
denied               remittance posted with a denial: ``carc``, ``codes``, ``rarcs``, ``rule``;
                     the balance stays open
pended               payer pended the claim for documentation; ``detail`` = due date; order
documentation_sent   biller sent records; cost; ``ref``; order (2 when the secondary asked)
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
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "CHUNK_EVENTS",
    "FIELDS",
    "MONEY_FIELDS",
    "ROW_GROUP_ROWS",
    "Event",
    "EventFile",
    "EventKind",
    "EventWriter",
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
_KINDS = {kind.value: kind for kind in EventKind}

ROW_GROUP_ROWS = 65_536
"""Rows per Parquet row group of an event log: a streamed log holds at most this many pending."""

CHUNK_EVENTS = 65_536
"""Events handed to a writer, or read back, at a time."""


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
    path.write_bytes(_csv_text(events, header=True))
    return path


def _csv_text(events: Iterable[Event], header: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(FIELDS)
    for event in events:
        writer.writerow([_csv_cell(name, value) for name, value in zip(FIELDS, event, strict=True)])
    return buffer.getvalue().encode("utf-8")


def _schema():
    import pyarrow as pa

    types = {name: pa.int64() for name in _INT_FIELDS}
    types |= {name: pa.float64() for name in _FLOAT_FIELDS}
    types |= {name: pa.list_(pa.string()) for name in _LIST_FIELDS}
    types["date"] = pa.date32()
    return pa.schema([(name, types.get(name, pa.string())) for name in FIELDS])


def _event_arrays(events: Sequence[Event], schema) -> list:
    """One pyarrow array per field of ``events``."""
    import pyarrow as pa

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
    return arrays


def events_to_table(events: Sequence[Event]):
    """The events as a ``pyarrow.Table`` with one typed column per field."""
    import pyarrow as pa

    schema = _schema()
    return pa.Table.from_arrays(_event_arrays(events, schema), schema=schema)


_PARQUET_OPTIONS = {"compression": "zstd", "write_statistics": True, "store_schema": True}


def write_events_parquet(
    events: Sequence[Event], path: Path | str, row_group_rows: int = ROW_GROUP_ROWS
) -> Path:
    """Write ``events`` as Parquet (zstd, one row group per ``row_group_rows`` rows); return the path."""
    import pyarrow.parquet as pq

    path = Path(path)
    pq.write_table(events_to_table(events), path, row_group_size=row_group_rows, **_PARQUET_OPTIONS)
    return path


def write_events(events: Sequence[Event], path: Path | str, fmt: str = "parquet") -> Path:
    """Write ``events`` to ``path`` as ``parquet`` or ``csv``; the same events give the same bytes."""
    if fmt == "parquet":
        return write_events_parquet(events, path)
    if fmt == "csv":
        return write_events_csv(events, path)
    raise ValueError(f"unknown event-log format {fmt!r}: use parquet or csv")


class EventWriter:
    """Appends events to an event-log file as they come, holding at most one Parquet row group.

    The file is byte-identical to :func:`write_events` of the same events in one call: CSV rows
    go to disk with each :meth:`write`; Parquet keeps the pending row group as Arrow arrays
    (about 250 bytes an event) and writes it when it holds ``row_group_rows`` rows, each column
    joined into one array first (the Parquet writer's page and dictionary boundaries depend on
    how a column is chunked), one column at a time.
    """

    def __init__(self, path: Path | str, fmt: str = "parquet", row_group_rows: int = ROW_GROUP_ROWS) -> None:
        if fmt not in ("parquet", "csv"):
            raise ValueError(f"unknown event-log format {fmt!r}: use parquet or csv")
        self.path = Path(path)
        self.fmt = fmt
        self.count = 0
        self._rows = row_group_rows
        self._schema = _schema()
        self._pending: list[list] = [[] for _ in FIELDS]
        self._pending_rows = 0
        self._parquet = None
        self._done = False
        self._csv = self.path.open("wb") if fmt == "csv" else None
        if self._csv is not None:
            self._csv.write(_csv_text((), header=True))

    def write(self, events: Sequence[Event]) -> None:
        """Append ``events`` (in log order) to the file."""
        if self._done:
            raise ValueError(f"{self.path}: the event log is closed")
        if not events:
            return
        self.count += len(events)
        if self._csv is not None:
            self._csv.write(_csv_text(events, header=False))
            return
        start = 0
        while start < len(events):
            take = min(len(events) - start, self._rows - self._pending_rows)
            arrays = _event_arrays(events[start : start + take], self._schema)
            for pending, array in zip(self._pending, arrays, strict=True):
                pending.append(array)
            self._pending_rows += take
            start += take
            if self._pending_rows == self._rows:
                self._write_row_group()

    def _write_row_group(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.path, self._schema, **_PARQUET_OPTIONS)
        columns = []
        for index, chunks in enumerate(self._pending):
            columns.append(pa.concat_arrays(chunks))
            self._pending[index] = []
        table = pa.Table.from_arrays(columns, schema=self._schema)
        del columns
        self._pending_rows = 0
        self._parquet.write_table(table, row_group_size=self._rows)

    def close(self) -> Path:
        """Finish the file and return its path (closing twice does nothing more)."""
        if self._done:
            return self.path
        self._done = True
        if self._csv is not None:
            self._csv.close()
        elif self._parquet is None and not self._pending_rows:
            write_events_parquet([], self.path, self._rows)
        else:
            if self._pending_rows:
                self._write_row_group()
            self._parquet.close()
        self._csv = self._parquet = None
        return self.path

    def __enter__(self) -> EventWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _by_dictionary(column, convert) -> list:
    """The column's values, each distinct value converted once (few distinct, many rows)."""
    if hasattr(column, "combine_chunks"):
        column = column.combine_chunks()
    encoded = column.dictionary_encode()
    distinct = [convert(v) for v in encoded.dictionary.to_pylist()]
    return [distinct[i] for i in encoded.indices.to_pylist()]


def _batch_events(batch, dates: dict[date, date]) -> list[Event]:
    """Events of a pyarrow record batch or table with the event-log schema (dates shared)."""
    columns = []
    for name in FIELDS:
        column = batch.column(name)
        if name == "date":
            values = _by_dictionary(column, lambda d: dates.setdefault(d, d))
        elif name == "kind":
            values = _by_dictionary(column, _KINDS.__getitem__)
        elif name in _LIST_FIELDS:
            values = [tuple(v) if v else () for v in column.to_pylist()]
        else:
            values = column.to_pylist()
        columns.append(values)
    return list(map(Event._make, zip(*columns, strict=True)))


class EventFile(Sequence[Event]):
    """An event-log file read lazily: iterating it streams the events in batches from disk.

    It stands in for the list of events wherever events are only walked in order (the
    reports fold them batch by batch); ``len`` and indexing work without loading the log.
    """

    def __init__(self, path: Path | str, count: int | None = None) -> None:
        self.path = Path(path)
        self._count = count

    def batches(self, size: int = CHUNK_EVENTS) -> Iterator[list[Event]]:
        """The events in log order, ``size`` at a time."""
        if self.path.suffix == ".csv":
            rows = _csv_rows(self.path)
            while batch := list(islice(rows, size)):
                yield batch
            return
        import pyarrow.parquet as pq

        dates: dict[date, date] = {}
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=size):
            yield _batch_events(batch, dates)

    def __iter__(self) -> Iterator[Event]:
        for batch in self.batches():
            yield from batch

    def __len__(self) -> int:
        if self._count is None:
            if self.path.suffix == ".csv":
                self._count = sum(len(batch) for batch in self.batches())
            else:
                import pyarrow.parquet as pq

                self._count = pq.ParquetFile(self.path).metadata.num_rows
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self)[index]
        size = len(self)
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            raise IndexError("event index out of range")
        if self.path.suffix == ".csv":
            return next(islice(iter(self), position, None))
        return self._parquet_row(position)

    def _parquet_row(self, position: int) -> Event:
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(self.path)
        for group in range(parquet.num_row_groups):
            rows = parquet.metadata.row_group(group).num_rows
            if position >= rows:
                position -= rows
                continue
            for batch in parquet.iter_batches(batch_size=CHUNK_EVENTS, row_groups=[group]):
                if position < batch.num_rows:
                    return _batch_events(batch.slice(position, 1), {})[0]
                position -= batch.num_rows
        raise IndexError("event index out of range")


def _event_from_row(row: dict) -> Event:
    values = dict(row)
    values["kind"] = EventKind(values["kind"])
    for name in _LIST_FIELDS:
        values[name] = tuple(values[name] or ())
    return Event(**values)


def table_to_events(table) -> list[Event]:
    """Events back from a ``pyarrow.Table`` written by :func:`events_to_table`."""
    return _batch_events(table, {})


def _csv_rows(path: Path) -> Iterator[Event]:
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
            yield _event_from_row(values)


def read_events(path: Path | str) -> list[Event]:
    """Read an event log written by :func:`write_events` (format from the file suffix)."""
    return list(EventFile(path))
