"""One pass over a clean 837 set body: each claim's segments, picked as the loop tree would place them.

:func:`pick_claims` walks the segments once, keeping the stack of loops that
:func:`~simulator.x12.loops.build_837_tree` would build, and fills a
:class:`~simulator.x12.read837.ClaimSegments` per claim with the very segments
:func:`~simulator.x12.read837.claim_segments` would pick from the tree. It accepts only the
usual layout: each loop may hold the segments listed in :data:`_HELD` (the form loop 2440, the
pay-to plan, other payers' provider loops 2330C-I, unknown name loops, repeated name
loops the reader uses and misplaced segments are all refused), and it checks the structure rules of
:func:`~simulator.x12.syntax837.check_structure` as each loop closes. Anything else raises
:class:`NotClean`, and so does a segment :func:`~simulator.x12.syntax837.segment_ok` does not
pass; the caller then leaves the set to the full front end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.x12.loops import NM1_INSTITUTIONAL, NM1_PROFESSIONAL, Loop
from simulator.x12.read837 import ClaimSegments
from simulator.x12.segments import Segment
from simulator.x12.syntax837 import segment_ok

__all__ = ["NotClean", "PickedClaim", "pick_claims"]


class NotClean(Exception):
    """The set is not plainly clean: leave it to the full front end."""


@dataclass(frozen=True, slots=True)
class PickedClaim:
    """A claim's segments, the claim provider names the edits check, and its statement dates."""

    segments: ClaimSegments
    checked_names: tuple[Segment, ...]
    statement: Segment | None


# The name loops the pass places (as the loop tree does) and reads or passes over; the pay-to
# plan (2010AC) and other payers' provider loops (2330C-I) are left to the full reader.
_LEFT_TO_THE_FULL_READER = frozenset({"1000A", "1000B", "2010AC", *(f"2330{x}" for x in "CDEFGHI")})
_NAMES_PROFESSIONAL, _NAMES_INSTITUTIONAL = (
    {key: loop for key, loop in names.items() if loop not in _LEFT_TO_THE_FULL_READER}
    for names in (NM1_PROFESSIONAL, NM1_INSTITUTIONAL)
)
# Claim provider loops the business edits check (an NPI sent with NM108 XX must be valid).
_CHECKED_PROFESSIONAL = ("2310A", "2310B")
_CHECKED_INSTITUTIONAL = ("2310A", "2310D", "2310F")
# The loops that give a name its context (as in the loop tree).
_CONTEXTS = ("ST", "2000A", "2000B", "2000C", "2300", "2320", "2400")

_HELD: dict[str, frozenset[str]] = {
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
    "2320": frozenset({"CAS", "AMT", "OI", "MOA"}),
    "2330A": frozenset({"N3", "N4", "REF"}),
    "2330B": frozenset({"N3", "N4", "DTP", "REF"}),
    "2400": frozenset({"DTP", "REF", "AMT", "NTE", "PWK", "K3", "HCP", "PS1", "CTP", "QTY", "MEA"}),
    "2410": frozenset({"CTP", "REF"}),
    "2420": frozenset({"PRV", "N3", "N4", "REF"}),
    "2430": frozenset({"CAS", "DTP", "AMT"}),
}
"""The segments each loop may hold besides the one that starts it (in an 837I a claim may also hold
CL1, and an other-payer loop MIA).

Other-payer loops (2320 with 2330A and 2330B, and the line adjudications 2430) are kept as
:class:`~simulator.x12.loops.Loop` objects, which is how the reader reads them.
"""

_Action = Callable[["_Pass", Segment], None]


class _Billing:
    """A 2000A loop as read so far."""

    __slots__ = ("n3", "n4", "name", "prv", "subscribers", "tin_ei", "tin_sy")

    def __init__(self) -> None:
        self.prv = self.name = self.n3 = self.n4 = self.tin_ei = self.tin_sy = None
        self.subscribers = 0


class _Person:
    """A 2000B or 2000C loop as read so far: SBR (or PAT) and the name loops."""

    __slots__ = ("dmg", "level", "n3", "n4", "name", "payer")

    def __init__(self) -> None:
        self.level = self.name = self.dmg = self.n3 = self.n4 = self.payer = None


