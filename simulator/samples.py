"""Small, valid example parties and claims for examples, tests and benchmarks.

Every function returns a fresh, fully valid model; keyword overrides replace fields.
Procedure codes are referred to by number only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from simulator.identifiers import make_npi
from simulator.models import Address, Claim, Coverage, Patient, Provider, ServiceLine, Subscriber

__all__ = ["sample_claim", "sample_coverage", "sample_line", "sample_patient", "sample_provider"]

_ADDRESS = Address(line1="100 Main St", city="Springfield", state="IL", postal_code="62701")


def sample_provider(serial: int = 1, **overrides: Any) -> Provider:
    """A billing organisation with a valid NPI derived from ``serial``."""
    fields: dict[str, Any] = {
        "npi": make_npi(serial),
        "name": f"Springfield Family Medicine {serial}",
        "tin": f"{370000000 + serial:09d}",
        "taxonomy": "207Q00000X",
        "address": _ADDRESS,
    }
    return Provider(**(fields | overrides))


def sample_patient(**overrides: Any) -> Patient:
    """A patient who is also the subscriber."""
    fields: dict[str, Any] = {
        "patient_id": "P0001",
        "first_name": "Jane",
        "last_name": "Doe",
        "birth_date": date(1958, 4, 12),
        "gender": "F",
        "address": _ADDRESS,
    }
    return Patient(**(fields | overrides))


def sample_coverage(payer_id: str = "commercial_ppo", **overrides: Any) -> Coverage:
    """Coverage in force since 2020 for the sample patient as subscriber."""
    subscriber = Subscriber(
        member_id=overrides.pop("member_id", "M123456789"),
        first_name="Jane",
        last_name="Doe",
        birth_date=date(1958, 4, 12),
        gender="F",
        address=_ADDRESS,
    )
    fields: dict[str, Any] = {
        "payer_id": payer_id,
        "plan_id": "PPO-GOLD",
        "member_id": subscriber.member_id,
        "group_number": "GRP001",
        "effective_date": date(2020, 1, 1),
        "subscriber": subscriber,
    }
    return Coverage(**(fields | overrides))


def sample_line(line_number: int = 1, **overrides: Any) -> ServiceLine:
    """An office visit line (procedure 99213, $150.00)."""
    fields: dict[str, Any] = {
        "line_number": line_number,
        "procedure_code": "99213",
        "charge": 15000,
        "service_date": date(2026, 3, 2),
    }
    return ServiceLine(**(fields | overrides))


def sample_claim(**overrides: Any) -> Claim:
    """A one-line professional office claim to ``commercial_ppo``."""
    fields: dict[str, Any] = {
        "claim_id": "PCN0001",
        "billing_provider": sample_provider(),
        "patient": sample_patient(),
        "coverage": sample_coverage(),
        "diagnoses": ("E11.9",),
        "lines": (sample_line(),),
    }
    return Claim(**(fields | overrides))
