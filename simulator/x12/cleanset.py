"""The clean-set reader: the claims of a clean 837 transaction set, read in one pass.

Most 837 transaction sets a payer receives are clean: the layout the implementation guide
expects, no syntax error, every claim passing the business edits. :func:`read_clean_set` reads
such a set in one pass over its segments, with no loop tree, picks each claim's segments
(:class:`~simulator.x12.read837.ClaimSegments`) and builds the claims with the same builder as
the full reader (:func:`~simulator.x12.read837.claim_from_segments`).

It never rejects anything. It answers None as soon as the set is not plainly clean: a segment
:func:`~simulator.x12.syntax837.segment_ok` does not pass, a segment or loop it does not place
itself (other-payer loops 2320 and the 2410/2430/2440 line loops, pay-to plan, an NM1 it does not
know, a repeated name loop, a segment out of its usual place), a structure rule of
:func:`~simulator.x12.syntax837.check_structure` not met, a business edit of the full front end
failing (:mod:`simulator.x12.claimrules`), or a claim that does not build. The full front end
then reads the set and names every problem. So the claims it returns are exactly those the full
front end would accept, and it only has to be right about what it accepts; tests hold the two
readers to the same answers on generated, mutated and sample files.
"""

from __future__ import annotations

from datetime import date

from simulator.models import Claim
from simulator.x12.claimrules import (
    ICD10_CUTOVER,
    PROCEDURE_CODE,
    TAXONOMY,
    icd10_problem,
    money_or_none,
    npi_problem,
)
from simulator.x12.read837 import ClaimSegments, claim_from_segments
from simulator.x12.segments import Segment, parse_date8
from simulator.x12.syntax837 import segment_ok

__all__ = ["read_clean_set"]

# The name loops placed here, by (context loop, NM101): the loops payersim reads or passes over.
_NAMES_PROFESSIONAL = {
    ("2000A", "85"): "2010AA",
    ("2000A", "87"): "2010AB",
    ("2000B", "IL"): "2010BA",
    ("2000B", "PR"): "2010BB",
    ("2000C", "QC"): "2010CA",
    ("2300", "DN"): "2310A",
    ("2300", "P3"): "2310A",
    ("2300", "82"): "2310B",
    ("2300", "77"): "2310C",
    ("2300", "DQ"): "2310D",
    ("2400", "82"): "2420A",
    ("2400", "QB"): "2420B",
    ("2400", "77"): "2420C",
    ("2400", "DQ"): "2420D",
    ("2400", "DK"): "2420E",
    ("2400", "DN"): "2420F",
    ("2400", "P3"): "2420F",
}
_NAMES_INSTITUTIONAL = {
    **{key: value for key, value in _NAMES_PROFESSIONAL.items() if key[0] in ("2000A", "2000B", "2000C")},
    ("2300", "71"): "2310A",
    ("2300", "72"): "2310B",
    ("2300", "ZZ"): "2310C",
    ("2300", "82"): "2310D",
    ("2300", "77"): "2310E",
    ("2300", "DN"): "2310F",
}
# Claim provider loops the business edits check (an NPI sent with NM108 XX must be valid).
_CHECKED_PROFESSIONAL = ("2310A", "2310B")
_CHECKED_INSTITUTIONAL = ("2310A", "2310D", "2310F")

# The segments each loop may hold besides the one that starts it; anything else sends the set
# to the full front end.
_OWN: dict[str, frozenset[str]] = {
    "1000A": frozenset({"PER"}),
    "1000B": frozenset(),
    "2000A": frozenset({"PRV"}),
    "2010AA": frozenset({"N3", "N4", "REF", "PER"}),
    "2010AB": frozenset({"N3", "N4"}),
    "2000B": frozenset({"SBR", "PAT"}),
    "2010BA": frozenset({"N3", "N4", "DMG", "REF"}),
    "2010BB": frozenset({"N3", "N4", "REF"}),
    "2000C": frozenset({"PAT"}),
    "2010CA": frozenset({"N3", "N4", "DMG", "REF"}),
    "2300": frozenset({"DTP", "PWK", "CN1", "AMT", "REF", "K3", "NTE", "CR1", "CR2", "CRC", "HI", "HCP"}),
    "2310": frozenset({"PRV", "N3", "N4", "REF"}),
    "2400": frozenset({"DTP", "REF", "AMT", "NTE", "PWK", "K3", "HCP", "PS1", "CTP", "QTY", "MEA"}),
    "2420": frozenset({"PRV", "N3", "N4", "REF"}),
}
_OWN_INSTITUTIONAL_CLAIM = _OWN["2300"] | {"CL1"}


