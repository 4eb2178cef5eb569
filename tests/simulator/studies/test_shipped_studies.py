"""The shipped study files load, state their question and make valid scenarios for every variant."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.studies.runner import resolve_variants
from simulator.studies.simulation import SIMULATION
from simulator.studies.spec import load_study

STUDIES = Path(__file__).resolve().parents[3] / "scenarios" / "studies"
FILES = sorted(STUDIES.glob("*.yaml"))


def test_the_two_studies_are_shipped() -> None:
    """staffing and denial_prevention are in scenarios/studies."""
    assert {path.stem for path in FILES} >= {"staffing", "denial_prevention"}


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_shipped_study_is_valid(path: Path) -> None:
    """The file opens with its question as a comment, has a question field, and every variant resolves."""
    assert path.read_text(encoding="utf-8").startswith("# Question:")
    spec = load_study(path)
    assert spec.question.endswith("?")
    assert spec.replications >= 10 and len(spec.variants) >= 2
    scenario, scenarios = resolve_variants(spec, SIMULATION, study_dir=path.parent, source=str(path))
    assert Path(scenario).is_file()
    assert len({repr(data) for data in scenarios}) == len(scenarios)
