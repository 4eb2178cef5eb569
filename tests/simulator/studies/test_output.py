"""Tests for the study folder: study.json, the CSV files, reading a study back, the text account."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from simulator.errors import UserError
from simulator.studies.output import is_study_dir, read_study, write_study
from simulator.studies.runner import StudyResult, run_study
from simulator.studies.spec import StudySpec
from simulator.studies.text import describe_differences, describe_failures


def _result(toy_model, toy_study_dir: Path, **changes) -> StudyResult:
    data = {
        "name": "toy_study",
        "question": "Do four billers halve the days of work?",
        "scenario": "toy.yaml",
        "seed": 5,
        "replications": 5,
        "variants": [{"name": "two"}, {"name": "four", "set": {"billers.count": 4}}],
    }
    data.update(changes)
    spec = StudySpec.model_validate(data)
    return run_study(spec, toy_model, study_dir=toy_study_dir, workers=1, progress=False)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_study_folder_holds_every_replication_and_difference(toy_model, toy_study_dir: Path) -> None:
    """study.json and the CSV files carry the same replications and paired differences."""
    result = _result(toy_model, toy_study_dir)
    out = toy_study_dir / "out"
    write_study(result, out)
    document = json.loads((out / "study.json").read_text(encoding="utf-8"))
    assert document["reference"] == "two"
    assert [(r["variant"], r["replication"]) for r in document["replications"]] == [
        (v, r) for v in ("two", "four") for r in range(5)
    ]
    assert document["replications"][0]["metrics"]["total_work"] == result.outcomes[0].metrics["total_work"]
    replications = _rows(out / "replications.csv")
    assert len(replications) == 10
    assert float(replications[7]["days_of_work"]) == result.outcomes[7].metrics["days_of_work"]
    differences = _rows(out / "differences.csv")
    assert [(d["variant"], d["kpi"]) for d in differences] == [
        ("four", "days_of_work"),
        ("four", "total_work"),
    ]
    days = differences[0]
    assert float(days["ci_low"]) < float(days["difference"]) < float(days["ci_high"]) < 0
    assert days["distinguishable"] == "true"
    total = differences[1]
    assert float(total["difference"]) == 0.0 and total["distinguishable"] == "false"
    assert len(_rows(out / "summary.csv")) == 4
    assert is_study_dir(out) and not is_study_dir(toy_study_dir)


def test_study_folder_is_byte_identical_when_run_again(toy_model, toy_study_dir: Path) -> None:
    """The same study writes the same bytes (no clock in the outputs)."""
    first, second = toy_study_dir / "a", toy_study_dir / "b"
    write_study(_result(toy_model, toy_study_dir), first)
    write_study(_result(toy_model, toy_study_dir), second)
    for name in ("study.json", "replications.csv", "summary.csv", "differences.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_read_study_gives_back_the_result(toy_model, toy_study_dir: Path) -> None:
    """A study folder reads back into the same result."""
    result = _result(
        toy_model, toy_study_dir, variants=[{"name": "two"}, {"name": "x", "set": {"fail_one_in": 2}}]
    )
    write_study(result, toy_study_dir / "out")
    again = read_study(toy_study_dir / "out")
    assert again.spec == result.spec
    assert again.outcomes == tuple(replace(o, details="") for o in result.outcomes)
    assert again.outcomes[0].tables["work"]["rows"][0][0] == "2026-01-05"
    assert again.differences == result.differences
    assert again.summary == result.summary


def test_read_study_of_a_non_study_folder(tmp_path: Path) -> None:
    """A folder without study.json is named in the error."""
    with pytest.raises(UserError, match="not a study folder"):
        read_study(tmp_path)


def test_text_account_states_question_verdicts_and_failures(toy_model, toy_study_dir: Path) -> None:
    """The terminal account says the question, each difference's verdict and how to rerun failures."""
    result = _result(toy_model, toy_study_dir, replications=8, variants=[{"name": "two"},
                     {"name": "four", "set": {"billers.count": 4, "fail_one_in": 3}}])  # fmt: skip
    text = describe_differences(result)
    assert "question: Do four billers halve the days of work?" in text
    assert "distinguishable" in text and "noise" in text
    failures = describe_failures(result)
    assert result.failures
    first = result.failures[0]
    assert f"replication {first.replication} of variant four failed (seed {first.seed})" in failures
    assert (
        f"payersim run {toy_study_dir / 'toy.yaml'} --seed {first.seed}  # with billers.count=4 fail_one_in=3"
        in (failures)
    )
