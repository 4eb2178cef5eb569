"""The 837 loop structure: turn a transaction set's flat segments into a tree of loops.

X12 loops are not marked in the data; they are known by their first segment and where it
stands. :func:`build_837_tree` knows the 837P and 837I loops that payersim reads or checks:

- header: BHT, 1000A submitter (NM1*41), 1000B receiver (NM1*40)
- 2000A billing provider HL (HL03 = 20) with 2010AA (NM1*85), 2010AB (87), 2010AC (PE)
- 2000B subscriber HL (22) with 2010BA (NM1*IL) and 2010BB (NM1*PR)
- 2000C patient HL (23) with 2010CA (NM1*QC)
- 2300 claim (CLM) with its 2310x provider and location loops (NM1 by entity code)
- 2320 other subscriber (SBR inside a claim) with 2330A (NM1*IL), 2330B (NM1*PR), 2330C-I
- 2400 service line (LX) with 2410 (LIN), 2420x (NM1), 2430 line adjudication (SVD), 2440 (LQ)

The builder never raises: a segment it cannot place stays in the loop it appeared in, and the
front-end edits report it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from simulator.x12.segments import Segment

__all__ = ["NM1_INSTITUTIONAL", "NM1_PROFESSIONAL", "Loop", "build_837_tree"]

_CONTEXT = frozenset({"ST", "2000A", "2000B", "2000C", "2300", "2320", "2400"})

# The loop an NM1 starts, by (context loop, NM101 entity code), for the 837P and the 837I.
NM1_PROFESSIONAL: dict[tuple[str, str], str] = {
    ("ST", "41"): "1000A",
    ("ST", "40"): "1000B",
    ("2000A", "85"): "2010AA",
    ("2000A", "87"): "2010AB",
    ("2000A", "PE"): "2010AC",
    ("2000B", "IL"): "2010BA",
    ("2000B", "PR"): "2010BB",
    ("2000C", "QC"): "2010CA",
    ("2300", "DN"): "2310A",
    ("2300", "P3"): "2310A",
    ("2300", "82"): "2310B",
    ("2300", "77"): "2310C",
    ("2300", "DQ"): "2310D",
    ("2300", "PW"): "2310E",
    ("2300", "45"): "2310F",
    ("2320", "IL"): "2330A",
    ("2320", "PR"): "2330B",
    ("2320", "DN"): "2330C",
    ("2320", "P3"): "2330C",
    ("2320", "82"): "2330D",
    ("2320", "DQ"): "2330E",
    ("2320", "77"): "2330F",
    ("2320", "85"): "2330G",
    ("2400", "82"): "2420A",
    ("2400", "QB"): "2420B",
    ("2400", "77"): "2420C",
    ("2400", "DQ"): "2420D",
    ("2400", "DK"): "2420E",
    ("2400", "DN"): "2420F",
    ("2400", "P3"): "2420F",
    ("2400", "PW"): "2420G",
    ("2400", "45"): "2420H",
}

NM1_INSTITUTIONAL: dict[tuple[str, str], str] = {
    **{key: value for key, value in NM1_PROFESSIONAL.items() if key[0] in ("ST", "2000A", "2000B", "2000C")},
    ("2300", "71"): "2310A",
    ("2300", "72"): "2310B",
    ("2300", "ZZ"): "2310C",
    ("2300", "82"): "2310D",
    ("2300", "77"): "2310E",
    ("2300", "DN"): "2310F",
    ("2320", "IL"): "2330A",
    ("2320", "PR"): "2330B",
    ("2320", "71"): "2330C",
    ("2320", "72"): "2330D",
    ("2320", "ZZ"): "2330E",
    ("2320", "77"): "2330F",
    ("2320", "82"): "2330G",
    ("2320", "DN"): "2330H",
    ("2320", "85"): "2330I",
    ("2400", "72"): "2420A",
    ("2400", "ZZ"): "2420B",
    ("2400", "82"): "2420C",
    ("2400", "DN"): "2420D",
}

_HL_LOOPS = {"20": "2000A", "22": "2000B", "23": "2000C"}
_HL_PARENTS = {"2000A": ("ST",), "2000B": ("2000A",), "2000C": ("2000B",)}


@dataclass(slots=True)
class Loop:
    """A loop: its id (``"2300"``), its segments (the first one starts it) and its child loops."""

    id: str
    segments: list[Segment] = field(default_factory=list)
    children: list[Loop] = field(default_factory=list)

    @property
    def first(self) -> Segment:
        """The segment that starts the loop."""
        return self.segments[0]

    def find(self, tag: str, qualifier: str | None = None) -> Segment | None:
        """The loop's own first ``tag`` segment (whose element 1 is ``qualifier`` when given)."""
        for seg in self.segments:
            if seg.elements[0] == tag and (qualifier is None or seg[1] == qualifier):
                return seg
        return None

    def find_all(self, tag: str, qualifier: str | None = None) -> list[Segment]:
        """All the loop's own ``tag`` segments (with element 1 equal to ``qualifier`` when given)."""
        return [
            seg
            for seg in self.segments
            if seg.elements[0] == tag and (qualifier is None or seg[1] == qualifier)
        ]

    def child(self, loop_id: str) -> Loop | None:
        """The first child loop with ``loop_id``."""
        for loop in self.children:
            if loop.id == loop_id:
                return loop
        return None

    def children_of(self, loop_id: str) -> list[Loop]:
        """Every child loop with ``loop_id``."""
        return [loop for loop in self.children if loop.id == loop_id]

    def walk(self) -> Iterator[Loop]:
        """This loop and every loop under it, depth first, in document order."""
        yield self
        for loop in self.children:
            yield from loop.walk()