class _Pass:
    """The pass itself: the loop stack, the loops being read, and the claims picked so far."""

    def __init__(self, institutional: bool) -> None:
        self.institutional = institutional
        self.names = _NAMES_INSTITUTIONAL if institutional else _NAMES_PROFESSIONAL
        self.checked = _CHECKED_INSTITUTIONAL if institutional else _CHECKED_PROFESSIONAL
        self.actions = _actions(institutional)
        self.stack: list[str] = ["ST", "1000B"]
        self.held = self.actions["1000B"]
        self.billing: _Billing | None = None
        self.subscriber: _Person | None = None
        self.patient: _Person | None = None
        self.claim: ClaimSegments | None = None
        self.claim_names: dict[str, Segment] = {}
        self.statement: Segment | None = None
        self.line: list | None = None
        self.other_payers: list[Loop] = []
        self.line_loops: list[Loop] = []
        self.line_loop: Loop | None = None
        self.open_loop: Loop | None = None
        self.picked: list[PickedClaim] = []

    def run(self, segments: list[Segment]) -> None:
        passed_over = _Pass.passed_over
        for seg in segments:
            action = self.held.get(seg.elements[0])
            if action is None:
                raise NotClean  # a segment this loop does not hold here
            if action is not passed_over:
                action(self, seg)
        if self.billing is None:
            raise NotClean  # no billing provider loop 2000A
        self._close_billing()

    def _enter(self, loop: str) -> None:
        self.stack.append(loop)
        self.held = self.actions[loop]

    def _back_to(self, loop: str) -> None:
        del self.stack[self.stack.index(loop) + 1 :]

    # ------------------------------------------------------------ segments that start loops

    def hl(self, seg: Segment) -> None:
        level = seg[3]
        if level == "20":
            self._close_billing()
            self.billing = _Billing()
            self._back_to("ST")
            self._enter("2000A")
        elif level == "22" and self.billing is not None:
            self._close_subscriber()
            self.billing.subscribers += 1
            self.subscriber = _Person()
            self._back_to("2000A")
            self._enter("2000B")
        elif level == "23" and "2000B" in self.stack:
            self._close_patient()
            self.patient = _Person()
            self._back_to("2000B")
            self._enter("2000C")
        else:
            raise NotClean

    def clm(self, seg: Segment) -> None:
        if "2000C" in self.stack:
            self._close_claim()
            self._back_to("2000C")
        elif "2000B" in self.stack:
            self._close_claim()
            self._back_to("2000B")
        else:
            raise NotClean
        self._enter("2300")
        self._start_claim(seg)

    def lx(self, _seg: Segment) -> None:
        if "2300" not in self.stack:
            raise NotClean
        self._close_line()
        self._close_other_payer()
        self._back_to("2300")
        self._enter("2400")
        self.line = [None, None, None]

    def sbr(self, seg: Segment) -> None:
        person = self.subscriber
        if person is None or person.level is not None:
            raise NotClean  # a second SBR
        person.level = seg

    def nm1(self, seg: Segment) -> None:
        stack = self.stack
        # a name loop sits right under its context loop, so the context is the top or the next one
        context = stack[-1] if stack[-1] in _CONTEXTS else stack[-2]
        loop = self.names.get((context, seg[1]))
        if loop is None:
            raise NotClean
        if context == "2300":
            if loop in self.claim_names:
                raise NotClean
            self.claim_names[loop] = seg
        elif context == "2320":
            other = self.other_payers[-1]
            if other.child(loop) is not None:
                raise NotClean
            self.open_loop = Loop(loop, [seg])
            other.children.append(self.open_loop)
        elif loop == "2010AA":
            if self.billing is None or self.billing.name is not None:
                raise NotClean
            self.billing.name = seg
        elif context in ("2000B", "2000C"):
            self._person_name(loop, seg)
        self._back_to(context)
        self._enter(loop)

    def other_payer(self, seg: Segment) -> None:
        """SBR inside a claim: an other-payer loop 2320."""
        self._close_other_payer()
        self._back_to("2300")
        self._enter("2320")
        self.open_loop = Loop("2320", [seg])
        self.other_payers.append(self.open_loop)

    def line_adjudication(self, seg: Segment) -> None:
        """SVD: an other payer's line adjudication, loop 2430."""
        if "2400" not in self.stack:
            raise NotClean
        if self.line_loop is None:
            self.line_loop = Loop("2400")
        self.open_loop = Loop("2430", [seg])
        self.line_loop.children.append(self.open_loop)
        self._back_to("2400")
        self._enter("2430")

    def drug(self, _seg: Segment) -> None:
        """LIN: the drug identification loop 2410 of a service line (not read)."""
        if "2400" not in self.stack:
            raise NotClean
        self._back_to("2400")
        self._enter("2410")

    def _person_name(self, loop: str, seg: Segment) -> None:
        person = self.patient if loop == "2010CA" else self.subscriber
        if person is None:
            raise NotClean
        if loop == "2010BB":
            if person.payer is not None:
                raise NotClean
            person.payer = seg
        elif person.name is not None:
            raise NotClean
        else:
            person.name = seg

    # ------------------------------------------------------------ segments inside loops

    def passed_over(self, _seg: Segment) -> None:
        """A segment the loop may hold and the reader does not use."""

    def kept(self, seg: Segment) -> None:
        """A segment of an other-payer loop, kept in it for the reader."""
        self.open_loop.segments.append(seg)

    def billing_taxonomy(self, seg: Segment) -> None:
        if seg[1] == "BI" and self.billing.prv is None:
            self.billing.prv = seg

    def billing_detail(self, seg: Segment) -> None:
        billing, tag = self.billing, seg.elements[0]
        if tag == "N3":
            billing.n3 = billing.n3 or seg
        elif tag == "N4":
            billing.n4 = billing.n4 or seg
        elif seg[1] == "EI":
            billing.tin_ei = billing.tin_ei or seg
        elif seg[1] == "SY":
            billing.tin_sy = billing.tin_sy or seg

    def subscriber_detail(self, seg: Segment) -> None:
        _person_detail(self.subscriber, seg)

    def patient_detail(self, seg: Segment) -> None:
        _person_detail(self.patient, seg)

    def patient_level(self, seg: Segment) -> None:
        self.patient.level = self.patient.level or seg

    def claim_reference(self, seg: Segment) -> None:
        self.claim.refs.setdefault(seg[1], seg[2])

    def claim_diagnoses(self, seg: Segment) -> None:
        self.claim.diagnoses.append(seg)

    def claim_date(self, seg: Segment) -> None:
        if seg[1] == "434" and self.statement is None:
            self.statement = seg

    def provider_taxonomy(self, seg: Segment) -> None:
        self.claim_names.setdefault(self.stack[-1] + "PRV", seg)

    def service(self, seg: Segment) -> None:
        if self.line[0] is None:
            self.line[0] = seg

    def line_date(self, seg: Segment) -> None:
        if seg[1] == "472" and self.line[1] is None:
            self.line[1] = seg

    def line_reference(self, seg: Segment) -> None:
        if seg[1] == "6R" and self.line[2] is None:
            self.line[2] = seg

    # ------------------------------------------------------------ opening and closing loops

    def _start_claim(self, seg: Segment) -> None:
        billing, subscriber, patient = self.billing, self.subscriber, self.patient
        if billing is None or subscriber is None or billing.name is None:
            raise NotClean
        claim = ClaimSegments(
            self.institutional,
            seg,
            billing=billing.name,
            billing_n3=billing.n3,
            billing_n4=billing.n4,
            billing_tin=billing.tin_ei or billing.tin_sy,
            billing_taxonomy=billing.prv,
            sbr=subscriber.level,
            subscriber=subscriber.name,
            subscriber_dmg=subscriber.dmg,
            subscriber_n3=subscriber.n3,
            subscriber_n4=subscriber.n4,
            payer=subscriber.payer,
        )
        if "2000C" in self.stack:
            claim.patient_loop = True
            claim.pat = patient.level
            claim.patient = patient.name
            claim.patient_dmg = patient.dmg
            claim.patient_n3 = patient.n3
            claim.patient_n4 = patient.n4
        self.claim = claim
        self.claim_names = {}
        self.statement = None
        self.other_payers = []
        self.line_loops = []

    def _close_line(self) -> None:
        if self.line is not None:
            self.claim.lines.append(tuple(self.line))
            self.line_loops.append(self.line_loop or Loop("2400"))
            self.line = None
            self.line_loop = None

    def _close_other_payer(self) -> None:
        if self.other_payers:
            other = self.other_payers[-1]
            if other.child("2330A") is None or other.child("2330B") is None:
                raise NotClean

    def _close_claim(self) -> None:
        claim = self.claim
        if claim is None:
            return
        self._close_line()
        self._close_other_payer()
        if self.other_payers:
            claim.claim_loop = Loop("2300", [claim.clm], list(self.other_payers))
            claim.line_loops = self.line_loops
        institutional = self.institutional
        if not claim.diagnoses or not claim.lines or (institutional and self.statement is None):
            raise NotClean
        if len(claim.lines) > (999 if institutional else 50):
            raise NotClean
        for service, when, _ in claim.lines:
            if service is None or (when is None and not institutional):
                raise NotClean
        names = self.claim_names
        if institutional:
            rendering = "2310A" if "2310A" in names else "2310D"
            referring = "2310F"
        else:
            rendering, referring = "2310B", "2310A"
        claim.rendering = names.get(rendering)
        claim.rendering_prv = names.get(rendering + "PRV")
        claim.referring = names.get(referring)
        claim.referring_prv = names.get(referring + "PRV")
        checked = tuple(names[loop] for loop in self.checked if loop in names)
        self.picked.append(PickedClaim(claim, checked, self.statement))
        self.claim = None

    def _close_patient(self) -> None:
        self._close_claim()
        if self.patient is not None and self.patient.name is None:
            raise NotClean
        self.patient = None

    def _close_subscriber(self) -> None:
        self._close_patient()
        if self.subscriber is not None and self.subscriber.level is None:
            raise NotClean
        self.subscriber = None

    def _close_billing(self) -> None:
        self._close_subscriber()
        billing = self.billing
        if billing is None:
            return
        if billing.name is None or billing.n3 is None or billing.n4 is None or not billing.subscribers:
            raise NotClean
        if billing.tin_ei is None and billing.tin_sy is None:
            raise NotClean


