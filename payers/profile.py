"""Payer profiles: the YAML configuration that makes a payer, validated by frozen pydantic models.

A profile names its pipeline steps in order, its fee schedule and edit tables, its benefit
design, timing (adjudication lag, payment floor and weekdays, documentation and appeal
deadlines) and behaviour rates. Every default number carries a ``source``. Unknown fields are
refused and errors name the file and the field.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulator.errors import describe_validation_error
from simulator.money import Cents
from simulator.userfiles import load_yaml, not_utf8

__all__ = [
    "AppealLevel",
    "Benefits",
    "Copay",
    "FeeSchedule",
    "NonCovered",
    "PayerProfile",
    "ProfileError",
    "PromptPay",
    "load_profile",
    "profile_names",
]

PayerType = Literal["medicare", "medicare_advantage", "medicaid", "commercial"]
Source = str


class ProfileError(ValueError):
    """A payer profile that cannot be used; the message names the file and the field."""


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AdjudicationLag(_Part):
    """Days from receipt to decision: a log-normal with this median and spread, clamped."""

    median_days: float = Field(gt=0)
    sigma: float = Field(ge=0, description="log-normal shape (0 = always the median)")
    min_days: int = Field(default=1, ge=0)
    max_days: int = Field(default=120, ge=1)
    source: Source


class PaymentCycle(_Part):
    """When payments go out: no earlier than the floor, on the listed weekdays (0 = Monday)."""

    floor_days: int = Field(ge=0)
    weekdays: tuple[int, ...] = Field(min_length=1)
    source: Source

    @model_validator(mode="after")
    def _weekdays_valid(self) -> PaymentCycle:
        if any(d < 0 or d > 6 for d in self.weekdays):
            raise ValueError("weekdays must be 0 (Monday) to 6 (Sunday)")
        return self


class PromptPay(_Part):
    """Interest a payer owes on a clean claim it pays late: simple interest per day past the window."""

    interest_after_days: int = Field(ge=0, description="days from receipt the payer has to pay")
    annual_rate_percent: Decimal = Field(ge=0, le=100, description="yearly simple interest rate, percent")
    source: Source


class TimelyFiling(_Part):
    """Days from the date of service within which the claim must be received."""

    days: int = Field(ge=1)
    rarcs: tuple[str, ...] = ()
    secondary_from_prior_payer: bool = Field(
        default=True, description="a secondary claim's clock starts at the prior payer's decision"
    )
    source: Source


class Duplicates(_Part):
    """How a duplicate line is reported."""

    group: Literal["CO", "OA"] = "CO"
    rarcs: tuple[str, ...] = ("N522",)
    source: Source = "Medicare's top denials are duplicates (OA-18/N111), Noridian 2024"


class Eligibility(_Part):
    """Whether the payer's roster is the only truth (strict) or claims are trusted off-roster."""

    strict_roster: bool = False
    source: Source = "payersim assumption"


class Authorization(_Part):
    """Procedure codes needing prior authorization or a referral."""

    prior_auth_codes: tuple[str, ...] = ()
    referral_codes: tuple[str, ...] = ()
    source: Source


class NonCovered(_Part):
    """Procedure codes the plan does not cover and the CARC that says so."""

    codes: tuple[str, ...] = Field(min_length=1)
    carc: Literal["96", "204"]
    rarcs: tuple[str, ...] = ()
    source: Source


class FeeSchedule(_Part):
    """Allowed amounts: RVU-like weight x conversion factor x percent of that base."""

    weights_file: str = "rvu.csv"
    conversion_factor: Decimal = Field(gt=0)
    percent_of_base: Decimal = Field(default=Decimal(100), gt=0)
    unlisted_percent_of_charge: Decimal = Field(default=Decimal(50), ge=0, le=100)
    source: Source


class EditTables(_Part):
    """Files of the bundling, units and medical-necessity edits (in payers/data or a path)."""

    ptp_file: str | None = "ptp.csv"
    mue_file: str | None = "mue.csv"
    policy_file: str | None = "policy.csv"
    bypass_modifiers: tuple[str, ...] = ("59", "XE", "XS", "XP", "XU")
    mue_action: Literal["deny_line", "reduce_units"] = "deny_line"
    source: Source = "CMS NCCI policy manual (format); tables are synthetic"


class Copay(_Part):
    """A fixed patient amount for the listed procedure codes."""

    codes: tuple[str, ...] = Field(min_length=1)
    amount: Cents
    waives_deductible_and_coinsurance: bool = True
    source: Source


class Benefits(_Part):
    """Cost sharing per member and plan year."""

    deductible: Cents = 0
    coinsurance_percent: Decimal = Field(default=Decimal(0), ge=0, le=100)
    out_of_pocket_max: Cents | None = None
    copays: tuple[Copay, ...] = ()
    no_cost_share_codes: tuple[str, ...] = ()
    source: Source


