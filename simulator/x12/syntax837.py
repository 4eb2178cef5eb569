"""Syntax and implementation-guide edits of an 837 transaction set, reported as 999 errors.

Each check names the exact segment (tag and position in the set, ST = 1), its loop and, for
element errors, the element position, reference number and offending value, with the 999 codes:
IK304 (1 unrecognized segment, 2 unexpected segment, 3 required segment missing, 4 loop over
its maximum, 8 element errors, I7 loop under its minimum) and IK403 (1 required element missing,
2 conditional element missing, 3 too many elements, 4 too short, 5 too long, 6 invalid
character, 7 invalid code value, 8 invalid date, 9 invalid time).

Element rules cover the elements payersim reads; structure rules cover the loops and segments
the guides require (submitter, receiver, billing provider, claim, diagnosis, service line and
date of service). A missing subscriber or payer name loop is left to the business edits, which
reject the claim on the 277CA naming the entity.
"""

from __future__ import annotations

import re
from datetime import date

from simulator.x12.ack999 import ElementError, SegmentError
from simulator.x12.loops import Loop
from simulator.x12.segments import Segment

__all__ = ["KNOWN_SEGMENTS", "check_segments", "check_structure", "loop_ids", "segment_ok"]

KNOWN_SEGMENTS = frozenset(
    [
        "BHT",
        "NM1",
        "N3",
        "N4",
        "REF",
        "PER",
        "HL",
        "PRV",
        "SBR",
        "PAT",
        "DMG",
        "CLM",
        "DTP",
        "PWK",
        "CN1",
        "AMT",
        "K3",
        "NTE",
        "CR1",
        "CR2",
        "CR3",
        "CR5",
        "CR6",
        "CR7",
        "CRC",
        "HI",
        "HCP",
        "CL1",
        "LX",
        "SV1",
        "SV2",
        "SV5",
        "CTP",
        "LIN",
        "QTY",
        "MEA",
        "TOO",
        "PS1",
        "MOA",
        "MIA",
        "OI",
        "SVD",
        "CAS",
        "LQ",
        "FRM",
        "CUR",
        "HSD",
        "SV3",
        "SV4",
        "SV6",
        "SV7",
        "LUI",
    ]
)
"""Segment ids that may appear in an 837P or 837I transaction set body."""

_R = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
_N0 = re.compile(r"\d+")
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f]")

# (index, required, type, min length, max length, allowed codes, data element reference number)
_Rule = tuple[int, bool, str, int, int, frozenset[str] | None, str]


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