def _person_detail(person: _Person, seg: Segment) -> None:
    tag = seg.elements[0]
    if tag == "DMG":
        person.dmg = person.dmg or seg
    elif tag == "N3":
        person.n3 = person.n3 or seg
    elif tag == "N4":
        person.n4 = person.n4 or seg


_USED: dict[str, dict[str, _Action]] = {
    "2000A": {"PRV": _Pass.billing_taxonomy},
    "2010AA": {"N3": _Pass.billing_detail, "N4": _Pass.billing_detail, "REF": _Pass.billing_detail},
    "2000B": {"SBR": _Pass.sbr},
    "2010BA": {"N3": _Pass.subscriber_detail, "N4": _Pass.subscriber_detail, "DMG": _Pass.subscriber_detail},
    "2000C": {"PAT": _Pass.patient_level},
    "2010CA": {"N3": _Pass.patient_detail, "N4": _Pass.patient_detail, "DMG": _Pass.patient_detail},
    "2300": {"REF": _Pass.claim_reference, "HI": _Pass.claim_diagnoses, "DTP": _Pass.claim_date},
    "2310": {"PRV": _Pass.provider_taxonomy},
    "2400": {"DTP": _Pass.line_date, "REF": _Pass.line_reference},
    "2320": dict.fromkeys(_HELD["2320"] | {"MIA"}, _Pass.kept),
    "2330A": dict.fromkeys(_HELD["2330A"], _Pass.kept),
    "2330B": dict.fromkeys(_HELD["2330B"], _Pass.kept),
    "2430": dict.fromkeys(_HELD["2430"], _Pass.kept),
}
"""The held segments the reader takes something from; the others are passed over."""

