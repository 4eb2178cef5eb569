"""Scenario files: what a simulation run is made of, validated once at the edge.

A scenario (YAML, in ``scenarios/`` or anywhere) names the start date, horizon and seed; the
providers and their visit rates and charge masters; the patient panel and its payer mix; the
coding and documentation quality; the billing staff; the clearinghouse; the payers (shipped
profile names plus overrides, including dated ones); patient payment behaviour; and the
policies in force. Unknown keys, wrong types and impossible values are refused with a message
that names the file and the field. Default numbers cite their source in a comment.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulator.errors import UserError, describe_validation_error
from simulator.money import Cents
from simulator.userfiles import load_yaml, read_text

__all__ = [
    "NO_SHIPPED_SCENARIOS",
    "WEEKDAYS",
    "ChargeItem",
    "Clearinghouse",
    "Coding",
    "Defect",
    "PatientBehaviour",
    "PatientPanel",
    "PayerChange",
    "PayerSpec",
    "Policies",
    "PolicyChoice",
    "ProviderGroup",
    "Scenario",
    "Staff",
    "TaskMinutes",
    "load_scenario",
    "scenario_names",
    "scenario_path",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Defect(StrEnum):
    """Kinds of error coding and registration put into a claim, each caught by a payer rule."""

    ELIGIBILITY = "eligibility"
    MISSING_DATA = "missing_data"
    PRIOR_AUTH = "prior_auth"
    NOT_COVERED = "not_covered"
    DOCUMENTATION = "documentation"
    MEDICAL_NECESSITY = "medical_necessity"
    CODING = "coding"
    DUPLICATE = "duplicate"
    PROVIDER_ENROLLMENT = "provider_enrollment"


class ChargeItem(_Part):
    """One procedure on a provider's charge master, how often it is billed and what supports it."""

    code: str = Field(pattern=r"^[0-9A-Z]{5}$")
    charge: Cents
    weight: float = Field(gt=0, description="relative frequency among this group's visits")
    diagnoses: tuple[str, ...] = Field(min_length=1, description="diagnoses that support the code")
    units: int = Field(default=1, ge=1, le=99)
    with_codes: tuple[str, ...] = Field(default=(), description="codes billed with it on the same visit")

    @field_validator("charge")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("charge must be more than zero")
        return value

    @field_validator("diagnoses")
    @classmethod
    def _billable(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from simulator.codes import icd10_error

        problems = [problem for problem in map(icd10_error, value) if problem]
        if problems:
            raise ValueError("; ".join(problems))
        return value


class ProviderGroup(_Part):
    """A group of providers of one specialty sharing a visit pattern and a charge master."""

    specialty: str = Field(min_length=1)
    count: int = Field(ge=1, le=500)
    visits_per_day: dict[str, float] = Field(description="mean visits per provider by weekday")
    charge_master: tuple[ChargeItem, ...] = Field(min_length=1)

    @field_validator("visits_per_day")
    @classmethod
    def _weekdays(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"unknown weekday(s) {unknown}; use {', '.join(WEEKDAYS)}")
        if any(v < 0 or v > 200 for v in value.values()):
            raise ValueError("visits per day must be between 0 and 200")
        return {day: float(value.get(day, 0.0)) for day in WEEKDAYS}


class SecondaryCoverage(_Part):
    """Share of a primary payer's members who also hold a secondary payer."""

    profile: str
    rate: float = Field(ge=0, le=1)


class PatientPanel(_Part):
    """The people the practice sees: panel size, payer mix and secondary coverage."""

    size: int = Field(ge=1, le=5_000_000)
    payer_mix: dict[str, float] = Field(min_length=1, description="payer name -> share of patients")
    secondary: dict[str, SecondaryCoverage] = Field(default_factory=dict)
    plans: dict[str, tuple[str, ...]] = Field(default_factory=dict, description="payer -> plan ids")
    coverage_change_rate: float = Field(
        default=0.08,
        ge=0,
        le=1,
        description="share of patients whose coverage ends during a year",
    )  # source: payersim assumption; eligibility is the top denial reason (CHC 2020)

    @field_validator("payer_mix")
    @classmethod
    def _mix(cls, value: dict[str, float]) -> dict[str, float]:
        if any(v < 0 for v in value.values()) or sum(value.values()) <= 0:
            raise ValueError("payer shares must be zero or more and not all zero")
        return value


class Coding(_Part):
    """Coding and documentation quality: the rate of each defect per claim and the coding lag."""

    defect_rates: dict[Defect, float] = Field(default_factory=dict)
    by_payer: dict[str, dict[Defect, float]] = Field(
        default_factory=dict, description="payer name -> defect rates replacing the general ones"
    )
    documentation_quality: float = Field(
        default=0.6, ge=0, le=1, description="chance requested records support the service"
    )  # source: calibrated to an appeal overturn rate of 51.7% (Premier 2022 claims)
    poor_documentation_factor: float = Field(
        default=0.3, ge=0, le=1, description="documentation quality multiplier on documentation defects"
    )  # source: payersim assumption
    retro_auth_rate: float = Field(
        default=0.4, ge=0, le=1, description="chance a missing authorization is granted afterwards"
    )  # source: payersim assumption
    # source: payersim assumption (charts closed and coded within a couple of days)
    lag_days: float = Field(default=2.0, ge=0, le=60, description="visit to coded claim, days")
    late_chart_rate: float = Field(
        default=0.0, ge=0, le=1, description="share of visits whose charts are finished late"
    )  # source: calibrated so timely filing is near 5.4% of denials (CHC 2020)
    late_chart_days: tuple[float, float] = Field(default=(60.0, 150.0), description="late lag range, days")
    source: str = "calibrated so denial rates land near the published figures (Premier 2024, CHC 2020)"

    @field_validator("defect_rates")
    @classmethod
    def _rates(cls, value: dict[Defect, float]) -> dict[Defect, float]:
        _check_rates(value)
        return value

    @field_validator("late_chart_days")
    @classmethod
    def _late_range(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not 0 <= value[0] <= value[1]:
            raise ValueError("the late lag range must be [low, high] days with 0 <= low <= high")
        return value

    @field_validator("by_payer")
    @classmethod
    def _payer_rates(cls, value: dict[str, dict[Defect, float]]) -> dict[str, dict[Defect, float]]:
        for rates in value.values():
            _check_rates(rates)
        return value


def _check_rates(value: dict[Defect, float]) -> None:
    if any(v < 0 or v > 1 for v in value.values()):
        raise ValueError("each defect rate must be between 0 and 1")
    if sum(value.values()) > 1:
        raise ValueError("defect rates add up to more than 1")


class TaskMinutes(_Part):
    """Staff minutes per task.

    source: payersim assumption, sized so that a denial's rework (review, correction or appeal,
    resubmission, posting) costs about $25-$60 at the default wage, inside the $43.84
    (Premier 2024, private) to $118 (Change Healthcare 2017) per denied claim.
    """

    correct: float = Field(default=8, gt=0)
    submit: float = Field(default=1, gt=0)
    post: float = Field(default=2, gt=0)
    denial_review: float = Field(default=10, gt=0)
    appeal: float = Field(default=45, gt=0)
    documentation: float = Field(default=20, gt=0)
    status_inquiry: float = Field(default=6, gt=0)
    statement: float = Field(default=1, gt=0)
    write_off: float = Field(default=2, gt=0)


class Staff(_Part):
    """The billing office: billers, hours and cost; every task takes their time."""

    billers: int = Field(ge=1, le=1000)
    hours_per_day: float = Field(default=7.5, gt=0, le=16)  # source: payersim assumption, full time
    workdays_per_week: int = Field(default=5, ge=1, le=7)  # source: payersim assumption
    hourly_cost: Cents = Field(default=3200)  # source: payersim assumption (loaded biller wage)
    minutes: TaskMinutes = TaskMinutes()  # source: rework cost $43.84-$118 per denial

    @field_validator("hourly_cost")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("hourly cost must not be negative")
        return value


class Clearinghouse(_Part):
    """Daily batches and the front-end acknowledgement lag."""

    batch_hour: float = Field(default=21.0, ge=0, lt=24)  # source: CAQH CORE, 9 pm ET
    ack_hours: float = Field(default=10.0, ge=0, le=72)  # source: answered by 7 am
    lost_rate: float = Field(default=0.003, ge=0, le=0.2)  # source: payersim assumption


class PayerChange(_Part):
    """Overrides of a payer's profile that take effect on a date (for claims received from it)."""

    effective: date
    overrides: dict[str, Any]
    note: str = ""


class PayerSpec(_Part):
    """A payer in the scenario: a profile name or path, overrides, and dated changes."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    profile: str
    overrides: dict[str, Any] = Field(default_factory=dict)
    changes: tuple[PayerChange, ...] = ()

    @field_validator("changes")
    @classmethod
    def _ordered(cls, value: tuple[PayerChange, ...]) -> tuple[PayerChange, ...]:
        if list(value) != sorted(value, key=lambda c: c.effective):
            raise ValueError("dated changes must be in date order")
        return value


class PatientBehaviour(_Part):
    """How patients pay their balances: less likely as balances grow and age."""

    # source: patient balances collected at 55% (Crowe 2021) or 34.5% (Kodiak 2024)
    statement_pay_rate: float = Field(default=0.25, ge=0, le=1)
    balance_halving: Cents = Field(default=50000)  # source: Crowe 2021, $5,000+ collected at 32%
    # source: collection falls as balances age (athenahealth 2016, Crowe 2021)
    age_decay: float = Field(default=0.75, gt=0, le=1, description="per later statement")
    agency_fee_percent: float = Field(default=30, ge=0, le=100)  # source: payersim assumption
    agency_recovery_rate: float = Field(default=0.2, ge=0, le=1)  # source: payersim assumption
    agency_days: int = Field(default=120, ge=1, le=720)  # source: payersim assumption

    @field_validator("balance_halving")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("balance_halving must be more than zero")
        return value


class PolicyChoice(_Part):
    """A policy picked by name from the registry, with its parameters."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


def _choice(name: str, **params: Any) -> PolicyChoice:
    return PolicyChoice(name=name, params=params)


class Policies(_Part):
    """The billing office's policies in force, each chosen by name."""

    scrubbing: PolicyChoice = _choice("edits")
    eligibility: PolicyChoice = _choice("verify")
    follow_up: PolicyChoice = _choice("after_days")
    denial_triage: PolicyChoice = _choice("expected_value")
    work_order: PolicyChoice = _choice("oldest")
    staffing: PolicyChoice = _choice("fixed")
    statements: PolicyChoice = _choice("cycle")
    small_balance: PolicyChoice = _choice("threshold")

    @model_validator(mode="before")
    @classmethod
    def _names_as_choices(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: {"name": v} if isinstance(v, str) else v for k, v in data.items()}
        return data

    @model_validator(mode="after")
    def _known(self) -> Policies:
        from simulator.policies import check_choice

        for kind in type(self).model_fields:
            check_choice(kind, getattr(self, kind))
        return self


class Scenario(_Part):
    """A whole scenario."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = ""
    start_date: date
    horizon_days: int = Field(ge=1, le=3660)
    # source: payersim choice, long enough for appeals (Premier: 45-60 day review rounds)
    run_out_days: int = Field(default=240, ge=0, le=1460, description="days after the last visit")
    seed: int = Field(default=1, ge=0)
    providers: tuple[ProviderGroup, ...] = Field(min_length=1)
    patients: PatientPanel
    coding: Coding = Coding()
    staff: Staff
    clearinghouse: Clearinghouse = Clearinghouse()
    payers: tuple[PayerSpec, ...] = Field(min_length=1)
    patient_behaviour: PatientBehaviour = PatientBehaviour()
    policies: Policies = Policies()

    @model_validator(mode="after")
    def _payers_known(self) -> Scenario:
        names = [p.name for p in self.payers]
        if len(set(names)) != len(names):
            raise ValueError("a payer name is listed twice under payers")
        for where, used in (
            ("patients.payer_mix", self.patients.payer_mix),
            ("patients.secondary", self.patients.secondary),
        ):
            unknown = sorted(set(used) - set(names))
            if unknown:
                raise ValueError(f"{where} names payer(s) {unknown} not listed under payers")
        unknown = sorted(set(self.coding.by_payer) - set(names))
        if unknown:
            raise ValueError(f"coding.by_payer names payer(s) {unknown} not listed under payers")
        missing = sorted({s.profile for s in self.patients.secondary.values()} - set(names))
        if missing:
            raise ValueError(f"patients.secondary uses payer(s) {missing} not listed under payers")
        return self

    def payer(self, name: str) -> PayerSpec:
        """The payer called ``name``."""
        return next(p for p in self.payers if p.name == name)


def _shipped_folder() -> Path:
    return Path(str(resources.files("simulator"))).parent / "scenarios"


NO_SHIPPED_SCENARIOS = (
    "no shipped scenarios found beside the installed package: install payersim from its folder "
    "in editable mode (pip install -e .), or give a scenario file by its path"
)
"""Why a shipped name cannot be found when the ``scenarios`` folder is not beside the package."""


def scenario_names() -> list[str]:
    """Names of the shipped scenarios, sorted."""
    folder = _shipped_folder()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def scenario_path(name_or_path: str | Path) -> Path:
    """The file of a shipped scenario name, or ``name_or_path`` itself when it is a path.

    A name that is not shipped but names an existing file or folder is taken as that path, so
    its own error (not YAML, a folder) is reported rather than "unknown scenario".
    """
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith((".yaml", ".yml")) or "/" in text:
        return Path(name_or_path)
    names = scenario_names()
    if text not in names and Path(text).exists():
        return Path(text)
    if not names:
        raise UserError(f"unknown scenario {text!r}: {NO_SHIPPED_SCENARIOS}")
    if text not in names:
        raise UserError(f"unknown scenario {text!r}; shipped: {', '.join(names)}")
    return _shipped_folder() / f"{text}.yaml"


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Read and validate a scenario by shipped name or path; errors name the file and the field."""
    path = scenario_path(name_or_path)
    text = read_text(path, "scenario")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        raise UserError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: a scenario must be a mapping of fields")
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, str(path))) from None