_RULES: dict[str, tuple[_Rule, ...]] = {
    "BHT": (
        (1, True, "ID", 4, 4, _codes("0019"), "1005"),
        (2, True, "ID", 2, 2, _codes("00 18"), "353"),
        (3, True, "AN", 1, 50, None, "127"),
        (4, True, "DT", 8, 8, None, "373"),
        (5, True, "TM", 4, 8, None, "337"),
        (6, True, "ID", 2, 2, _codes("31 CH RP"), "640"),
    ),
    "NM1": (
        (1, True, "ID", 2, 3, None, "98"),
        (2, True, "ID", 1, 1, _codes("1 2"), "1065"),
        (3, False, "AN", 1, 60, None, "1035"),
        (4, False, "AN", 1, 35, None, "1036"),
        (8, False, "ID", 1, 2, _codes("24 34 46 FI II MI PI XV XX SV ZZ"), "66"),
        (9, False, "AN", 2, 80, None, "67"),
    ),
    "N3": ((1, True, "AN", 1, 55, None, "166"), (2, False, "AN", 1, 55, None, "166")),
    "N4": (
        (1, True, "AN", 2, 30, None, "19"),
        (2, False, "ID", 2, 2, None, "156"),
        (3, False, "ID", 3, 15, None, "116"),
    ),
    "REF": ((1, True, "ID", 2, 3, None, "128"), (2, True, "AN", 1, 50, None, "127")),
    "PER": ((1, True, "ID", 2, 2, _codes("IC"), "366"),),
    "HL": (
        (1, True, "AN", 1, 12, None, "628"),
        (2, False, "AN", 1, 12, None, "734"),
        (3, True, "ID", 1, 2, _codes("20 22 23"), "735"),
        (4, False, "ID", 1, 1, _codes("0 1"), "736"),
    ),
    "PRV": (
        (1, True, "ID", 2, 3, None, "1221"),
        (2, True, "ID", 2, 3, _codes("PXC"), "128"),
        (3, True, "AN", 1, 50, None, "127"),
    ),
    "SBR": (
        (1, True, "ID", 1, 1, _codes("A B C D E F G H P S T U"), "1138"),
        (2, False, "ID", 2, 2, None, "1069"),
        (3, False, "AN", 1, 50, None, "127"),
        (4, False, "AN", 1, 60, None, "93"),
        (9, False, "ID", 1, 2, None, "1032"),
    ),
    "PAT": ((1, False, "ID", 2, 2, _codes("01 19 20 21 39 40 53 G8"), "1069"),),
    "DMG": (
        (1, True, "ID", 2, 3, _codes("D8"), "1250"),
        (2, True, "DT", 8, 8, None, "1251"),
        (3, True, "ID", 1, 1, _codes("F M U"), "1068"),
    ),
    "CLM": (
        (1, True, "AN", 1, 38, None, "1028"),
        (2, True, "R", 1, 18, None, "782"),
        (5, True, "AN", 1, 10, None, ""),
        (6, False, "ID", 1, 1, _codes("N Y"), "1073"),
        (7, True, "ID", 1, 1, _codes("A B C"), "1359"),
        (8, True, "ID", 1, 1, _codes("N W Y"), "1073"),
        (9, True, "ID", 1, 1, _codes("I Y"), "1363"),
    ),
    "DTP": (
        (1, True, "ID", 3, 3, None, "374"),
        (2, True, "ID", 2, 3, _codes("D8 RD8 DT"), "1250"),
        (3, True, "AN", 1, 35, None, "1251"),
    ),
    "HI": ((1, True, "AN", 1, 40, None, ""),),
    "LX": ((1, True, "N0", 1, 6, None, "554"),),
    "SV1": (
        (1, True, "AN", 1, 60, None, ""),
        (2, True, "R", 1, 18, None, "782"),
        (3, True, "ID", 2, 2, _codes("MJ UN"), "355"),
        (4, True, "R", 1, 15, None, "380"),
        (5, False, "AN", 1, 2, None, "1331"),
        (7, True, "AN", 1, 20, None, ""),
    ),
    "SV2": (
        (1, True, "AN", 1, 48, None, "234"),
        (3, True, "R", 1, 18, None, "782"),
        (4, True, "ID", 2, 2, _codes("DA UN"), "355"),
        (5, True, "R", 1, 15, None, "380"),
    ),
    "SVD": (
        (1, True, "AN", 2, 80, None, "67"),
        (2, True, "R", 1, 18, None, "782"),
        (3, True, "AN", 1, 60, None, ""),
        (5, True, "R", 1, 15, None, "380"),
    ),
    "CAS": (
        (1, True, "ID", 2, 2, _codes("CO CR OA PI PR"), "1033"),
        (2, True, "ID", 1, 5, None, "1034"),
        (3, True, "R", 1, 18, None, "782"),
        (4, False, "R", 1, 15, None, "380"),
        (6, False, "R", 1, 18, None, "782"),
        (9, False, "R", 1, 18, None, "782"),
        (12, False, "R", 1, 18, None, "782"),
        (15, False, "R", 1, 18, None, "782"),
        (18, False, "R", 1, 18, None, "782"),
    ),
    "AMT": ((1, True, "ID", 1, 3, None, "522"), (2, True, "R", 1, 18, None, "782")),
    "OI": ((3, True, "ID", 1, 1, _codes("N W Y"), "1073"), (6, True, "ID", 1, 1, _codes("I Y"), "1363")),
}

