"""Tests for study files and dotted-path overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import UserError
from simulator.studies.spec import apply_overrides, load_study, parse_value

GOOD = """\
question: Do more billers help?
scenario: toy.yaml
seed: 3
replications: 4
variants:
  - name: two
    set: {billers.count: 2}
  - name: three
    set: {billers.count: 3}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad_study.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_study_reads_every_field(tmp_path: Path) -> None:
    """A good study file loads; its name defaults to the file's stem; the first variant is the reference."""
    spec = load_study(_write(tmp_path, GOOD))
    assert spec.name == "bad_study"
    assert spec.question == "Do more billers help?"
    assert spec.replications == 4 and spec.seed == 3 and spec.common_random_numbers
    assert spec.reference.name == "two"
    assert spec.variants[1].overrides == {"billers.count": 3}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (GOOD.replace("replications: 4", "replications: 0"), "replications"),
        (GOOD.replace("replications: 4", "replications: many"), "replications"),
        (GOOD.replace("seed: 3", "seed: 3\ncolour: red"), "colour: unknown field"),
        (GOOD.replace("scenario: toy.yaml\n", ""), "scenario: required field is missing"),
        (GOOD.replace("name: three", "name: two"), "variants"),
        (GOOD.replace("set: {billers.count: 3}", "sett: {billers.count: 3}"), "variants.1.sett"),
        (GOOD.replace("billers.count: 3", "billers..count: 3"), "variants.1.set"),
        (GOOD.replace("name: three", "name: 'a b/c'"), "variants.1.name"),
    ],
)
def test_bad_study_file_names_file_and_field(tmp_path: Path, text: str, field: str) -> None:
    """Each mistake is reported with the file's path and the field at fault."""
    path = _write(tmp_path, text)
    with pytest.raises(UserError) as caught:
        load_study(path)
    assert str(path) in str(caught.value)
    assert field in str(caught.value)


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    """A missing file, broken YAML and a non-mapping are named clearly."""
    with pytest.raises(UserError, match=r"absent\.yaml: cannot read the file: No such file"):
        load_study(tmp_path / "absent.yaml")
    with pytest.raises(UserError, match=r"line 2 is not valid YAML"):
        load_study(_write(tmp_path, "scenario: x\n  bad: [\n"))
    with pytest.raises(UserError, match="mapping"):
        load_study(_write(tmp_path, "- just\n- a list\n"))


def test_apply_overrides_sets_nested_fields_without_touching_the_base() -> None:
    """Dotted paths reach into mappings and lists and create missing mappings."""
    base = {"billers": {"count": 2}, "payers": [{"name": "a", "share": 1}]}
    changed = apply_overrides(
        base, {"billers.count": 4, "payers.0.share": 0.5, "policies.denials": {"name": "appeal_all"}}
    )
    assert changed == {
        "billers": {"count": 4},
        "payers": [{"name": "a", "share": 0.5}],
        "policies": {"denials": {"name": "appeal_all"}},
    }
    assert base == {"billers": {"count": 2}, "payers": [{"name": "a", "share": 1}]}


def test_apply_overrides_rejects_impossible_paths() -> None:
    """A path through a scalar or past a list's end is an error naming the path."""
    with pytest.raises(UserError, match=r"billers\.count\.x"):
        apply_overrides({"billers": {"count": 2}}, {"billers.count.x": 1})
    with pytest.raises(UserError, match=r"payers\.3"):
        apply_overrides({"payers": [{}]}, {"payers.3.share": 1})


def test_parse_value_reads_yaml_scalars() -> None:
    """Command-line values are typed as YAML types them."""
    assert parse_value("3") == 3
    assert parse_value("0.5") == 0.5
    assert parse_value("true") is True
    assert parse_value("appeal_all") == "appeal_all"