class _NotClean(Exception):
    """The set is not plainly clean: leave it to the full front end."""


class _Billing:
    """A 2000A loop as read so far."""

    __slots__ = ("n3", "n4", "name", "prv", "subscribers", "tin_ei", "tin_sy")

    def __init__(self) -> None:
        self.prv = self.name = self.n3 = self.n4 = self.tin_ei = self.tin_sy = None
        self.subscribers = 0


class _Person:
    """A 2000B or 2000C loop as read so far: the HL-level segment and its name loops."""

    __slots__ = ("dmg", "hl_segment", "n3", "n4", "name", "payer")

    def __init__(self) -> None:
        self.hl_segment = self.name = self.dmg = self.n3 = self.n4 = self.payer = None


class _Reader:
    """One pass over a transaction set body, keeping the loop stack the loop tree would build."""

    def __init__(self, institutional: bool) -> None:
        self.institutional = institutional
        self.names = _NAMES_INSTITUTIONAL if institutional else _NAMES_PROFESSIONAL
        self.checked = _CHECKED_INSTITUTIONAL if institutional else _CHECKED_PROFESSIONAL
        self.service = "SV2" if institutional else "SV1"
        self.claim_own = _OWN_INSTITUTIONAL_CLAIM if institutional else _OWN["2300"]
        self.stack: list[str] = ["ST"]
        self.billing: _Billing | None = None
        self.subscriber: _Person | None = None
        self.patient: _Person | None = None
        self.claim: ClaimSegments | None = None
        self.claim_names: dict[str, Segment] = {}
        self.statement: Segment | None = None
        self.line: list | None = None
        self.claims: list[tuple[ClaimSegments, dict[str, Segment], Segment | None]] = []

    # ------------------------------------------------------------ the pass

    def read(self, body: list[Segment]) -> None:
        if not all(map(segment_ok, body)):
            raise _NotClean  # a syntax error, or a segment not certainly clean
        if len(body) < 3 or body[0].elements[0] != "BHT":
            raise _NotClean
        self._header(body[1], "41", "1000A")
        index = 2
        while index < len(body) and body[index].elements[0] == "PER":
            index += 1
        if index >= len(body):
            raise _NotClean
        self._header(body[index], "40", "1000B")
        for seg in body[index + 1 :]:
            tag = seg.elements[0]
            if tag == "HL":
                self._hl(seg)
            elif tag == "NM1":
                self._name(seg)
            elif tag == "CLM":
                self._clm(seg)
            elif tag == "LX":
                self._lx(seg)
            elif tag in ("SBR", "LIN", "SVD", "LQ"):
                self._sbr(seg) if tag == "SBR" else self._fail()
            else:
                self._own(seg, tag)
        if self.billing is None:
            raise _NotClean  # no billing provider loop 2000A
        self._close_billing()

    def _header(self, seg: Segment, entity: str, loop: str) -> None:
        if seg.elements[0] != "NM1" or seg[1] != entity:
            raise _NotClean
        self.stack = ["ST", loop]

    @staticmethod
    def _fail() -> None:
        raise _NotClean

    # ------------------------------------------------------------ loops started by HL, CLM, LX, NM1, SBR

    def _hl(self, seg: Segment) -> None:
        level = seg[3]
        stack = self.stack
        if level == "20":
            self._close_billing()
            self.billing = _Billing()
            self.stack = ["ST", "2000A"]
        elif level == "22" and self.billing is not None:
            self._close_subscriber()
            self.billing.subscribers += 1
            self.subscriber = _Person()
            self.stack = ["ST", "2000A", "2000B"]
        elif level == "23" and "2000B" in stack:
            self._close_patient()
            self.patient = _Person()
            self.stack = ["ST", "2000A", "2000B", "2000C"]
        else:
            raise _NotClean

    def _clm(self, seg: Segment) -> None:
        stack = self.stack
        if "2000C" in stack:
            depth = stack.index("2000C")
        elif "2000B" in stack:
            depth = stack.index("2000B")
            self._close_patient()
        else:
            raise _NotClean
        self._close_claim()
        del stack[depth + 1 :]
        stack.append("2300")
        self._start_claim(seg)

    def _lx(self, seg: Segment) -> None:
        stack = self.stack
        if "2300" not in stack:
            raise _NotClean
        self._close_line()
        del stack[stack.index("2300") + 1 :]
        stack.append("2400")
        self.line = [None, None, None]

    def _sbr(self, seg: Segment) -> None:
        context = self._context()
        if context in ("2300", "2320") or self.stack[-1] != "2000B":
            raise _NotClean  # other-payer loops, or an SBR the loop tree would not place in 2000B
        person = self.subscriber
        if person is None or person.hl_segment is not None:
            raise _NotClean
        person.hl_segment = seg

    def _context(self) -> str:
        for loop in reversed(self.stack):
            if loop in ("ST", "2000A", "2000B", "2000C", "2300", "2320", "2400"):
                return loop
        return "ST"

    def _name(self, seg: Segment) -> None:
        context = self._context()
        loop = self.names.get((context, seg[1]))
        if loop is None:
            raise _NotClean
        stack = self.stack
        del stack[stack.index(context) + 1 :]
        stack.append(loop)
        if context == "2300":
            self._claim_name(loop, seg)
        elif context == "2000A":
            self._billing_name(loop, seg)
        elif context in ("2000B", "2000C"):
            self._person_name(loop, seg)
        # 2420x line providers are passed over: the reader does not use them

    def _billing_name(self, loop: str, seg: Segment) -> None:
        billing = self.billing
        if loop == "2010AA":
            if billing is None or billing.name is not None:
                raise _NotClean
            billing.name = seg

    def _person_name(self, loop: str, seg: Segment) -> None:
        person = self.patient if loop == "2010CA" else self.subscriber
        if person is None:
            raise _NotClean
        if loop == "2010BB":
            if person.payer is not None:
                raise _NotClean
            person.payer = seg
        elif person.name is not None:
            raise _NotClean
        else:
            person.name = seg

    def _claim_name(self, loop: str, seg: Segment) -> None:
        if loop in self.claim_names:
            raise _NotClean
        self.claim_names[loop] = seg

    # ------------------------------------------------------------ segments inside a loop

    def _own(self, seg: Segment, tag: str) -> None:
        loop = self.stack[-1]
        kind = loop[:4] if loop[:4] in ("2310", "2420") else loop
        allowed = self.claim_own if kind == "2300" else _OWN.get(kind)
        if loop == "2400" and tag == self.service:
            self._service(seg)
            return
        if allowed is None or tag not in allowed:
            raise _NotClean
        if loop == "2300":
            self._claim_segment(seg, tag)
        elif loop == "2400":
            self._line_segment(seg, tag)
        elif loop in ("2010AA", "2000A"):
            self._billing_segment(seg, tag)
        elif loop in ("2000B", "2010BA", "2000C", "2010CA"):
            self._person_segment(loop, seg, tag)
        elif kind == "2310" and tag == "PRV":
            self.claim_names.setdefault(loop + "PRV", seg)

    def _billing_segment(self, seg: Segment, tag: str) -> None:
        billing = self.billing
        if billing is None:
            raise _NotClean
        if tag == "PRV":
            if seg[1] == "BI" and billing.prv is None:
                billing.prv = seg
        elif tag == "N3":
            billing.n3 = billing.n3 or seg
        elif tag == "N4":
            billing.n4 = billing.n4 or seg
        elif tag == "REF":
            if seg[1] == "EI":
                billing.tin_ei = billing.tin_ei or seg
            elif seg[1] == "SY":
                billing.tin_sy = billing.tin_sy or seg

    def _person_segment(self, loop: str, seg: Segment, tag: str) -> None:
        person = self.patient if loop in ("2000C", "2010CA") else self.subscriber
        if person is None:
            raise _NotClean
        if loop == "2000C":
            person.hl_segment = person.hl_segment or seg  # PAT
        elif loop == "2000B":
            return  # PAT of a subscriber who is the patient: not read
        elif tag == "DMG":
            person.dmg = person.dmg or seg
        elif tag == "N3":
            person.n3 = person.n3 or seg
        elif tag == "N4":
            person.n4 = person.n4 or seg

    def _claim_segment(self, seg: Segment, tag: str) -> None:
        claim = self.claim
        if tag == "REF":
            claim.refs.setdefault(seg[1], seg[2])
        elif tag == "HI":
            claim.diagnoses.append(seg)
        elif tag == "DTP" and seg[1] == "434" and self.statement is None:
            self.statement = seg

    def _service(self, seg: Segment) -> None:
        if self.line[0] is None:
            self.line[0] = seg

    def _line_segment(self, seg: Segment, tag: str) -> None:
        line = self.line
        if tag == "DTP":
            if seg[1] == "472" and line[1] is None:
                line[1] = seg
        elif tag == "REF" and seg[1] == "6R" and line[2] is None:
            line[2] = seg

    # ------------------------------------------------------------ opening and closing loops

    def _start_claim(self, seg: Segment) -> None:
        billing, subscriber, patient = self.billing, self.subscriber, self.patient
        if billing is None or subscriber is None or billing.name is None:
            raise _NotClean
        claim = ClaimSegments(
            self.institutional,
            seg,
            billing=billing.name,
            billing_n3=billing.n3,
            billing_n4=billing.n4,
            billing_tin=billing.tin_ei or billing.tin_sy,
            billing_taxonomy=billing.prv,
            sbr=subscriber.hl_segment,
            subscriber=subscriber.name,
            subscriber_dmg=subscriber.dmg,
            subscriber_n3=subscriber.n3,
            subscriber_n4=subscriber.n4,
            payer=subscriber.payer,
        )
        if "2000C" in self.stack:
            claim.patient_loop = True
            claim.pat = patient.hl_segment
            claim.patient = patient.name
            claim.patient_dmg = patient.dmg
            claim.patient_n3 = patient.n3
            claim.patient_n4 = patient.n4
        self.claim = claim
        self.claim_names = {}
        self.statement = None

    def _close_line(self) -> None:
        if self.line is not None:
            self.claim.lines.append(tuple(self.line))
            self.line = None

    def _close_claim(self) -> None:
        self._close_line()
        claim = self.claim
        if claim is None:
            return
        if not claim.diagnoses or not claim.lines or (self.institutional and self.statement is None):
            raise _NotClean
        if len(claim.lines) > (999 if self.institutional else 50):
            raise _NotClean
        for service, when, _ in claim.lines:
            if service is None or (when is None and not self.institutional):
                raise _NotClean
        names = self.claim_names
        if self.institutional:
            rendering = "2310A" if "2310A" in names else "2310D"
            referring = "2310F"
        else:
            rendering, referring = "2310B", "2310A"
        claim.rendering = names.get(rendering)
        claim.rendering_prv = names.get(rendering + "PRV")
        claim.referring = names.get(referring)
        claim.referring_prv = names.get(referring + "PRV")
        checked = {loop: names[loop] for loop in self.checked if loop in names}
        self.claims.append((claim, checked, self.statement))
        self.claim = None

    def _close_patient(self) -> None:
        self._close_claim()
        if self.patient is not None and self.patient.name is None:
            raise _NotClean
        self.patient = None

    def _close_subscriber(self) -> None:
        self._close_patient()
        if self.subscriber is not None and self.subscriber.hl_segment is None:
            raise _NotClean
        self.subscriber = None

    def _close_billing(self) -> None:
        self._close_subscriber()
        billing = self.billing
        if billing is None:
            return
        if billing.name is None or billing.n3 is None or billing.n4 is None or not billing.subscribers:
            raise _NotClean
        if billing.tin_ei is None and billing.tin_sy is None:
            raise _NotClean


