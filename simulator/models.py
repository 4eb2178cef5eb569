"""The shared vocabulary: parties, coverage, claims, adjustments, adjudications and appeals.

These pydantic v2 models are what every part of payersim speaks: the payer pipeline reads a
:class:`Claim` and returns a :class:`ClaimAdjudication`; the X12 codec turns both into and out
of 837 and 835 transactions; the simulation logs them. Money fields are integer cents
(:data:`simulator.money.Cents`). Models are frozen; change one with ``model_copy(update=...)``.

This module imports nothing of payersim's but :mod:`simulator.money` and
:mod:`simulator.identifiers`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from simulator.identifiers import npi_error
from simulator.money import Cents

__all__ = [
    "Address",
    "Adjustment",
    "Appeal",
    "AppealDecision",
    "AppealOutcome",
    "Claim",
    "ClaimAdjudication",
    "ClaimKind",
    "ClaimStatus",
    "Coverage",
    "DocumentationResponse",
    "Frequency",
    "Gender",
    "GroupCode",
    "LineAdjudication",
    "OtherPayer",
    "Patient",
    "Provider",
    "RandomDraw",
    "Relationship",
    "ServiceLine",
    "Subscriber",
]

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Gender(StrEnum):
    """Administrative gender as X12 DMG03 carries it."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class Relationship(StrEnum):
    """Patient's relationship to the subscriber (X12 individual relationship codes)."""

    SELF = "18"
    SPOUSE = "01"
    CHILD = "19"
    OTHER = "G8"


class GroupCode(StrEnum):
    """Claim adjustment group codes: who carries an adjustment."""

    CONTRACTUAL = "CO"
    PATIENT = "PR"
    OTHER = "OA"
    PAYER_INITIATED = "PI"
    CORRECTION = "CR"


class Frequency(StrEnum):
    """Claim frequency type code (CLM05-3)."""

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"


class ClaimKind(StrEnum):
    """Professional (837P, CMS-1500) or institutional (837I, UB-04)."""

    PROFESSIONAL = "professional"
    INSTITUTIONAL = "institutional"


class ClaimStatus(StrEnum):
    """Outcome of adjudicating a claim or a line."""

    PAID = "paid"
    PARTLY_PAID = "partly_paid"
    DENIED = "denied"
    PENDED = "pended"
    REVERSED = "reversed"


class Address(_Model):
    """A US postal address."""

    line1: str = Field(min_length=1, max_length=55)
    line2: str | None = Field(default=None, max_length=55)
    city: str = Field(min_length=2, max_length=30)
    state: str = Field(pattern=r"^[A-Z]{2}$")
    postal_code: str = Field(pattern=r"^[0-9]{5}([0-9]{4})?$")


class Patient(_Model):
    """The person who received the care."""

    patient_id: Code
    first_name: str = Field(min_length=1, max_length=35)
    last_name: str = Field(min_length=1, max_length=60)
    birth_date: date
    gender: Gender = Gender.UNKNOWN
    address: Address | None = None


class Subscriber(_Model):
    """The person who holds the coverage (the patient, or a parent or spouse)."""

    member_id: Code
    first_name: str = Field(min_length=1, max_length=35)
    last_name: str = Field(min_length=1, max_length=60)
    birth_date: date
    gender: Gender = Gender.UNKNOWN
    address: Address | None = None


class Coverage(_Model):
    """A member's enrolment in one payer's plan, as the claim and the payer both see it."""

    payer_id: Code
    plan_id: Code
    member_id: Code
    group_number: str | None = Field(default=None, max_length=50)
    effective_date: date
    termination_date: date | None = None
    relationship: Relationship = Relationship.SELF
    subscriber: Subscriber

    @model_validator(mode="after")
    def _dates_in_order(self) -> Coverage:
        if self.termination_date is not None and self.termination_date < self.effective_date:
            raise ValueError("termination_date is before effective_date")
        return self

    def is_active_on(self, day: date) -> bool:
        """True when the coverage is in force on ``day``."""
        if day < self.effective_date:
            return False
        return self.termination_date is None or day <= self.termination_date


class Provider(_Model):
    """A billing, rendering or referring provider."""

    npi: str
    name: str = Field(min_length=1, max_length=60)
    tin: str = Field(pattern=r"^[0-9]{9}$")
    taxonomy: str = Field(pattern=r"^[0-9A-Z]{9}X$")
    is_organization: bool = True
    first_name: str | None = Field(default=None, max_length=35)
    address: Address | None = None

    @field_validator("npi")
    @classmethod
    def _valid_npi(cls, value: str) -> str:
        problem = npi_error(value)
        if problem:
            raise ValueError(problem)
        return value


