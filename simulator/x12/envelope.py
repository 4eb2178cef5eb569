"""X12 envelopes: writing and reading ISA/IEA, GS/GE and ST/SE with their counts.

Writing a transaction::

    from datetime import datetime
    from simulator.x12.envelope import ControlNumbers, Party, TransactionBody, write_interchange

    body = TransactionBody(
        set_id="837",
        version="005010X222A1",        # ST03 and GS08
        functional_id="HC",            # GS01
        segments=[                     # everything between ST and SE, as element sequences
            ("BHT", "0019", "00", "BATCH1", "20260302", "1200", "CH"),
            ("NM1", "41", "2", "ACME BILLING", "", "", "", "", "46", "ACME01"),
            ("CLM", "PCN1", "150", "", "", ("11", "B", "1"), "Y", "A", "Y", "Y"),  # tuple = composite
            ...
        ],
    )
    numbers = ControlNumbers()                      # keep it and pass it again for the next file
    text = write_interchange(
        [body],
        sender=Party("ACME01"), receiver=Party("PAYERSIM"),
        when=datetime(2026, 3, 2, 12, 0),           # ISA09/ISA10 and GS04/GS05: never the clock
        numbers=numbers,
    )

Control numbers come from :class:`ControlNumbers`, one counter per sender id for
interchanges, groups and transaction sets, so the same sequence of calls always gives the same
numbers. Consecutive bodies with the same GS01 and version share one functional group; SE01,
GE01 and IEA01 are counted, never given.

Reading::

    for interchange in read_interchanges(raw):      # raw: str or bytes, any delimiters
        for group in interchange.groups:
            for tx in group.transactions:
                tx.set_id, tx.control_number, tx.version
                tx.segments                          # ST ... SE as Segment objects
                tx.body                              # the segments between ST and SE
                tx.position_of(seg)                  # 1-based position within the set (ST = 1)

The reader does not raise on envelope mistakes: each is kept as an :class:`EnvelopeProblem`
on the interchange (TA1 note codes), the group (999 AK9 codes) or the transaction set (999 IK5
codes), so that the front end can acknowledge them. Only text without a readable ISA raises
:class:`~simulator.x12.segments.X12SyntaxError`.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from simulator.x12.segments import (
    DEFAULT,
    Delimiters,
    Element,
    Segment,
    X12SyntaxError,
    render_segment,
    tokenize,
)

__all__ = [
    "ControlNumbers",
    "EnvelopeProblem",
    "FunctionalGroup",
    "Interchange",
    "Party",
    "Transaction",
    "TransactionBody",
    "isa_text",
    "read_interchange",
    "read_interchanges",
    "transactions_of",
    "write_interchange",
]

_MAX_CONTROL = 999_999_999


@dataclass(frozen=True, slots=True)
class Party:
    """A trading partner: ISA id and qualifier, and the GS application code (defaults to the id)."""

    id: str
    qualifier: str = "ZZ"
    application_code: str | None = None

    @property
    def gs_code(self) -> str:
        """The GS02/GS03 application code."""
        return self.application_code or self.id


@dataclass(frozen=True, slots=True)
class TransactionBody:
    """One transaction set to write: its ST01, version, GS01 and the segments between ST and SE."""

    set_id: str
    version: str
    functional_id: str
    segments: Sequence[Sequence[Element] | str]
    """Element sequences, or segments already rendered (a ``str`` with its terminator, written as is)."""


class ControlNumbers:
    """Deterministic control numbers: one counter per sender for ISA13, GS06 and ST02.

    ``state()`` returns a plain dict that ``ControlNumbers(state=...)`` restores, so a server
    can persist its counters.
    """

    __slots__ = ("_next", "_start")

    KINDS = ("interchange", "group", "transaction")

    def __init__(self, start: int = 1, state: dict[str, dict[str, int]] | None = None) -> None:
        if not 1 <= start <= _MAX_CONTROL:
            raise ValueError(f"control number start {start} is outside 1..{_MAX_CONTROL}")
        self._start = start
        self._next: dict[str, dict[str, int]] = {
            sender: dict(counters) for sender, counters in (state or {}).items()
        }

    def next(self, sender: str, kind: str) -> int:
        """Take the next number of ``kind`` (interchange, group, transaction) for ``sender``."""
        if kind not in self.KINDS:
            raise ValueError(f"unknown control number kind {kind!r}; expected one of {self.KINDS}")
        counters = self._next.setdefault(sender, {})
        value = counters.get(kind, self._start)
        counters[kind] = 1 if value >= _MAX_CONTROL else value + 1
        return value

    def peek(self, sender: str, kind: str) -> int:
        """The number ``next`` would return, without taking it."""
        return self._next.get(sender, {}).get(kind, self._start)

    def ahead(self, sender: str, kind: str, count: int) -> list[int]:
        """The numbers the next ``count`` calls of ``next`` would return, without taking them."""
        value, out = self.peek(sender, kind), []
        for _ in range(count):
            out.append(value)
            value = 1 if value >= _MAX_CONTROL else value + 1
        return out

    def state(self) -> dict[str, dict[str, int]]:
        """A copy of the counters, sorted by sender, for persistence."""
        return {sender: dict(self._next[sender]) for sender in sorted(self._next)}


def isa_text(
    sender: Party,
    receiver: Party,
    when: datetime,
    control: int,
    usage: str,
    ack_requested: str,
    delimiters: Delimiters,
) -> str:
    """The ISA segment as text (fixed-width fields, padded ids, nine-digit control number)."""
    elements = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        sender.qualifier.ljust(2)[:2],
        sender.id.ljust(15)[:15],
        receiver.qualifier.ljust(2)[:2],
        receiver.id.ljust(15)[:15],
        when.strftime("%y%m%d"),
        when.strftime("%H%M"),
        delimiters.repetition,
        "00501",
        f"{control:09d}",
        ack_requested,
        usage,
        delimiters.component,
    ]
    return delimiters.element.join(elements) + delimiters.segment


def write_interchange(
    bodies: Sequence[TransactionBody],
    *,
    sender: Party,
    receiver: Party,
    when: datetime,
    numbers: ControlNumbers,
    usage: str = "P",
    ack_requested: str = "0",
    delimiters: Delimiters = DEFAULT,
    line_breaks: bool = False,
) -> str:
    """Write an ISA/IEA interchange holding ``bodies``, grouped by GS01 and version, with counts.

    A body segment given as a ``str`` is taken as already rendered with ``delimiters``.
    """
    if usage not in ("P", "T"):
        raise ValueError(f"ISA15 usage indicator must be P or T, not {usage!r}")
    if not bodies:
        raise ValueError("an interchange needs at least one transaction set")
    delimiters.check_distinct()
    tail = "\n" if line_breaks else ""
    out: list[str] = []
    isa_control = numbers.next(sender.id, "interchange")
    out.append(isa_text(sender, receiver, when, isa_control, usage, ack_requested, delimiters) + tail)
    groups: list[list[TransactionBody]] = []
    for body in bodies:
        last = groups[-1][0] if groups else None
        if last is not None and (last.functional_id, last.version) == (body.functional_id, body.version):
            groups[-1].append(body)
        else:
            groups.append([body])
    for group in groups:
        gs_control = numbers.next(sender.id, "group")
        head = group[0]
        out.append(
            render_segment(
                (
                    "GS",
                    head.functional_id,
                    sender.gs_code,
                    receiver.gs_code,
                    when.strftime("%Y%m%d"),
                    when.strftime("%H%M"),
                    str(gs_control),
                    "X",
                    head.version,
                ),
                delimiters,
            )
            + tail
        )
        for body in group:
            st_control = f"{numbers.next(sender.id, 'transaction'):04d}"
            out.append(render_segment(("ST", body.set_id, st_control, body.version), delimiters) + tail)
            for seg in body.segments:
                out.append((seg if seg.__class__ is str else render_segment(seg, delimiters)) + tail)
            out.append(render_segment(("SE", str(len(body.segments) + 2), st_control), delimiters) + tail)
        out.append(render_segment(("GE", str(len(group)), str(gs_control)), delimiters) + tail)
    out.append(render_segment(("IEA", str(len(groups)), f"{isa_control:09d}"), delimiters) + tail)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class EnvelopeProblem:
    """An envelope mistake: level (interchange, group, transaction), its code and where it is.

    ``code`` is a TA1 note code (TA105) for the interchange level, a 999 AK9 functional group
    syntax error code for groups, and a 999 IK5 transaction set syntax error code for sets.
    """

    level: str
    code: str
    message: str
    position: int = 0


@dataclass(slots=True)
class Transaction:
    """A transaction set as read: ST through SE (SE may be missing) and its problems."""

    segments: list[Segment]
    version: str
    problems: list[EnvelopeProblem] = field(default_factory=list)

    @property
    def st(self) -> Segment:
        """The ST segment."""
        return self.segments[0]

    @property
    def se(self) -> Segment | None:
        """The SE segment, or None when the set has no trailer."""
        last = self.segments[-1]
        return last if last.tag == "SE" and len(self.segments) > 1 else None

    @property
    def set_id(self) -> str:
        """ST01: the transaction set identifier (``"837"``)."""
        return self.st[1]

    @property
    def control_number(self) -> str:
        """ST02: the transaction set control number."""
        return self.st[2]

    @property
    def body(self) -> list[Segment]:
        """The segments between ST and SE."""
        end = len(self.segments) - 1 if self.se is not None else len(self.segments)
        return self.segments[1:end]

    def position_of(self, segment: Segment) -> int:
        """1-based position of ``segment`` within this transaction set (ST is 1)."""
        return segment.position - self.st.position + 1


@dataclass(slots=True)
class FunctionalGroup:
    """A functional group as read: GS, its transaction sets, GE (or None) and its problems."""

    gs: Segment
    transactions: list[Transaction] = field(default_factory=list)
    ge: Segment | None = None
    problems: list[EnvelopeProblem] = field(default_factory=list)

    @property
    def functional_id(self) -> str:
        """GS01: the functional identifier code (``"HC"`` for claims)."""
        return self.gs[1]

    @property
    def control_number(self) -> str:
        """GS06: the group control number."""
        return self.gs[6]

    @property
    def version(self) -> str:
        """GS08: the version / release / industry identifier."""
        return self.gs[8]


@dataclass(slots=True)
class Interchange:
    """An interchange as read: delimiters, ISA, groups, IEA (or None) and TA1-level problems."""

    delimiters: Delimiters
    isa: Segment
    groups: list[FunctionalGroup] = field(default_factory=list)
    iea: Segment | None = None
    problems: list[EnvelopeProblem] = field(default_factory=list)

    @property
    def control_number(self) -> str:
        """ISA13: the interchange control number."""
        return self.isa[13]

    @property
    def sender(self) -> Party:
        """ISA05/ISA06 as a Party."""
        return Party(self.isa[6].strip(), self.isa[5].strip())

    @property
    def receiver(self) -> Party:
        """ISA07/ISA08 as a Party."""
        return Party(self.isa[8].strip(), self.isa[7].strip())

    @property
    def usage(self) -> str:
        """ISA15: P for production, T for test."""
        return self.isa[15]

    @property
    def date(self) -> date | None:
        """ISA09 as a date (None when unreadable)."""
        try:
            return datetime.strptime(self.isa[9], "%y%m%d").date()
        except ValueError:
            return None

    @property
    def transactions(self) -> list[Transaction]:
        """Every transaction set of every group, in order."""
        return [tx for group in self.groups for tx in group.transactions]


def _check_isa(isa: Segment) -> list[EnvelopeProblem]:
    """TA1-level checks of the ISA's fixed fields."""
    problems: list[EnvelopeProblem] = []
    checks = (
        (1, "010", lambda v: v in ("00", "03"), "ISA01 authorization qualifier"),
        (3, "012", lambda v: v in ("00", "01"), "ISA03 security qualifier"),
        (5, "005", lambda v: len(v) == 2 and v.isalnum(), "ISA05 sender qualifier"),
        (6, "006", lambda v: 0 < len(v) <= 15, "ISA06 sender id"),
        (7, "007", lambda v: len(v) == 2 and v.isalnum(), "ISA07 receiver qualifier"),
        (8, "008", lambda v: 0 < len(v) <= 15, "ISA08 receiver id"),
        (9, "014", _is_yymmdd, "ISA09 interchange date"),
        (10, "015", _is_hhmm, "ISA10 interchange time"),
        (12, "017", lambda v: v == "00501", "ISA12 version (00501 expected)"),
        (13, "018", lambda v: len(v) == 9 and v.isdigit(), "ISA13 control number (nine digits)"),
        (14, "019", lambda v: v in ("0", "1"), "ISA14 acknowledgment requested"),
        (15, "020", lambda v: v in ("P", "T"), "ISA15 usage indicator"),
    )
    if len(isa.elements) < 17:
        problems.append(
            EnvelopeProblem("interchange", "024", f"ISA has {len(isa) - 1} elements, not 16", isa.position)
        )
        return problems
    for index, code, ok, what in checks:
        value = isa[index]
        if not ok(value):
            problems.append(EnvelopeProblem("interchange", code, f"invalid {what}: {value!r}", isa.position))
    return problems