_MAX_ELEMENTS = {
    "BHT": 6,
    "N3": 2,
    "N4": 7,
    "REF": 4,
    "HL": 4,
    "DMG": 11,
    "CLM": 20,
    "DTP": 3,
    "LX": 1,
    "SV1": 21,
    "SV2": 10,
    "SVD": 6,
    "CAS": 19,
    "AMT": 3,
    "PAT": 9,
    "PRV": 6,
    "SBR": 9,
}

_LOOP_STARTS = frozenset({"HL", "CLM", "LX", "SVD", "LIN", "LQ"})

_dates: dict[str, bool] = {}


def _valid_date(value: str) -> bool:
    known = _dates.get(value)
    if known is None:
        known = False
        if len(value) == 8 and value.isdigit():
            try:
                date(int(value[:4]), int(value[4:6]), int(value[6:]))
                known = True
            except ValueError:
                known = False
        if len(_dates) < 100_000:
            _dates[value] = known
    return known


def _valid_time(value: str) -> bool:
    return value.isdigit() and len(value) in (4, 6, 7, 8) and int(value[:2]) < 24 and int(value[2:4]) < 60


def _element_error(seg: Segment, rule: _Rule) -> ElementError | None:
    index, required, kind, low, high, codes, ref = rule
    value = seg[index]
    if not value:
        if required:
            return ElementError(index, "1", ref, "", message=f"{seg.tag}{index:02d} is required")
        return None
    if _BAD_CHARS.search(value):
        return ElementError(index, "6", ref, value, message=f"{seg.tag}{index:02d} has a control character")
    if kind == "R":
        if not _R.fullmatch(value):
            return ElementError(
                index, "6", ref, value, message=f"{seg.tag}{index:02d} {value!r} is not a number"
            )
        digits = sum(c.isdigit() for c in value)
        if digits > high:
            return ElementError(
                index, "5", ref, value, message=f"{seg.tag}{index:02d} has over {high} digits"
            )
        return None
    if kind == "N0" and not _N0.fullmatch(value):
        return ElementError(
            index, "6", ref, value, message=f"{seg.tag}{index:02d} {value!r} is not a whole number"
        )
    if kind == "DT" and not _valid_date(value):
        return ElementError(
            index, "8", ref, value, message=f"{seg.tag}{index:02d} {value!r} is not a CCYYMMDD date"
        )
    if kind == "TM" and not _valid_time(value):
        return ElementError(index, "9", ref, value, message=f"{seg.tag}{index:02d} {value!r} is not a time")
    if len(value) < low:
        return ElementError(index, "4", ref, value, message=f"{seg.tag}{index:02d} is shorter than {low}")
    if len(value) > high:
        return ElementError(index, "5", ref, value, message=f"{seg.tag}{index:02d} is longer than {high}")
    if codes is not None and value not in codes:
        return ElementError(
            index, "7", ref, value, message=f"{seg.tag}{index:02d} {value!r} is not a valid code"
        )
    return None


def _dtp_value_error(seg: Segment) -> ElementError | None:
    fmt, value = seg[2], seg[3]
    if fmt == "D8" and not _valid_date(value):
        return ElementError(3, "8", "1251", value, message=f"DTP03 {value!r} is not a CCYYMMDD date")
    if fmt == "RD8":
        start, _, end = value.partition("-")
        if not (_valid_date(start) and _valid_date(end)) or end < start:
            return ElementError(
                3, "8", "1251", value, message=f"DTP03 {value!r} is not a CCYYMMDD-CCYYMMDD range"
            )
    return None


def _segment_elements(seg: Segment) -> list[ElementError]:
    errors: list[ElementError] = []
    tag = seg.elements[0]
    for rule in _RULES.get(tag, ()):
        error = _element_error(seg, rule)
        if error is not None:
            errors.append(error)
    limit = _MAX_ELEMENTS.get(tag)
    if limit is not None and len(seg.elements) - 1 > limit:
        errors.append(
            ElementError(
                limit + 1,
                "3",
                "",
                seg.elements[limit + 1],
                message=f"{tag} has {len(seg.elements) - 1} elements, at most {limit} allowed",
            )
        )
    if tag == "DTP" and not errors:
        error = _dtp_value_error(seg)
        if error is not None:
            errors.append(error)
    if tag == "NM1" and seg[8] and not seg[9]:
        errors.append(ElementError(9, "2", "67", "", message="NM109 is required when NM108 is present"))
    return errors