_STARTERS = frozenset(("HL", "NM1", "CLM", "LX", "SBR", "LIN", "SVD", "LQ"))
"""Tags that may start a loop (see :func:`_placement`); any other segment stays in the current loop."""


def _context(stack: list[Loop]) -> str:
    for loop in reversed(stack):
        if loop.id in _CONTEXT:
            return loop.id
    return "ST"


def _placement(
    seg: Segment, stack: list[Loop], nm1: dict[tuple[str, str], str]
) -> tuple[str, tuple[str, ...]] | None:
    """The loop ``seg`` starts and the loop ids that may hold it, or None when it starts none."""
    tag = seg.elements[0]
    if tag == "HL":
        loop_id = _HL_LOOPS.get(seg[3])
        return (loop_id, _HL_PARENTS[loop_id]) if loop_id else None
    if tag == "NM1":
        context = _context(stack)
        loop_id = nm1.get((context, seg[1]))
        return (loop_id, (context,)) if loop_id else None
    if tag == "CLM":
        return "2300", ("2000B", "2000C")
    if tag == "LX":
        return "2400", ("2300",)
    if tag == "SBR":
        context = _context(stack)
        return ("2320", ("2300",)) if context in ("2300", "2320") else None
    if tag in ("LIN", "SVD", "LQ"):
        return {"LIN": "2410", "SVD": "2430", "LQ": "2440"}[tag], ("2400",)
    return None


def build_837_tree(body: list[Segment], institutional: bool = False) -> Loop:
    """Arrange an 837's segments (between ST and SE) into a tree of loops under a root ``"ST"``."""
    nm1 = NM1_INSTITUTIONAL if institutional else NM1_PROFESSIONAL
    root = Loop("ST")
    stack = [root]
    for seg in body:
        if seg.elements[0] not in _STARTERS:
            stack[-1].segments.append(seg)
            continue
        placement = _placement(seg, stack, nm1)
        if placement is None:
            stack[-1].segments.append(seg)
            continue
        loop_id, parents = placement
        depth = len(stack) - 1
        while depth > 0 and stack[depth].id not in parents:
            depth -= 1
        if stack[depth].id not in parents:
            stack[-1].segments.append(seg)
            continue
        del stack[depth + 1 :]
        loop = Loop(loop_id, [seg])
        stack[-1].children.append(loop)
        stack.append(loop)
    return root