_STARTERS: dict[str, _Action] = {"HL": _Pass.hl, "NM1": _Pass.nm1, "CLM": _Pass.clm, "LX": _Pass.lx}

_TABLES: dict[bool, dict[str, dict[str, _Action]]] = {}


def _actions(institutional: bool) -> dict[str, dict[str, _Action]]:
    """For each loop, what to do with each segment it may hold (built once per kind of 837)."""
    tables = _TABLES.get(institutional)
    if tables is None:
        names = _NAMES_INSTITUTIONAL if institutional else _NAMES_PROFESSIONAL
        loops = {"1000B", *_HELD, *names.values()} - {"2310", "2420"}
        tables = {loop: _table(loop, institutional) for loop in loops}
        _TABLES[institutional] = tables
    return tables


def _table(loop: str, institutional: bool) -> dict[str, _Action]:
    kind = loop[:4] if loop[:4] in ("2310", "2420") else loop
    held = set(_HELD[kind])
    if kind == "2300" and institutional:
        held.add("CL1")
    if kind == "2320" and institutional:
        held.add("MIA")
    used = _USED.get(kind, {})
    table: dict[str, _Action] = {tag: used.get(tag, _Pass.passed_over) for tag in held}
    if kind == "2400":
        table["SV2" if institutional else "SV1"] = _Pass.service
    if kind in ("2300", "2310", "2320", "2330A", "2330B"):
        table["SBR"] = _Pass.other_payer
    if kind in ("2400", "2410", "2420", "2430"):
        table["SVD"] = _Pass.line_adjudication
        table["LIN"] = _Pass.drug
    table.update(_STARTERS)
    return table


def pick_claims(body: list[Segment], institutional: bool) -> list[PickedClaim]:
    """Each claim's segments, in order, from an 837 set body (ST to SE, exclusive); raises NotClean."""
    if not all(map(segment_ok, body)):
        raise NotClean  # a syntax error, or a segment not certainly clean
    if len(body) < 3 or body[0].elements[0] != "BHT" or body[1].elements[0] != "NM1" or body[1][1] != "41":
        raise NotClean
    index = 2
    while index < len(body) and body[index].elements[0] == "PER":
        index += 1
    if index >= len(body) or body[index].elements[0] != "NM1" or body[index][1] != "40":
        raise NotClean
    reader = _Pass(institutional)
    reader.run(body[index + 1 :])
    return reader.picked
