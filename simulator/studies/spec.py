"""Study files: which scenario, which variants of it, how many replications, which KPIs.

A study file is YAML::

    question: Does a third biller shorten days in A/R?
    scenario: ../quick.yaml          # relative to this file, or a shipped scenario name
    seed: 7                          # replication r runs on a seed derived from 7 and r
    replications: 20
    kpis: [days_in_ar, initial_denial_rate, ar_aging]  # absent: every numeric KPI
    set: {staff.hours_per_day: 4}    # overrides applied to the base scenario for every variant
    variants:                        # the first variant is the reference
      - name: two_billers
        set: {staff.billers: 2}
      - name: three_billers
        set: {staff.billers: 3}

``set`` overrides any scenario field by its dotted path (``policies.scrubbing`` takes a policy
name or a mapping ``{name: ..., params: {...}}``; list items go by index: ``providers.0.count``);
the value may be any YAML value, a whole mapping included. A nested KPI such as ``ar_aging``
stands for each of its parts (``ar_aging.0-30`` ...); money KPIs are compared in cents.
Optional: ``confidence`` (0.95), ``common_random_numbers`` (true), ``name`` (the file's stem).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from simulator.errors import UserError, describe_validation_error
from simulator.userfiles import load_yaml, read_text

__all__ = [
    "StudySpec",
    "Variant",
    "apply_overrides",
    "load_study",
    "parse_value",
    "read_yaml_mapping",
]

_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.=+-]*$"


def _dotted_paths(value: dict[str, Any]) -> dict[str, Any]:
    for path in value:
        if not path or any(not part for part in str(path).split(".")):
            raise ValueError(f"{path!r} is not a dotted field path such as staff.billers")
    return value


class Variant(BaseModel):
    """One variant of the base scenario: a name and the fields it overrides."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(pattern=_NAME_PATTERN, max_length=80)
    overrides: dict[str, Any] = Field(default_factory=dict, alias="set")

    @field_validator("overrides")
    @classmethod
    def _paths_are_dotted_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _dotted_paths(value)


class StudySpec(BaseModel):
    """A what-if study: a base scenario, its variants, replications and the KPIs of interest."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(default="study", pattern=_NAME_PATTERN, max_length=80)
    question: str = ""
    scenario: str = Field(min_length=1)
    seed: int = Field(default=0, ge=0)
    replications: int = Field(ge=1, le=100_000)
    kpis: list[str] = Field(default_factory=list)
    confidence: float = Field(default=0.95, gt=0.0, lt=1.0)
    common_random_numbers: bool = True
    overrides: dict[str, Any] = Field(default_factory=dict, alias="set")
    variants: list[Variant] = Field(min_length=1)

    @field_validator("overrides")
    @classmethod
    def _paths_are_dotted_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _dotted_paths(value)

    @field_validator("variants")
    @classmethod
    def _names_are_unique(cls, value: list[Variant]) -> list[Variant]:
        seen: set[str] = set()
        for variant in value:
            if variant.name in seen:
                raise ValueError(f"variant name {variant.name!r} is used twice")
            seen.add(variant.name)
        return value

    @property
    def reference(self) -> Variant:
        """The variant every other one is compared with (the first)."""
        return self.variants[0]


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """The YAML mapping in ``path``, or a UserError naming the file and what is wrong."""
    text = read_text(path, "file")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise UserError(f"{path}:{where} is not valid YAML ({getattr(error, 'problem', error)})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a mapping of fields at the top level")
    return data


def load_study(path: str | Path) -> StudySpec:
    """The study in a YAML file; errors name the file and the field."""
    path = Path(path)
    data = read_yaml_mapping(path)
    data.setdefault("name", path.stem)
    try:
        return StudySpec.model_validate(data)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, str(path))) from None


def parse_value(text: str) -> Any:
    """A command-line value as YAML would read it (``3`` -> 3, ``true`` -> True, ``x`` -> "x")."""
    try:
        return load_yaml(text) if text.strip() else ""
    except yaml.YAMLError:
        return text


def _step(container: Any, part: str, path: str) -> tuple[Any, Any]:
    """The key or index ``part`` names inside ``container``, checked."""
    if isinstance(container, list):
        if not part.isdigit() or int(part) >= len(container):
            raise UserError(f"override {path}: {part!r} is not an index of a list of {len(container)}")
        return container, int(part)
    if isinstance(container, dict):
        return container, part
    raise UserError(f"override {path}: cannot set {part!r} inside a {type(container).__name__} value")


def apply_overrides(data: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of scenario ``data`` with each dotted path set to its value."""
    result = copy.deepcopy(data)
    for path, value in overrides.items():
        parts = str(path).split(".")
        node: Any = result
        for part in parts[:-1]:
            container, key = _step(node, part, path)
            if isinstance(container, dict) and container.get(key) is None:
                container[key] = {}
            node = container[key]
        container, key = _step(node, parts[-1], path)
        container[key] = copy.deepcopy(value)
    return result