def _is_yymmdd(value: str) -> bool:
    try:
        datetime.strptime(value, "%y%m%d")
    except ValueError:
        return False
    return len(value) == 6


def _is_hhmm(value: str) -> bool:
    return len(value) == 4 and value.isdigit() and int(value[:2]) < 24 and int(value[2:]) < 60


def _close_transaction(tx: Transaction) -> None:
    se = tx.se
    st = tx.st
    if not st[2]:
        tx.problems.append(EnvelopeProblem("transaction", "7", "ST02 control number is missing", st.position))
    if se is None:
        tx.problems.append(EnvelopeProblem("transaction", "2", f"ST {st[2]} has no SE trailer", st.position))
        return
    if se[2] != st[2]:
        tx.problems.append(
            EnvelopeProblem("transaction", "3", f"SE02 {se[2]!r} does not match ST02 {st[2]!r}", se.position)
        )
    if se[1] != str(len(tx.segments)):
        tx.problems.append(
            EnvelopeProblem(
                "transaction",
                "4",
                f"SE01 says {se[1]!r} segments but the set has {len(tx.segments)}",
                se.position,
            )
        )


def _close_group(group: FunctionalGroup) -> None:
    ge = group.ge
    gs = group.gs
    if ge is None:
        group.problems.append(EnvelopeProblem("group", "3", f"GS {gs[6]} has no GE trailer", gs.position))
        return
    if ge[2] != gs[6]:
        group.problems.append(
            EnvelopeProblem("group", "4", f"GE02 {ge[2]!r} does not match GS06 {gs[6]!r}", ge.position)
        )
    if ge[1] != str(len(group.transactions)):
        group.problems.append(
            EnvelopeProblem(
                "group",
                "5",
                f"GE01 says {ge[1]!r} transaction sets but the group has {len(group.transactions)}",
                ge.position,
            )
        )


