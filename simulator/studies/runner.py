"""Running a study: resolve every variant, check it, run the replications, analyse them.

Common random numbers: replication ``r`` of every variant gets the same seed, derived from the
study seed and ``r``, so variants are compared claim for claim. With
``common_random_numbers: false`` each variant gets its own seeds (useful to see what pairing
buys).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simulator.errors import UserError, describe_validation_error
from simulator.studies.analysis import DifferenceRow, SummaryRow, differences, kpi_names, summaries
from simulator.studies.executors import run_tasks
from simulator.studies.spec import StudySpec, Variant, apply_overrides
from simulator.studies.tasks import ReplicateFunction, ReplicationOutcome, ReplicationTask, derive_seed

__all__ = [
    "ScenarioModel",
    "StudyResult",
    "rerun_command",
    "resolve_variants",
    "run_study",
    "seed_for",
    "write_variant_files",
]


@dataclass(frozen=True)
class ScenarioModel:
    """What a study needs from the simulation: load and check a scenario, run one replication."""

    load: Callable[[str, Path], tuple[dict[str, Any], str]]
    """``load(reference, study_dir) -> (scenario data, how to name the scenario on a command line)``."""
    validate: Callable[[dict[str, Any]], None]
    """Raise a pydantic ValidationError or a UserError when scenario data is not a valid scenario."""
    replicate: ReplicateFunction
    """A top-level (picklable) function: ``replicate(data, seed, events_path) -> KPI dict``."""
    known_kpis: Callable[[], Sequence[str]] | None = None
    events_suffix: str = ".parquet"


@dataclass(frozen=True)
class StudyResult:
    """Everything a study produced, in (variant, replication) order."""

    spec: StudySpec
    scenario: str
    outcomes: tuple[ReplicationOutcome, ...]
    kpis: tuple[str, ...]
    summary: tuple[SummaryRow, ...]
    differences: tuple[DifferenceRow, ...]
    variant_files: tuple[tuple[str, str], ...] = ()
    """(variant, path of its resolved scenario file) for each variant file written."""

    @property
    def failures(self) -> tuple[ReplicationOutcome, ...]:
        """The replications that did not finish."""
        return tuple(outcome for outcome in self.outcomes if not outcome.ok)

    def variant(self, name: str) -> Variant:
        """The variant called ``name``."""
        return next(v for v in self.spec.variants if v.name == name)

    def rerun_command(self, outcome: ReplicationOutcome) -> str:
        """The exact command that runs this one replication alone."""
        overrides = {**self.spec.overrides, **self.variant(outcome.variant).overrides}
        files = dict(self.variant_files)
        if overrides and outcome.variant in files:
            return rerun_command(files[outcome.variant], outcome.seed, {})
        return rerun_command(self.scenario, outcome.seed, overrides)


def seed_for(spec: StudySpec, variant_index: int, replication: int) -> int:
    """The seed of one replication: shared by all variants under common random numbers."""
    if spec.common_random_numbers:
        return derive_seed(spec.seed, replication)
    return derive_seed(spec.seed, replication, variant_index + 1)


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float) or value is None:
        return "null" if value is None else str(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def rerun_command(scenario: str, seed: int, overrides: dict[str, Any]) -> str:
    """``payersim run SCENARIO --seed N``; overrides not written to a variant file are appended
    as ``# with path=value ...`` for the reader (``payersim run`` takes a whole scenario file)."""
    command = shlex.join(["payersim", "run", scenario, "--seed", str(seed)])
    if overrides:
        command += "  # with " + " ".join(
            f"{path}={_format_value(value)}" for path, value in overrides.items()
        )
    return command