def loop_ids(root: Loop) -> dict[int, str]:
    """The loop id of every segment, by segment position."""
    found: dict[int, str] = {}
    for loop in root.walk():
        loop_id = "" if loop.id == "ST" else loop.id
        for seg in loop.segments:
            found[seg.position] = loop_id
    return found


def _character_errors(seg: Segment) -> list[ElementError]:
    return [
        ElementError(
            index, "6", "", value, message=f"{seg.tag}{index:02d} has a character outside the X12 set"
        )
        for index, value in enumerate(seg.elements)
        if index and not (value.isascii() and value.isprintable())
    ][:99]


def _element_pattern(rule: _Rule) -> str:
    _, required, kind, low, high, codes, _ = rule
    if codes is not None:
        body = "|".join(re.escape(code) for code in sorted(codes))
    elif kind == "R":
        body = f"(?=[^\x1f]{{1,{high}}}(?:\x1f|$))-?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)"
    elif kind == "N0":
        body = f"[0-9]{{{low},{high}}}"
    elif kind == "DT":
        body = "[0-9]{8}"
    elif kind == "TM":
        body = "(?:[01][0-9]|2[0-3])[0-5][0-9](?:[0-9]{2}[0-9]{0,2})?"
    else:
        body = f"[^\x1f]{{{low},{high}}}"
    return f"(?:{body})" if required else f"(?:{body})?"


def _fast_pattern(tag: str, rules: tuple[_Rule, ...]) -> re.Pattern[str]:
    """A regex that matches a segment (elements joined by \x1f) only when its rules all pass."""
    by_index = {rule[0]: rule for rule in rules}
    limit = _MAX_ELEMENTS.get(tag)
    last = limit or max(by_index)
    tail = "" if limit else "(?:\x1f[^\x1f]*)*"
    for index in range(last, 0, -1):
        pattern = _element_pattern(by_index[index]) if index in by_index else "[^\x1f]*"
        piece = f"\x1f{pattern}{tail}"
        needed = any(rule[1] for rule in rules if rule[0] >= index)
        tail = piece if needed else f"(?:{piece})?"
    return re.compile(re.escape(tag) + tail)


_FAST = {
    tag: (_fast_pattern(tag, rules), tuple(rule[0] for rule in rules if rule[2] == "DT"))
    for tag, rules in _RULES.items()
}
_CONTROL_WIDE = re.compile(r"[\x00-\x1d\x7f]")


def _all_clean(raws: list[str], body: list[Segment]) -> bool:
    """True when every element of the set is printable ASCII (so per-segment checks can skip it)."""
    joined = "\x1e".join(raws)
    if not joined.isascii() or _CONTROL_WIDE.search(joined) or joined.count("\x1e") != len(body) - 1:
        return False
    return joined.count("\x1f") == sum(map(len, (seg.elements for seg in body))) - len(body)


_FAST_OK: dict[str, bool] = {}


def _fast_ok_cached(seg: Segment, raw: str) -> bool:
    """:func:`_fast_ok`, remembered per raw segment text (most segments of a file repeat earlier ones)."""
    known = _FAST_OK.get(raw)
    if known is None:
        known = _fast_ok(seg, raw)
        if len(_FAST_OK) < 100_000:
            _FAST_OK[raw] = known
    return known


def _fast_ok(seg: Segment, raw: str) -> bool:
    """True when ``raw`` (a clean segment joined with \x1f) certainly has no element error."""
    elements = seg.elements
    fast = _FAST.get(elements[0])
    if fast is None:
        return True
    pattern, dates = fast
    if pattern.fullmatch(raw) is None:
        return False
    for index in dates:
        if index < len(elements) and elements[index] and not _valid_date(elements[index]):
            return False
    tag = elements[0]
    if tag == "DTP":
        return _dtp_value_error(seg) is None
    return not (tag == "NM1" and seg[8] and not seg[9])