_ENVELOPE_TAGS = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE"})


def _read_one(delimiters: Delimiters, segments: list[Segment], marks: list[int]) -> Interchange:
    """Build one interchange from its segments (the first is the ISA).

    ``marks`` are the indexes of its envelope segments after the ISA (GS, GE, ST, SE, IEA), in
    order: the segments between two marks are taken in one slice.
    """
    interchange = Interchange(delimiters=delimiters, isa=segments[0])
    interchange.problems.extend(_check_isa(segments[0]))
    reader = _EnvelopeReader(interchange)
    following = 1
    for index in marks:
        if following < index:
            reader.inner(segments[following:index])
        following = index + 1
        if reader.envelope(segments[index]):
            break
    else:
        if following < len(segments):
            reader.inner(segments[following:])
    reader.finish(segments[-1])
    return interchange


class _EnvelopeReader:
    """The groups and transaction sets of one interchange, read from its envelope segments."""

    __slots__ = ("group", "interchange", "tx")

    def __init__(self, interchange: Interchange) -> None:
        self.interchange = interchange
        self.group: FunctionalGroup | None = None
        self.tx: Transaction | None = None

    def inner(self, run: list[Segment]) -> None:
        """Segments that are not envelope segments: the open set's, else each one a problem."""
        if self.tx is not None:
            self.tx.segments.extend(run)
            return
        for seg in run:
            self.interchange.problems.append(
                EnvelopeProblem(
                    "interchange",
                    "024",
                    f"segment {seg.elements[0]!r} outside a transaction set",
                    seg.position,
                )
            )

    def envelope(self, seg: Segment) -> bool:
        """Read one GS, GE, ST, SE or IEA; True at the IEA (the interchange ends there)."""
        tag = seg.elements[0]
        interchange = self.interchange
        if self.tx is not None:
            if tag == "SE":
                self.tx.segments.append(seg)
                _close_transaction(self.tx)
                self.tx = None
                return False
            _close_transaction(self.tx)
            self.tx = None
        group = self.group
        if tag == "ST":
            if group is None:
                interchange.problems.append(
                    EnvelopeProblem(
                        "interchange", "024", "ST segment outside a functional group (no GS)", seg.position
                    )
                )
                group = self.group = FunctionalGroup(gs=Segment(("GS",), seg.position))
                interchange.groups.append(group)
            self.tx = Transaction(segments=[seg], version=seg[3] or group.gs[8])
            group.transactions.append(self.tx)
        elif tag == "GS":
            if group is not None and group.ge is None:
                _close_group(group)
            self.group = FunctionalGroup(gs=seg)
            interchange.groups.append(self.group)
        elif tag == "GE":
            if group is None or group.ge is not None:
                interchange.problems.append(
                    EnvelopeProblem("interchange", "024", "GE segment without a matching GS", seg.position)
                )
                return False
            group.ge = seg
            _close_group(group)
        elif tag == "IEA":
            if group is not None and group.ge is None:
                _close_group(group)
            interchange.iea = seg
            _check_iea(interchange, seg)
            return True
        else:
            interchange.problems.append(
                EnvelopeProblem(
                    "interchange", "024", f"segment {tag!r} outside a transaction set", seg.position
                )
            )
        return False

    def finish(self, last: Segment) -> None:
        """Close what is still open; an interchange without an IEA is a problem."""
        if self.tx is not None:
            _close_transaction(self.tx)
        interchange = self.interchange
        if interchange.iea is None:
            if self.group is not None and self.group.ge is None:
                _close_group(self.group)
            interchange.problems.append(
                EnvelopeProblem(
                    "interchange", "023", "the interchange ends without an IEA trailer", last.position
                )
            )