# ---------------------------------------------------------------- the business edits, as a yes or no


def _lines_pass(claim: ClaimSegments, received: date) -> tuple[bool, date | None]:
    """Charges add up, procedure codes are well formed, no date of service after ``received``."""
    institutional = claim.institutional
    charge_index = 3 if institutional else 2
    code_index = 2 if institutional else 1
    total = 0
    first: date | None = None
    for service, when, _ in claim.lines:
        amount = money_or_none(service[charge_index])
        if amount is None:
            return False, None
        total += amount
        procedure = service.components(code_index)
        if len(procedure) < 2 or not PROCEDURE_CODE.fullmatch(procedure[1]):
            return False, None
        if when is None:
            continue
        start_text, _, end_text = when[3].partition("-")
        start = parse_date8(start_text)
        end = parse_date8(end_text) if end_text else None
        if (start is not None and start > received) or (end is not None and end > received):
            return False, None
        if start is not None and (first is None or start < first):
            first = start
    return money_or_none(claim.clm[2]) == total, first


def _claim_passes(claim: ClaimSegments, statement: Segment | None, received: date) -> bool:
    """CLM frequency (with REF*F8 for 7 and 8) and the statement through date."""
    frequency = claim.clm.component(5, 3)
    if frequency not in ("1", "7", "8") or (frequency != "1" and "F8" not in claim.refs):
        return False
    if statement is not None:
        end = parse_date8(statement[3].partition("-")[2] or statement[3])
        if end is not None and end > received:
            return False
    return True


