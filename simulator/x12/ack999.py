"""999 implementation acknowledgement (005010X231A1): writer and reader.

A 999 answers one functional group: AK1 names the group, then for each transaction set an
AK2, the segment errors found in it (IK3, with CTX naming the claim when the error is inside one,
and IK4 per element in error) and IK5 (accepted, accepted with errors, or rejected), and AK9
sums up the group. One 999 transaction set is written per group acknowledged.

Building and writing::

    error = SegmentError("CLM", position=23, loop="2300", code="8", claim_id="PCN1",
                         message="CLM02 is not a number",
                         elements=(ElementError(2, code="6", reference="782", bad_value="1O0"),))
    tx = TransactionAck("837", "0001", "005010X222A1", status="R", codes=("5",), errors=(error,))
    group = GroupAck("HC", "17", "005010X222A1", transactions=(tx,), included=1)
    text = write_999([group], sender=payer, receiver=submitter, when=..., numbers=...)
    [group] = read_999(text)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from simulator.x12.envelope import (
    ControlNumbers,
    Party,
    TransactionBody,
    read_interchanges,
    write_interchange,
)
from simulator.x12.segments import Element, Segment

__all__ = [
    "VERSION",
    "ElementError",
    "GroupAck",
    "SegmentError",
    "TransactionAck",
    "group_999_body",
    "read_999",
    "write_999",
]

VERSION = "005010X231A1"


@dataclass(frozen=True, slots=True)
class ElementError:
    """IK4: an element in error: its position (and component), reference number, error code and value."""

    position: int
    code: str
    reference: str = ""
    bad_value: str = ""
    component: int | None = None
    message: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class SegmentError:
    """IK3: a segment in error: tag, position in the transaction set, loop, error code and elements.

    IK304 codes: 1 unrecognized segment, 2 unexpected segment, 3 required segment missing,
    4 loop over maximum, 5 segment over maximum use, 7 out of sequence, 8 segment has element
    errors, I6/I7 implementation-dependent segment or loop missing.
    """

    segment: str
    position: int
    loop: str
    code: str
    message: str = field(default="", compare=False)
    elements: tuple[ElementError, ...] = ()
    claim_id: str = ""


@dataclass(frozen=True, slots=True)
class TransactionAck:
    """AK2..IK5: one transaction set's acknowledgement (status A, E or R) with its errors."""

    set_id: str
    control_number: str
    version: str
    status: str = "A"
    codes: tuple[str, ...] = ()
    errors: tuple[SegmentError, ...] = ()

    @property
    def accepted(self) -> bool:
        """True when the set was accepted (with or without errors)."""
        return self.status in ("A", "E")


@dataclass(frozen=True, slots=True)
class GroupAck:
    """AK1..AK9: one functional group's acknowledgement.

    ``included`` is GE01 as sent (AK902); ``codes`` are the group-level error codes (AK905-909).
    ``received`` is how many sets the group held when they are not acknowledged one by one (a
    rejected group): AK903 counts the sets received, whether or not each has an AK2.
    The group status is computed: A, E, P (some sets rejected) or R.
    """

    functional_id: str
    control_number: str
    version: str
    transactions: tuple[TransactionAck, ...] = ()
    included: int | None = None
    codes: tuple[str, ...] = ()
    rejected: bool = False
    received: int | None = None

    @property
    def received_count(self) -> int:
        """AK903: sets received (those acknowledged, or ``received`` when none is)."""
        if self.received is not None and not self.transactions:
            return self.received
        return len(self.transactions)

    @property
    def accepted_count(self) -> int:
        """AK904: sets accepted."""
        return sum(1 for tx in self.transactions if tx.accepted)

    @property
    def status(self) -> str:
        """AK901: A accepted, E accepted with errors, P partially accepted, R rejected."""
        accepted = self.accepted_count
        if self.rejected or (self.transactions and accepted == 0) or (not self.transactions and self.codes):
            return "R"
        if accepted < len(self.transactions):
            return "P"
        if self.codes or any(tx.status == "E" for tx in self.transactions):
            return "E"
        return "A"


def _ik401(error: ElementError) -> Element:
    if error.component is None:
        return str(error.position)
    return (str(error.position), str(error.component))


def _clean(value: str) -> str:
    """The bad value as IK404 may carry it: printable ASCII without delimiter characters, 99 at most."""
    return "".join(c for c in value if " " <= c <= "~" and c not in "*~:^|>`")[:99]


