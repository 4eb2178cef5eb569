"""X12 segments, delimiters and the tokenizer.

An interchange announces its own delimiters in the fixed-width ISA segment: the element
separator is the character after ``ISA``, the repetition separator is ISA11, the component
separator is ISA16 and the segment terminator is the character after ISA16. The tokenizer
reads them from there, so any delimiters work, with or without line breaks after each
segment and with or without a UTF-8 byte-order mark.

Reading::

    delimiters, segments = tokenize(raw)          # raw: str or bytes
    for seg in segments:
        seg.tag          # "CLM"
        seg[1]           # CLM01, "" when the element is absent
        seg.components(5)  # CLM05 split on the component separator: ("11", "B", "1")
        seg.position     # 1-based position of the segment in the interchange

Writing (see :mod:`simulator.x12.envelope` for whole interchanges)::

    render_segment(("NM1", "85", "2", "ACME CLINIC", "", "", "", "", "XX", "1234567893"), DEFAULT)
    # -> "NM1*85*2*ACME CLINIC*****XX*1234567893~"

An element given as a tuple is a composite: its parts are joined with the component
separator. Trailing empty elements and trailing empty components are dropped, as X12 requires.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from simulator.money import parse_dollars

__all__ = [
    "DEFAULT",
    "ISA_LENGTH",
    "Delimiters",
    "Element",
    "Segment",
    "X12SyntaxError",
    "format_date8",
    "parse_cents",
    "parse_date8",
    "render_segment",
    "render_segments",
    "segment_text",
    "strip_bom",
    "tokenize",
]

ISA_LENGTH = 106
"""Length of an ISA segment including its terminator (16 fixed-width elements)."""

_BOM = "\ufeff"

Element = str | tuple[str, ...]
"""What a writer passes for one element: a plain value, or a composite's components."""