def _providers_pass(claim: ClaimSegments, checked: dict[str, Segment]) -> bool:
    """Billing NPI, tax id and taxonomy; any claim provider NPI sent as NM108 XX."""
    billing = claim.billing
    if billing[8] != "XX" or not billing[9] or npi_problem(billing[9]):
        return False
    tin = claim.billing_tin[2]
    if not (len(tin) == 9 and tin.isdigit()):
        return False
    prv = claim.billing_taxonomy
    if prv is not None and not TAXONOMY.fullmatch(prv[3]):
        return False
    return not any(nm1[8] == "XX" and nm1[9] and npi_problem(nm1[9]) for nm1 in checked.values())


def _people_pass(claim: ClaimSegments, received: date, first: date | None) -> bool:
    """Subscriber with a member id, payer with an id, birth dates present and not too late."""
    if claim.subscriber is None or not claim.subscriber[9] or claim.payer is None or not claim.payer[9]:
        return False
    people = [(claim.subscriber_dmg, not claim.patient_loop)]
    if claim.patient_loop:
        if claim.patient is None:
            return False
        people.append((claim.patient_dmg, True))
    for dmg, is_patient in people:
        if dmg is None:
            if is_patient:
                return False
            continue
        born = parse_date8(dmg[2])
        if born is None:
            continue
        if born > received or (is_patient and first is not None and born > first):
            return False
    return True