_CLEAN_SEGMENTS: set[tuple[str, ...]] = set()
_CLEAN_LIMIT = 20_000
_CONTROL = re.compile(r"[\x00-\x1e\x7f]")


def segment_ok(seg: Segment) -> bool:
    """True only when ``seg`` certainly has no syntax error (:func:`check_segments` reports none for it).

    A False answer only means "not certainly" (the fast patterns are stricter in places, such as
    counting a number's sign and point in its length): the caller runs the full checks. Segments found
    clean are remembered by their elements, since most segments of a file repeat earlier ones.
    """
    elements = seg.elements
    if elements in _CLEAN_SEGMENTS:
        return True
    if elements[0] not in KNOWN_SEGMENTS:
        return False
    raw = "\x1f".join(elements)
    # printable ASCII elements: no other control character, and no \x1f but the separators
    if not raw.isascii() or _CONTROL.search(raw) or raw.count("\x1f") != len(elements) - 1:
        return False
    if not _fast_ok(seg, raw):
        return False
    if len(_CLEAN_SEGMENTS) >= _CLEAN_LIMIT:
        _CLEAN_SEGMENTS.clear()  # most entries are one-off segments; the repeated ones come back
    _CLEAN_SEGMENTS.add(elements)
    return True


def _to_check(raws: list[str]) -> list[int]:
    """Indexes of the clean segments not already known to pass (most of a file repeats earlier text)."""
    known_ok = _FAST_OK.get
    return [index for index, raw in enumerate(raws) if known_ok(raw) is not True]


def check_segments(body: list[Segment]) -> list[SegmentError]:
    """Segment-level and element-level errors in ``body``; loop and claim are left for the caller."""
    errors: list[SegmentError] = []
    raws = ["\x1f".join(seg.elements) for seg in body]
    clean = _all_clean(raws, body)
    known = KNOWN_SEGMENTS
    for index in _to_check(raws) if clean else range(len(body)):
        seg, raw = body[index], raws[index]
        tag = seg.elements[0]
        if tag not in known:
            errors.append(
                SegmentError(
                    tag[:3] or "?", seg.position, "", "1", f"segment id {tag!r} is not an 837 segment"
                )
            )
            continue
        if clean and _fast_ok_cached(seg, raw):
            continue
        element_errors = _segment_elements(seg)
        if not element_errors and not all(e.isascii() and e.isprintable() for e in seg.elements):
            element_errors = _character_errors(seg)
        if element_errors:
            messages = "; ".join(e.message for e in element_errors)
            errors.append(SegmentError(tag, seg.position, "", "8", messages, tuple(element_errors)))
    return errors


def _missing(
    tag: str, where: Segment, loop: str, message: str, claim_id: str = "", code: str = "3"
) -> SegmentError:
    return SegmentError(tag, where.position, loop, code, message, (), claim_id)


def _check_provider_loop(parent: Loop, child_id: str, entity: str, errors: list[SegmentError]) -> None:
    loop = parent.child(child_id)
    if loop is None:
        errors.append(_missing("NM1", parent.first, child_id, f"loop {child_id} (NM1*{entity}) is missing"))