def write_variant_files(
    spec: StudySpec, scenarios: Sequence[dict[str, Any]], folder: Path
) -> tuple[tuple[str, str], ...]:
    """Write each variant's resolved scenario as ``folder/<variant>.yaml``; (variant, path) pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for variant, data in zip(spec.variants, scenarios, strict=True):
        path = folder / f"{variant.name}.yaml"
        header = (
            f"# Scenario of study {spec.name}, variant {variant.name}: {spec.scenario} with its overrides.\n"
        )
        path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        written.append((variant.name, str(path)))
    return tuple(written)


def _check_kpis(spec: StudySpec, model: ScenarioModel, source: str) -> None:
    if model.known_kpis is None or not spec.kpis:
        return
    known = list(model.known_kpis())
    unknown = [name for name in spec.kpis if name.split(".")[0].removesuffix("_cents") not in known]
    if unknown:
        raise UserError(
            f"{source}: kpis: unknown KPI {', '.join(map(repr, unknown))} (known: {', '.join(known)})"
        )


def _resolve(
    spec: StudySpec, model: ScenarioModel, base: dict[str, Any], source: str
) -> list[dict[str, Any]]:
    try:
        base = apply_overrides(base, spec.overrides)
    except UserError as error:
        raise UserError(f"{source}: set: {error}") from None
    resolved = []
    for index, variant in enumerate(spec.variants):
        where = f"{source}: variants.{index} ({variant.name})"
        try:
            data = apply_overrides(base, variant.overrides)
            model.validate(data)
        except UserError as error:
            raise UserError(f"{where}: {error}") from None
        except ValidationError as error:
            raise UserError(describe_validation_error(error, f"{where}: the scenario it makes")) from None
        resolved.append(data)
    return resolved


def resolve_variants(
    spec: StudySpec, model: ScenarioModel, *, study_dir: Path, source: str
) -> tuple[str, list[dict[str, Any]]]:
    """The base scenario's name and each variant's checked scenario data, without running anything."""
    _check_kpis(spec, model, source)
    base, scenario_name = model.load(spec.scenario, study_dir)
    return scenario_name, _resolve(spec, model, base, source)


def build_tasks(
    spec: StudySpec, model: ScenarioModel, scenarios: Sequence[dict[str, Any]], events_dir: Path | None
) -> list[ReplicationTask]:
    """One task per (variant, replication), in that order."""
    tasks = []
    for index, (variant, data) in enumerate(zip(spec.variants, scenarios, strict=True)):
        for replication in range(spec.replications):
            events = None
            if events_dir is not None:
                events = (
                    events_dir
                    / variant.name
                    / f"replication-{replication:04d}"
                    / f"events{model.events_suffix}"
                )
            seed = seed_for(spec, index, replication)
            tasks.append(
                ReplicationTask(index, variant.name, replication, seed, data, model.replicate, events)
            )
    return tasks


def run_study(
    spec: StudySpec,
    model: ScenarioModel,
    *,
    study_dir: Path = Path("."),
    source: str = "study",
    workers: int | None = None,
    dask_address: str | None = None,
    events_dir: Path | None = None,
    variants_dir: Path | None = None,
    progress: bool = True,
) -> StudyResult:
    """Run every replication of every variant and compare each variant with the first.

    With ``variants_dir`` each variant's resolved scenario is written there first, so a failed
    replication's rerun command names a real file.
    """
    scenario_name, scenarios = resolve_variants(spec, model, study_dir=study_dir, source=source)
    files = write_variant_files(spec, scenarios, variants_dir) if variants_dir is not None else ()
    tasks = build_tasks(spec, model, scenarios, events_dir)
    outcomes = sorted(
        run_tasks(tasks, workers=workers, dask_address=dask_address, progress=progress),
        key=lambda outcome: outcome.key,
    )
    names = [variant.name for variant in spec.variants]
    kpis = kpi_names(outcomes, spec.kpis)
    return StudyResult(
        spec=spec,
        scenario=scenario_name,
        outcomes=tuple(outcomes),
        kpis=tuple(kpis),
        summary=tuple(summaries(outcomes, names, kpis, spec.confidence)),
        differences=tuple(differences(outcomes, names, kpis, spec.confidence)),
        variant_files=files,
    )