class Documentation(_Part):
    """Documentation requests: codes that always pend, random audit rate, days to answer."""

    required_codes: tuple[str, ...] = ()
    audit_rate: float = Field(default=0.0, ge=0, le=1)
    due_days: int = Field(default=45, ge=1)
    source: Source


class Errors(_Part):
    """The payer's own error rate: clean claims wrongly denied as lacking information."""

    rate: float = Field(default=0.0, ge=0, le=1)
    source: Source


class AppealLevel(_Part):
    """One level of appeal: filing deadline, decision lag and overturn probabilities."""

    name: str
    deadline_days: int = Field(ge=1)
    decision_days: int = Field(ge=0)
    overturn_rate: float = Field(ge=0, le=1)
    overturn_by_category: dict[str, float] = Field(default_factory=dict)
    min_amount_in_controversy: Cents = 0
    source: Source


class Appeals(_Part):
    """Appeal levels in order and the CARCs that cannot be appealed."""

    levels: tuple[AppealLevel, ...] = Field(min_length=1)
    not_appealable_carcs: tuple[str, ...] = ()
    source: Source


STEP_NAMES = (  # the names registered in payers.rules, in the usual order
    "front_end",
    "duplicate",
    "eligibility",
    "provider_enrollment",
    "timely_filing",
    "authorization",
    "coverage",
    "bundling",
    "units",
    "medical_necessity",
    "documentation",
    "payer_error",
    "pricing",
    "benefits",
    "cob",
)

ORDER = (("pricing", "benefits"), ("benefits", "cob"), ("pricing", "cob"), ("documentation", "pricing"))
"""Steps that must run in this order when both are listed."""
NEEDED_BY = {"benefits": ("pricing",), "cob": ("pricing",)}
"""Steps that cannot run without another: cost sharing and COB work on the allowed amount."""


class PayerProfile(_Part):
    """A payer as configuration."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    display_name: str = Field(min_length=1)
    payer_type: PayerType
    x12_payer_id: str = Field(pattern=r"^[0-9A-Z]{2,80}$")
    claim_number_prefix: str = Field(pattern=r"^[A-Z]{1,4}$")
    steps: tuple[str, ...] = Field(min_length=1)
    adjudication_lag: AdjudicationLag
    payment: PaymentCycle
    prompt_pay: PromptPay | None = None
    timely_filing: TimelyFiling
    duplicates: Duplicates = Duplicates()
    eligibility: Eligibility = Eligibility()
    authorization: Authorization = Authorization(source="none")
    non_covered: tuple[NonCovered, ...] = ()
    fee_schedule: FeeSchedule
    edits: EditTables = EditTables()
    benefits: Benefits
    documentation: Documentation
    errors: Errors = Errors(source="none")
    appeals: Appeals

    @model_validator(mode="after")
    def _known_steps(self) -> PayerProfile:
        unknown = [s for s in self.steps if s not in STEP_NAMES]
        if unknown:
            raise ValueError(f"unknown step(s) {unknown}; known steps: {', '.join(STEP_NAMES)}")
        if len(set(self.steps)) != len(self.steps):
            raise ValueError("a step is listed twice")
        for before, after in ORDER:
            if before in self.steps and after in self.steps:
                if self.steps.index(before) > self.steps.index(after):
                    raise ValueError(f"step {before!r} must come before {after!r}")
            elif after in self.steps and before in NEEDED_BY.get(after, ()):
                raise ValueError(f"step {after!r} needs step {before!r}")
        return self


def profile_names() -> list[str]:
    """Names of the profiles shipped in payers/profiles, sorted."""
    folder = resources.files("payers").joinpath("profiles")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_profile(name_or_path: str | Path) -> PayerProfile:
    """Load a shipped profile by name, or a profile YAML file by path.

    A name that is not shipped but names an existing file is read as that file.
    """
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith((".yaml", ".yml")) or "/" in text:
        return _load_file(Path(name_or_path))
    names = profile_names()
    if text not in names and Path(text).is_file():
        return _load_file(Path(text))
    if text not in names:
        raise ProfileError(f"unknown payer profile {text!r}; known: {', '.join(names)}")
    return _load_shipped(text)


@cache
def _load_shipped(name: str) -> PayerProfile:
    path = resources.files("payers").joinpath("profiles", f"{name}.yaml")
    return _parse(path.read_text(encoding="utf-8"), f"payers/profiles/{name}.yaml")


def _load_file(path: Path) -> PayerProfile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileError(f"{path}: cannot read the profile: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ProfileError(not_utf8(path, error)) from None
    return _parse(text, str(path))


def _parse(text: str, source: str) -> PayerProfile:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        raise ProfileError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: a profile must be a mapping of fields")
    try:
        return PayerProfile.model_validate(data)
    except ValidationError as error:
        raise ProfileError(describe_validation_error(error, source)) from None
