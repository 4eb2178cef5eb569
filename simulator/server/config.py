"""The fake payer server's configuration: payers, trading partners, clock and seed.

A YAML file (see ``default-config.yaml`` next to this module) is read once at start-up into
frozen pydantic models that reject unknown fields; an error names the file and the field.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulator.errors import UserError, describe_validation_error
from simulator.scenario import PayerChange
from simulator.userfiles import load_yaml, read_text

__all__ = [
    "DEFAULT_CONFIG",
    "ClockConfig",
    "PartnerConfig",
    "PayerConfig",
    "ServerConfig",
    "load_config",
    "with_scenario_payers",
]

DEFAULT_CONFIG = Path(__file__).resolve().parent / "default-config.yaml"
"""The configuration ``payersim serve`` uses when given no ``--config``."""


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PayerConfig(_Config):
    """A payer the server runs: a profile, overrides and dated changes (as in a scenario), and its ids.

    ``overrides`` and ``changes`` mean what they mean in a scenario's ``payers`` list: the server
    builds its payers with the simulation's own payer desks, so a scenario's payers can be served.
    """

    name: str = Field(min_length=1, max_length=40, description="name claims use as coverage.payer_id")
    profile: str = Field(min_length=1, description="shipped profile name or path to a profile YAML")
    overrides: dict[str, Any] = Field(default_factory=dict, description="profile fields to override")
    changes: tuple[PayerChange, ...] = Field(
        default=(), description="overrides taking effect for claims received from a date on"
    )
    x12_payer_ids: tuple[str, ...] = Field(
        default=(), description="extra payer ids (NM1*PR09) routed to this payer besides the profile's own"
    )


class PartnerConfig(_Config):
    """A trading partner: who it is on the wire, its API key and the payers it may reach."""

    partner_id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    submitter_id: str = Field(min_length=1, max_length=15, description="ISA06 the partner sends as")
    api_key: str = Field(min_length=8, description="bearer token for the HTTP API")
    payers: tuple[str, ...] = Field(min_length=1, description="names of the payers it may reach")
    usage: Literal["T", "P"] = Field(default="T", description="ISA15 it must send: T test, P production")
    may_advance_clock: bool = Field(
        default=True,
        description="whether the partner may move the shared simulated clock (POST /clock/advance)",
    )


class ClockConfig(_Config):
    """Simulated time: advanced by hand (``manual``) or running at ``speed`` days per second."""

    mode: Literal["manual", "realtime"] = "manual"
    speed: float = Field(default=1.0, gt=0, le=1000, description="simulated days per real second")
    start: date = Field(default=date(2026, 3, 2), description="simulated date of a new database")


class ServerConfig(_Config):
    """Everything ``payersim serve`` needs beyond its command-line options."""

    receiver_id: str = Field(
        default="PAYERSIM", min_length=1, max_length=15, description="ISA08 we answer to"
    )
    seed: int = Field(default=20260302, description="root seed of every payer decision")
    clock: ClockConfig = ClockConfig()
    payers: tuple[PayerConfig, ...] = Field(min_length=1)
    partners: tuple[PartnerConfig, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ServerConfig:
        names = [p.name for p in self.payers]
        if len(set(names)) != len(names):
            raise ValueError("payers: two payers share a name")
        for payer in self.payers:
            dates = [change.effective for change in payer.changes]
            if dates != sorted(dates):
                raise ValueError(f"payer {payer.name}: dated changes must be in date order")
        for field in ("partner_id", "submitter_id", "api_key"):
            values = [getattr(p, field) for p in self.partners]
            if len(set(values)) != len(values):
                raise ValueError(f"partners: two partners share a {field}")
        for partner in self.partners:
            unknown = sorted(set(partner.payers) - set(names))
            if unknown:
                raise ValueError(f"partner {partner.partner_id} names unknown payer(s) {', '.join(unknown)}")
        return self

    def partner_by_key(self, api_key: str) -> PartnerConfig | None:
        """The partner holding ``api_key``, or None."""
        return next((p for p in self.partners if p.api_key == api_key), None)

    def partner(self, partner_id: str) -> PartnerConfig:
        """The partner named ``partner_id``."""
        return next(p for p in self.partners if p.partner_id == partner_id)


def load_config(path: str | Path | None = None) -> ServerConfig:
    """Read and check a server configuration file (the shipped default when ``path`` is None)."""
    source = Path(path) if path is not None else DEFAULT_CONFIG
    text = read_text(source, "configuration")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        raise UserError(f"{source}: not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise UserError(f"{source}: the configuration must be a mapping with payers and partners")
    try:
        return ServerConfig.model_validate(data)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, str(source))) from error


def with_scenario_payers(config: ServerConfig, scenario: Any) -> ServerConfig:
    """``config`` serving the payers of ``scenario`` (a loaded scenario), from its start date and seed.

    The scenario's payers replace the configuration's; partners keep their keys and ids, and may
    reach the scenario's payers that they named. A partner naming none of them is an error.
    """
    payers = tuple(
        PayerConfig(name=spec.name, profile=spec.profile, overrides=spec.overrides, changes=spec.changes)
        for spec in scenario.payers
    )
    names = {payer.name for payer in payers}
    partners = []
    for partner in config.partners:
        reachable = tuple(name for name in partner.payers if name in names)
        if not reachable:
            raise UserError(
                f"partner {partner.partner_id} may reach none of the payers of scenario {scenario.name} "
                f"({', '.join(sorted(names))}): name them in its payers list"
            )
        partners.append(partner.model_copy(update={"payers": reachable}))
    clock = config.clock.model_copy(update={"start": scenario.start_date})
    return config.model_copy(
        update={"payers": payers, "partners": tuple(partners), "clock": clock, "seed": scenario.seed}
    )