def _code(value: str, low: int, high: int, fallback: str) -> str:
    """``value`` if it is ``low``..``high`` letters or digits, else ``fallback`` (echoes stay well-formed)."""
    return value if low <= len(value) <= high and value.isalnum() and value.isascii() else fallback


def _number(value: str) -> str:
    return value if value.isdigit() and value.isascii() and len(value) <= 9 else "0"


def group_999_body(group: GroupAck) -> list[tuple[Element, ...]]:
    """The segments between ST and SE of the 999 for ``group``."""
    out: list[tuple[Element, ...]] = [
        (
            "AK1",
            _code(group.functional_id, 2, 2, "HC"),
            _number(group.control_number),
            _code(group.version, 1, 12, ""),
        )
    ]
    for tx in group.transactions:
        out.append(
            (
                "AK2",
                _code(tx.set_id, 3, 3, "837"),
                _code(tx.control_number, 4, 9, "0000"),
                _code(tx.version, 1, 35, ""),
            )
        )
        for error in tx.errors[:999]:
            out.append(
                ("IK3", _code(error.segment, 2, 3, "UNK"), str(error.position), error.loop[:4], error.code)
            )
            if error.claim_id:
                out.append(("CTX", ("CLM01", _clean(error.claim_id))))
            for element in error.elements[:99]:
                out.append(
                    ("IK4", _ik401(element), element.reference, element.code, _clean(element.bad_value))
                )
        out.append(("IK5", tx.status, *tx.codes[:5]))
    included = group.included if group.included is not None else len(group.transactions)
    out.append(
        (
            "AK9",
            group.status,
            str(included),
            str(group.received_count),
            str(group.accepted_count),
            *group.codes[:5],
        )
    )
    return out


def write_999(
    groups: Sequence[GroupAck],
    *,
    sender: Party,
    receiver: Party,
    when: datetime,
    numbers: ControlNumbers,
    usage: str = "P",
) -> str:
    """An interchange holding one 999 transaction set per acknowledged group."""
    bodies = [TransactionBody("999", VERSION, "FA", group_999_body(group)) for group in groups]
    return write_interchange(
        bodies, sender=sender, receiver=receiver, when=when, numbers=numbers, usage=usage
    )


def _element_error(seg: Segment) -> ElementError:
    parts = seg.components(1)
    position = int(parts[0]) if parts and parts[0].isdigit() else 0
    component = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return ElementError(position, seg[3], seg[2], seg[4], component)


def _read_group(body: list[Segment]) -> GroupAck | None:
    group: GroupAck | None = None
    txs: list[TransactionAck] = []
    tx: dict | None = None
    errors: list[SegmentError] = []
    for seg in body:
        tag = seg.tag
        if tag == "AK1":
            group = GroupAck(seg[1], seg[2], seg[3])
        elif tag == "AK2":
            tx = {"set_id": seg[1], "control_number": seg[2], "version": seg[3]}
            errors = []
        elif tag == "IK3":
            errors.append(SegmentError(seg[1], int(seg[2]) if seg[2].isdigit() else 0, seg[3], seg[4]))
        elif tag == "CTX" and errors and seg.component(1, 1) == "CLM01":
            last = errors[-1]
            errors[-1] = SegmentError(
                last.segment,
                last.position,
                last.loop,
                last.code,
                last.message,
                last.elements,
                seg.component(1, 2),
            )
        elif tag == "IK4" and errors:
            last = errors[-1]
            errors[-1] = SegmentError(
                last.segment,
                last.position,
                last.loop,
                last.code,
                last.message,
                (*last.elements, _element_error(seg)),
                last.claim_id,
            )
        elif tag == "IK5" and tx is not None:
            txs.append(
                TransactionAck(
                    status=seg[1], codes=tuple(c for c in seg.elements[2:] if c), errors=tuple(errors), **tx
                )
            )
            tx = None
        elif tag == "AK9" and group is not None:
            included = int(seg[2]) if seg[2].isdigit() else None
            received = int(seg[3]) if not txs and seg[3].isdigit() and int(seg[3]) else None
            return GroupAck(
                group.functional_id,
                group.control_number,
                group.version,
                tuple(txs),
                included,
                tuple(c for c in seg.elements[5:] if c),
                rejected=seg[1] == "R" and not txs,
                received=received,
            )
    return group


def read_999(data: str | bytes) -> list[GroupAck]:
    """Every group acknowledgement in the 999 transaction sets of ``data``."""
    found: list[GroupAck] = []
    for interchange in read_interchanges(data):
        for tx in interchange.transactions:
            if tx.set_id == "999":
                group = _read_group(tx.body)
                if group is not None:
                    found.append(group)
    return found