class ServiceLine(_Model):
    """One billed service: a procedure code with modifiers, units, charge and date."""

    line_number: int = Field(ge=1, le=50)
    procedure_code: str = Field(pattern=r"^[0-9A-Z]{5}$")
    modifiers: tuple[str, ...] = Field(default=(), max_length=4)
    units: int = Field(default=1, ge=1, le=9999)
    charge: Cents
    service_date: date
    service_date_end: date | None = None
    diagnosis_pointers: tuple[int, ...] = Field(default=(1,), min_length=1, max_length=4)
    revenue_code: str | None = Field(default=None, pattern=r"^[0-9]{4}$")
    place_of_service: str | None = Field(default=None, pattern=r"^[0-9]{2}$")
    control_number: str | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        exclude_if=lambda value: value is None,
        description="the provider's line item control number (837 REF*6R), echoed on the 835",
    )

    @field_validator("modifiers")
    @classmethod
    def _modifier_shape(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for modifier in value:
            if len(modifier) != 2 or not modifier.isalnum():
                raise ValueError(f"modifier {modifier!r} is not two letters or digits")
        return value

    @field_validator("charge")
    @classmethod
    def _charge_not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("charge is negative")
        return value

    @field_validator("diagnosis_pointers")
    @classmethod
    def _pointers_in_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(p < 1 or p > 12 for p in value):
            raise ValueError("diagnosis pointers must be between 1 and 12")
        return value


class OtherPayer(_Model):
    """What an earlier payer did with this claim, carried on a secondary claim (COB)."""

    payer_id: Code
    paid: Cents
    allowed: Cents | None = None
    patient_responsibility: Cents = 0
    adjudication_date: date
    line_adjustments: tuple[tuple[int, tuple[Adjustment, ...]], ...] = ()


class Claim(_Model):
    """A claim as the provider submits it (the content of one 837 CLM loop)."""

    claim_id: str = Field(min_length=1, max_length=38, description="patient control number")
    kind: ClaimKind = ClaimKind.PROFESSIONAL
    frequency: Frequency = Frequency.ORIGINAL
    payer_claim_number: str | None = Field(
        default=None,
        max_length=50,
        description="payer claim control number of the claim replaced or voided",
    )
    billing_provider: Provider
    rendering_provider: Provider | None = None
    referring_provider: Provider | None = None
    patient: Patient
    coverage: Coverage
    other_payers: tuple[OtherPayer, ...] = ()
    place_of_service: str = Field(default="11", pattern=r"^[0-9]{2}$")
    type_of_bill: str | None = Field(default=None, pattern=r"^[0-9]{3}$")
    diagnoses: tuple[str, ...] = Field(min_length=1, max_length=12)
    prior_authorization: str | None = Field(default=None, max_length=50)
    referral_number: str | None = Field(default=None, max_length=50)
    lines: tuple[ServiceLine, ...] = Field(min_length=1, max_length=50)
    total_charge: Cents = Field(
        default=-1, description="CLM02; computed from the lines when omitted"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Claim:
        if self.frequency != Frequency.ORIGINAL and not self.payer_claim_number:
            raise ValueError(
                f"frequency {self.frequency.value} needs payer_claim_number (REF*F8) of the claim it corrects"
            )
        numbers = [line.line_number for line in self.lines]
        if len(set(numbers)) != len(numbers):
            raise ValueError("line_number values repeat")
        for line in self.lines:
            if max(line.diagnosis_pointers) > len(self.diagnoses):
                raise ValueError(
                    f"line {line.line_number} points at diagnosis {max(line.diagnosis_pointers)} "
                    f"but the claim has {len(self.diagnoses)}"
                )
        if self.total_charge == -1:
            object.__setattr__(self, "total_charge", sum(line.charge for line in self.lines))
        return self

    @property
    def line_charge_total(self) -> int:
        """Sum of the line charges, in cents."""
        return sum(line.charge for line in self.lines)

    @property
    def first_service_date(self) -> date:
        """Earliest date of service on the claim."""
        return min(line.service_date for line in self.lines)

    @property
    def last_service_date(self) -> date:
        """Latest date of service on the claim."""
        return max(line.service_date_end or line.service_date for line in self.lines)

    @property
    def is_secondary(self) -> bool:
        """True when an earlier payer has already adjudicated this claim."""
        return bool(self.other_payers)


class Adjustment(_Model):
    """One reason an amount was not paid: group code, CARC, RARCs and the rule that decided it."""

    group: GroupCode
    carc: str = Field(pattern=r"^[A-Z]?[0-9]{1,3}$")
    amount: Cents
    rarcs: tuple[str, ...] = ()
    rule: str = Field(min_length=1, description="id of the rule or step that produced it")
    quantity: int | None = None


class RandomDraw(_Model):
    """A random number a payer drew for a decision, kept so the decision can be explained."""

    stream: str
    rule: str
    value: float


class LineAdjudication(_Model):
    """The payer's decision on one service line. billed == paid + sum of adjustments."""

    line_number: int
    procedure_code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    units_paid: int = 0
    service_date: date
    billed: Cents
    allowed: Cents = 0
    paid: Cents = 0
    adjustments: tuple[Adjustment, ...] = ()
    rarcs: tuple[str, ...] = ()
    status: ClaimStatus = ClaimStatus.PAID

    @property
    def patient_responsibility(self) -> int:
        """Sum of the line's PR adjustments, in cents."""
        return sum(a.amount for a in self.adjustments if a.group == GroupCode.PATIENT)

    @property
    def adjusted(self) -> int:
        """Sum of all the line's adjustments, in cents."""
        return sum(a.amount for a in self.adjustments)

    @property
    def balances(self) -> bool:
        """True when billed equals paid plus adjustments."""
        return self.billed == self.paid + self.adjusted


class ClaimAdjudication(_Model):
    """The payer's decision on a claim: what an 835 CLP loop and an EOB report."""

    claim_id: str
    payer_id: str
    payer_claim_number: str
    status: ClaimStatus
    frequency: Frequency = Frequency.ORIGINAL
    received_date: date
    decided_date: date
    billed: Cents
    allowed: Cents = 0
    paid: Cents = 0
    interest: Cents = 0
    lines: tuple[LineAdjudication, ...] = ()
    claim_adjustments: tuple[Adjustment, ...] = ()
    rarcs: tuple[str, ...] = ()
    rules_fired: tuple[str, ...] = ()
    draws: tuple[RandomDraw, ...] = ()
    reverses: str | None = Field(default=None, description="payer claim number this entry reverses")
    replaced_by: str | None = None
    documentation_due: date | None = None
    coordination_order: int = Field(
        default=1, ge=1, le=3, description="1 primary, 2 secondary, 3 tertiary"
    )

    @property
    def patient_responsibility(self) -> int:
        """Sum of PR adjustments over the lines and the claim, in cents."""
        lines = sum(line.patient_responsibility for line in self.lines)
        return lines + sum(a.amount for a in self.claim_adjustments if a.group == GroupCode.PATIENT)

    @property
    def adjustments(self) -> tuple[Adjustment, ...]:
        """Every adjustment, claim-level first, then line by line."""
        return self.claim_adjustments + tuple(a for line in self.lines for a in line.adjustments)

    @property
    def balances(self) -> bool:
        """True when every line balances and billed equals paid plus all adjustments."""
        total = sum(a.amount for a in self.adjustments)
        return all(line.balances for line in self.lines) and self.billed == self.paid + total

    @property
    def carcs(self) -> tuple[str, ...]:
        """The distinct CARCs used, in first-seen order, as ``GROUP-CARC`` strings."""
        seen: dict[str, None] = {}
        for a in self.adjustments:
            seen.setdefault(f"{a.group.value}-{a.carc}", None)
        return tuple(seen)


class DocumentationResponse(_Model):
    """Records sent in answer to a payer's documentation request on a pended claim."""

    payer_claim_number: str
    sent_date: date
    supports_service: bool = Field(description="whether the records support what was billed")
    complete: bool = True


class AppealOutcome(StrEnum):
    """What an appeal came to."""

    OVERTURNED = "overturned"
    PARTLY_OVERTURNED = "partly_overturned"
    UPHELD = "upheld"
    REFUSED_LATE = "refused_late"
    REFUSED_NOT_APPEALABLE = "refused_not_appealable"


class Appeal(_Model):
    """A provider's request that the payer reconsider a decision."""

    appeal_id: str = Field(min_length=1, max_length=50)
    payer_claim_number: str
    level: int = Field(default=1, ge=1, le=5)
    filed_date: date
    carcs_disputed: tuple[str, ...] = ()
    has_new_evidence: bool = False
    corrected_claim: Claim | None = None


class AppealDecision(_Model):
    """The payer's answer to an appeal, with the adjudication it leads to when overturned."""

    appeal_id: str
    payer_claim_number: str
    level: int
    outcome: AppealOutcome
    decided_date: date
    reason: str
    rule: str
    next_level_deadline: date | None = None
    adjudication: ClaimAdjudication | None = None
    draws: tuple[RandomDraw, ...] = ()
    reversal: ClaimAdjudication | None = Field(
        default=None, description="reversal of the earlier decision, whenever an overturn replaces it"
    )


OtherPayer.model_rebuild()
