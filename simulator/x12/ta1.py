"""TA1 interchange acknowledgement: the answer to envelope problems.

A TA1 travels alone in its own ISA/IEA envelope (IEA01 = 0 groups). TA104 is A (accepted),
E (accepted with errors) or R (rejected); TA105 is the note code, for example 001 (IEA02 does not
match ISA13), 021 (IEA01 group count wrong), 023 (premature end of file), 024 (invalid content),
026 (invalid element separator), 027 (invalid component separator).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simulator.x12.envelope import ControlNumbers, Party, isa_text
from simulator.x12.segments import DEFAULT, render_segment, tokenize

__all__ = ["NOTE_CODES", "Ta1", "read_ta1", "write_ta1"]

NOTE_CODES = {
    "000": "no error",
    "001": "interchange control numbers in header and trailer do not match",
    "004": "segment terminator is invalid",
    "005": "invalid sender id qualifier",
    "006": "invalid sender id",
    "007": "invalid receiver id qualifier",
    "008": "invalid receiver id",
    "010": "invalid authorization information qualifier",
    "012": "invalid security information qualifier",
    "014": "invalid interchange date",
    "015": "invalid interchange time",
    "017": "invalid interchange version",
    "018": "invalid interchange control number",
    "019": "invalid acknowledgment requested value",
    "020": "invalid test indicator value",
    "021": "invalid number of included groups",
    "023": "improper (premature) end of file",
    "024": "invalid interchange content",
    "025": "duplicate interchange control number",
    "026": "invalid data element separator",
    "027": "invalid component element separator",
}
"""TA105 note codes payersim uses, with a short description of each."""


@dataclass(frozen=True, slots=True)
class Ta1:
    """One TA1: the interchange it answers (ISA13, ISA09, ISA10), A/E/R and the note code."""

    control_number: str
    date: str
    time: str
    ack_code: str
    note_code: str
    message: str = ""

    @property
    def description(self) -> str:
        """The note code's description, followed by the detailed message when there is one."""
        base = NOTE_CODES.get(self.note_code, "interchange error")
        return f"{base}: {self.message}" if self.message else base


def write_ta1(
    ta1: Ta1, *, sender: Party, receiver: Party, when: datetime, numbers: ControlNumbers, usage: str = "P"
) -> str:
    """The TA1 in its own interchange (ISA, TA1, IEA*0)."""
    control = numbers.next(sender.id, "interchange")
    control_number = (
        ta1.control_number if len(ta1.control_number) == 9 and ta1.control_number.isdigit() else "000000000"
    )
    date = ta1.date if len(ta1.date) == 6 and ta1.date.isdigit() else when.strftime("%y%m%d")
    time = ta1.time if len(ta1.time) == 4 and ta1.time.isdigit() else when.strftime("%H%M")
    return (
        isa_text(sender, receiver, when, control, usage, "0", DEFAULT)
        + render_segment(("TA1", control_number, date, time, ta1.ack_code, ta1.note_code))
        + render_segment(("IEA", "0", f"{control:09d}"))
    )


def read_ta1(data: str | bytes) -> list[Ta1]:
    """Every TA1 segment in ``data``."""
    _, segments = tokenize(data)
    return [Ta1(seg[1], seg[2], seg[3], seg[4], seg[5]) for seg in segments if seg.tag == "TA1"]