def _diagnoses_pass(claim: ClaimSegments, first: date | None) -> bool:
    """Every ICD-10-CM code valid; no ICD-9 code for a date of service after the cutover."""
    for hi in claim.diagnoses:
        for index in range(1, len(hi.elements)):
            parts = hi.components(index)
            qualifier = parts[0] if parts else ""
            if qualifier in ("ABK", "ABF"):
                if len(parts) < 2 or not parts[1] or icd10_problem(parts[1]):
                    return False
            elif qualifier in ("BK", "BF") and first is not None and first >= ICD10_CUTOVER:
                return False
    return True


def _passes_edits(
    claim: ClaimSegments, checked: dict[str, Segment], statement: Segment | None, received: date
) -> bool:
    lines_ok, first = _lines_pass(claim, received)
    return (
        lines_ok
        and _claim_passes(claim, statement, received)
        and _providers_pass(claim, checked)
        and _people_pass(claim, received, first)
        and _diagnoses_pass(claim, first)
    )


def read_clean_set(body: list[Segment], institutional: bool, received: date) -> list[Claim] | None:
    """The claims of a clean 837 set body (ST to SE, exclusive), or None: the full front end must read it."""
    reader = _Reader(institutional)
    try:
        reader.read(body)
        claims: list[Claim] = []
        for claim, checked, statement in reader.claims:
            if not _passes_edits(claim, checked, statement, received):
                return None
            claims.append(claim_from_segments(claim))
    except Exception:  # not plainly clean, or a claim that does not build: the full front end names why
        return None
    return claims