class X12SyntaxError(ValueError):
    """Raised when text cannot be read as X12 at all; ``ta1_code`` is the TA1 note code (TA105)."""

    def __init__(self, message: str, ta1_code: str = "024") -> None:
        super().__init__(message)
        self.ta1_code = ta1_code


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four X12 delimiters: element, component, repetition and segment terminator."""

    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"

    @classmethod
    def from_isa(cls, text: str) -> Delimiters:
        """Read the delimiters from the first 106 characters of ``text`` (which start with ISA)."""
        if not text.startswith("ISA"):
            raise X12SyntaxError("the interchange does not start with an ISA segment", "024")
        if len(text) < ISA_LENGTH:
            raise X12SyntaxError(f"the ISA segment is {len(text)} characters long, not {ISA_LENGTH}", "023")
        element = text[3]
        if element.isalnum() or element in " \r\n":
            raise X12SyntaxError(f"invalid element separator {element!r} after ISA", "026")
        if text[ISA_LENGTH - 2] == element:
            raise X12SyntaxError("ISA16 component separator is the element separator", "027")
        parts = text[: ISA_LENGTH - 1].split(element)
        if len(parts) != 17:
            raise X12SyntaxError(
                f"the ISA segment has {len(parts) - 1} elements with separator {element!r}, not 16 "
                "(fixed-width ISA expected)",
                "026",
            )
        component = text[ISA_LENGTH - 2]
        segment = text[ISA_LENGTH - 1]
        repetition = parts[11]
        if len(parts[16]) != 1 or component.isalnum() or component in (element, " "):
            raise X12SyntaxError(f"invalid component separator {component!r} in ISA16", "027")
        if segment.isalnum() or segment in (element, component, " "):
            raise X12SyntaxError(f"invalid segment terminator {segment!r} after ISA16", "004")
        if len(repetition) != 1 or repetition.isalnum() or repetition in (element, component, segment):
            # Before 00501 ISA11 was a standards identifier ("U"); keep a safe default then.
            repetition = "^" if "^" not in (element, component, segment) else "{"
        return cls(element=element, component=component, repetition=repetition, segment=segment)

    def check_distinct(self) -> None:
        """Raise ValueError unless the four delimiters are distinct single characters."""
        chars = (self.element, self.component, self.repetition, self.segment)
        if any(len(c) != 1 for c in chars) or len(set(chars)) != 4:
            raise ValueError(f"delimiters must be four distinct characters, got {chars!r}")


DEFAULT = Delimiters()
"""The usual delimiters: ``*`` ``:`` ``^`` ``~``."""


class Segment:
    """One X12 segment: its tag and its elements as strings.

    ``seg[0]`` is the tag; ``seg[n]`` is element n (``""`` when absent, since X12 drops
    trailing empty elements). ``position`` is the 1-based position of the segment in the
    interchange it was read from (0 when built by hand).
    """

    __slots__ = ("component_separator", "elements", "position", "repetition_separator")

    def __init__(
        self,
        elements: Sequence[str],
        position: int = 0,
        component_separator: str = ":",
        repetition_separator: str = "^",
    ) -> None:
        self.elements: tuple[str, ...] = tuple(elements)
        self.position = position
        self.component_separator = component_separator
        self.repetition_separator = repetition_separator

    @property
    def tag(self) -> str:
        """The segment identifier (``"ISA"``, ``"CLM"``...)."""
        return self.elements[0] if self.elements else ""

    def __getitem__(self, index: int) -> str:
        """Element ``index`` (0 is the tag), or ``""`` when the segment is shorter."""
        try:
            return self.elements[index]
        except IndexError:
            return ""

    def __len__(self) -> int:
        return len(self.elements)

    def __iter__(self):
        return iter(self.elements)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Segment):
            return self.elements == other.elements
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.elements)

    def __repr__(self) -> str:
        return f"Segment({'*'.join(self.elements)!r}, position={self.position})"

    def padded(self, last: int) -> tuple[str, ...]:
        """The elements with ``""`` added up to element ``last``, for reading several at once."""
        elements = self.elements
        if len(elements) > last:
            return elements
        return elements + ("",) * (last + 1 - len(elements))

    def components(self, index: int) -> tuple[str, ...]:
        """Element ``index`` split on the component separator (``()`` when absent)."""
        value = self[index]
        return tuple(value.split(self.component_separator)) if value else ()

    def component(self, index: int, part: int) -> str:
        """Component ``part`` (1-based) of element ``index``, or ``""`` when absent."""
        parts = self.components(index)
        return parts[part - 1] if 0 < part <= len(parts) else ""

    def repeats(self, index: int) -> tuple[str, ...]:
        """Element ``index`` split on the repetition separator (``()`` when absent)."""
        value = self[index]
        return tuple(value.split(self.repetition_separator)) if value else ()

    @property
    def last_index(self) -> int:
        """Number of the last element present (0 for a bare tag)."""
        return len(self.elements) - 1

    def to_x12(self, delimiters: Delimiters = DEFAULT) -> str:
        """The segment as text, with its terminator (components re-joined with ``delimiters``)."""
        if delimiters.component != self.component_separator:
            parts = [e.replace(self.component_separator, delimiters.component) for e in self.elements]
        else:
            parts = list(self.elements)
        return delimiters.element.join(parts) + delimiters.segment


def strip_bom(data: str | bytes) -> str:
    """Decode ``data`` (UTF-8, BOM allowed) and drop a leading BOM and leading whitespace."""
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            text = bytes(data).decode("latin-1")
    else:
        text = data
    if text.startswith(_BOM):
        text = text[1:]
    return text.lstrip(" \t\r\n\x00")


_PADDING = "\r\n \t\x00"


def _needs_strip(text: str, terminator: str) -> bool:
    """True when some segment may carry line breaks, tabs, NULs or spaces around it."""
    if any(char in text for char in "\r\n\t\x00" if char != terminator):
        return True
    return f" {terminator}" in text or f"{terminator} " in text or text.endswith(" ")


def tokenize(data: str | bytes) -> tuple[Delimiters, list[Segment]]:
    """Split an interchange into segments, taking the delimiters from its ISA segment.

    Line breaks around segments are ignored (unless the terminator is itself a line break).
    Raises :class:`X12SyntaxError` when there is no readable ISA.
    """
    text = strip_bom(data)
    delimiters = Delimiters.from_isa(text)
    terminator = delimiters.segment
    element = delimiters.element
    component = delimiters.component
    repetition = delimiters.repetition
    if _needs_strip(text, terminator):
        pieces = [piece for piece in (raw.strip(_PADDING) for raw in text.split(terminator)) if piece]
    else:
        pieces = [piece for piece in text.split(terminator) if piece]
    segments = [
        Segment(piece.split(element), position, component, repetition)
        for position, piece in enumerate(pieces, start=1)
    ]
    if segments and segments[0].tag == "ISA":
        # ISA elements are fixed width; keep their padding out of values read by callers.
        isa = segments[0]
        isa.elements = tuple(value.strip() if i else value for i, value in enumerate(isa.elements))
        isa.elements = (*isa.elements[:16], component) if len(isa.elements) >= 17 else isa.elements
    return delimiters, segments


def render_segment(elements: Sequence[Element], delimiters: Delimiters = DEFAULT) -> str:
    """One segment as text with its terminator; trailing empty elements and components are dropped."""
    separator = delimiters.element
    try:
        text = separator.join(elements)  # the usual case: no composite elements
    except TypeError:
        component = delimiters.component
        parts = [
            value if value.__class__ is str else component.join(value).rstrip(component) for value in elements
        ]
        text = separator.join(parts)
    return text.rstrip(separator) + delimiters.segment


def segment_text(text: str) -> str:
    """Segment ``text`` built with ``*`` ended as :func:`render_segment` ends one: empties dropped, ``~``."""
    return text.rstrip("*") + "~"


def render_segments(
    segments: Iterable[Sequence[Element]], delimiters: Delimiters = DEFAULT, line_breaks: bool = False
) -> str:
    """Several segments as text, optionally one per line."""
    tail = "\n" if line_breaks else ""
    return "".join(render_segment(seg, delimiters) + tail for seg in segments)


_DATES: dict[str, date | None] = {}


def parse_date8(value: str) -> date | None:
    """A CCYYMMDD value as a date, or None when it is not one (results are cached)."""
    try:
        return _DATES[value]
    except KeyError:
        pass
    parsed: date | None = None
    if len(value) == 8 and value.isdigit() and value.isascii():
        try:
            parsed = date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            parsed = None
    if len(_DATES) < 200_000:
        _DATES[value] = parsed
    return parsed


_DATE_TEXTS: dict[date, str] = {}


def format_date8(value: date) -> str:
    """``value`` as a CCYYMMDD string (results are cached: writers format the same few days often)."""
    text = _DATE_TEXTS.get(value)
    if text is None:
        text = value.strftime("%Y%m%d")
        if len(_DATE_TEXTS) < 200_000:
            _DATE_TEXTS[value] = text
    return text


def parse_cents(value: str) -> int:
    """An X12 decimal amount (``"150"``, ``"79.04"``, ``".5"``) as integer cents; ValueError if not one."""
    whole, _, fraction = value.partition(".")
    if whole.isdigit() and whole.isascii() and len(fraction) <= 2 and (not fraction or fraction.isdigit()):
        return int(whole) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)
    return parse_dollars(value)