def _check_claim(claim: Loop, institutional: bool, errors: list[SegmentError]) -> None:
    clm = claim.first
    claim_id = clm[1]
    if claim.find("HI") is None:
        errors.append(
            _missing("HI", clm, "2300", f"claim {claim_id!r} has no HI diagnosis segment", claim_id)
        )
    lines = claim.children_of("2400")
    if not lines:
        errors.append(
            _missing("LX", clm, "2400", f"claim {claim_id!r} has no service line loop 2400", claim_id, "I7")
        )
    if len(lines) > (999 if institutional else 50):
        errors.append(
            SegmentError(
                "LX",
                lines[-1].first.position,
                "2400",
                "4",
                f"claim {claim_id!r} has {len(lines)} service lines",
                (),
                claim_id,
            )
        )
    service = "SV2" if institutional else "SV1"
    for line in lines:
        if line.find(service) is None:
            errors.append(
                _missing(service, line.first, "2400", f"service line has no {service} segment", claim_id)
            )
        if line.find("DTP", "472") is None and (not institutional or claim.find("DTP", "434") is None):
            errors.append(
                _missing("DTP", line.first, "2400", "service line has no date of service (DTP*472)", claim_id)
            )
    if institutional and claim.find("DTP", "434") is None:
        errors.append(
            _missing("DTP", clm, "2300", f"claim {claim_id!r} has no statement dates (DTP*434)", claim_id)
        )
    for other in claim.children_of("2320"):
        if other.child("2330A") is None or other.child("2330B") is None:
            errors.append(
                _missing(
                    "NM1",
                    other.first,
                    "2330A" if other.child("2330A") is None else "2330B",
                    "other payer loop 2320 lacks its subscriber (2330A) or payer (2330B) name",
                    claim_id,
                )
            )


def check_structure(root: Loop, institutional: bool, first: Segment) -> list[SegmentError]:
    """Implementation-guide structure errors: required loops and segments that are missing or misplaced."""
    errors: list[SegmentError] = []
    if not root.segments or root.segments[0].tag != "BHT":
        errors.append(_missing("BHT", first, "", "the transaction set does not start with BHT"))
    if root.child("1000A") is None:
        errors.append(_missing("NM1", first, "1000A", "submitter name loop 1000A (NM1*41) is missing"))
    if root.child("1000B") is None:
        errors.append(_missing("NM1", first, "1000B", "receiver name loop 1000B (NM1*40) is missing"))
    for seg in root.segments[1:]:
        if seg.tag not in ("PER",):
            errors.append(
                SegmentError(
                    seg.tag[:3] or "?",
                    seg.position,
                    "",
                    "2",
                    f"segment {seg.tag} is not expected outside a loop",
                )
            )
    for loop in root.walk():
        for seg in loop.segments[1:] if loop.id != "ST" else loop.segments:
            if seg.elements[0] in _LOOP_STARTS:
                errors.append(
                    SegmentError(
                        seg.elements[0],
                        seg.position,
                        loop.id if loop.id != "ST" else "",
                        "2",
                        f"segment {seg.elements[0]} is out of place: it starts no loop here",
                    )
                )
    billing_loops = root.children_of("2000A")
    if not billing_loops:
        errors.append(_missing("HL", first, "2000A", "no billing provider loop 2000A (HL*20)", code="I7"))
    for billing in billing_loops:
        _check_provider_loop(billing, "2010AA", "85", errors)
        loop = billing.child("2010AA")
        if loop is not None:
            for tag in ("N3", "N4"):
                if loop.find(tag) is None:
                    errors.append(_missing(tag, loop.first, "2010AA", f"billing provider {tag} is missing"))
            if loop.find("REF", "EI") is None and loop.find("REF", "SY") is None:
                errors.append(
                    _missing("REF", loop.first, "2010AA", "billing provider tax id REF*EI is missing")
                )
        subscribers = billing.children_of("2000B")
        if not subscribers:
            errors.append(
                _missing(
                    "HL", billing.first, "2000B", "billing provider has no subscriber loop 2000B", code="I7"
                )
            )
        for subscriber in subscribers:
            if subscriber.find("SBR") is None:
                errors.append(
                    _missing("SBR", subscriber.first, "2000B", "subscriber loop has no SBR segment")
                )
            claims = subscriber.children_of("2300")
            for patient in subscriber.children_of("2000C"):
                if patient.child("2010CA") is None:
                    errors.append(
                        _missing("NM1", patient.first, "2010CA", "patient name loop 2010CA is missing")
                    )
                claims += patient.children_of("2300")
            for claim in claims:
                _check_claim(claim, institutional, errors)
    return errors