def _check_iea(interchange: Interchange, iea: Segment) -> None:
    if iea[2] != interchange.isa[13]:
        interchange.problems.append(
            EnvelopeProblem(
                "interchange",
                "001",
                f"IEA02 {iea[2]!r} does not match ISA13 {interchange.isa[13]!r}",
                iea.position,
            )
        )
    if iea[1] != str(len(interchange.groups)):
        interchange.problems.append(
            EnvelopeProblem(
                "interchange",
                "021",
                f"IEA01 says {iea[1]!r} functional groups but the interchange has {len(interchange.groups)}",
                iea.position,
            )
        )


def read_interchanges(data: str | bytes) -> list[Interchange]:
    """Read every interchange in ``data``; envelope mistakes are kept as problems, not raised."""
    delimiters, segments = tokenize(data)
    tags = _ENVELOPE_TAGS
    marks = [i for i, seg in enumerate(segments) if seg.elements[0] in tags]
    starts = [i for i in marks if segments[i].elements[0] == "ISA"]
    if not starts or starts[0] != 0:
        raise X12SyntaxError("the interchange does not start with an ISA segment", "024")
    bounds = [*starts, len(segments)]
    return [
        _read_one(
            delimiters, segments[a:b], [i - a for i in marks[bisect_right(marks, a) : bisect_left(marks, b)]]
        )
        for a, b in itertools.pairwise(bounds)
    ]


def read_interchange(data: str | bytes) -> Interchange:
    """Read the first interchange in ``data`` (see :func:`read_interchanges`)."""
    return read_interchanges(data)[0]


def transactions_of(data: str | bytes, set_id: str) -> list[Transaction]:
    """Every transaction set with identifier ``set_id`` (e.g. ``"835"``) in ``data``, in order."""
    return [
        transaction
        for interchange in read_interchanges(data)
        for transaction in interchange.transactions
        if transaction.set_id == set_id
    ]
