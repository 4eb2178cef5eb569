"""Payer profiles: shipped ones load with sources; bad ones get errors naming the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from payers import Payer, ProfileError, load_profile, profile_names
from payers.profile import STEP_NAMES

SHIPPED = Path(__file__).resolve().parents[2] / "payers" / "profiles"


def _write(tmp_path: Path, data: dict, name: str = "custom.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _medicare() -> dict:
    return yaml.safe_load((SHIPPED / "medicare.yaml").read_text(encoding="utf-8"))


def test_shipped_profiles_cover_the_four_payer_types():
    """medicare, medicare_advantage, medicaid and commercial_ppo ship with their payer types."""
    types = {name: load_profile(name).payer_type for name in profile_names()}
    assert types == {
        "medicare": "medicare",
        "medicare_advantage": "medicare_advantage",
        "medicaid": "medicaid",
        "commercial_ppo": "commercial",
    }


@pytest.mark.parametrize("name", ["medicare", "medicare_advantage", "medicaid", "commercial_ppo"])
def test_every_shipped_profile_runs_every_step_and_cites_sources(name):
    """Each shipped profile lists known steps and every sourced block names its source."""
    profile = load_profile(name)
    assert set(profile.steps) == set(STEP_NAMES)
    blocks = [
        profile.adjudication_lag,
        profile.payment,
        profile.timely_filing,
        profile.fee_schedule,
        profile.benefits,
        profile.documentation,
        profile.errors,
        profile.appeals,
        *profile.appeals.levels,
    ]
    assert all(block.source.strip() for block in blocks)


def test_profile_step_names_are_the_registered_steps():
    """Every step name a profile may use has a registered step, and every registered step a name."""
    from payers.rules import STEPS

    assert set(STEP_NAMES) == set(STEPS)


def test_medicare_numbers_match_the_domain_notes():
    """Medicare: 12-month filing, 14-day floor, $283 deductible, 20% coinsurance, $33.4009 factor."""
    profile = load_profile("medicare")
    assert profile.timely_filing.days == 365 and "42 CFR 424.44" in profile.timely_filing.source
    assert profile.payment.floor_days == 14
    assert profile.benefits.deductible == 28300
    assert profile.benefits.coinsurance_percent == 20
    assert str(profile.fee_schedule.conversion_factor) == "33.4009"
    assert profile.adjudication_lag.median_days == 14
    assert [lv.deadline_days for lv in profile.appeals.levels][:2] == [120, 180]
    assert Payer(profile).fee("99213") == 9185


def test_commercial_fee_schedule_is_a_percentage_of_medicare():
    """commercial_ppo prices at 140% of the Medicare base."""
    assert Payer(load_profile("commercial_ppo")).fee("99213") == 12859


def test_a_profile_file_loads_by_path(tmp_path):
    """A user's profile file is loaded by its path."""
    data = _medicare() | {"name": "my_payer", "display_name": "Mine"}
    assert load_profile(_write(tmp_path, data)).name == "my_payer"
    assert load_profile(str(_write(tmp_path, data))).display_name == "Mine"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(timely_filling=3), "timely_filling: unknown field"),
        (lambda d: d["timely_filing"].pop("source"), "timely_filing.source: required field is missing"),
        (lambda d: d.update(payer_type="hmo"), "payer_type"),
        (lambda d: d["benefits"].update(deductible=283.5), "benefits.deductible"),
        (lambda d: d["appeals"]["levels"][0].update(overturn_rate=1.5), "appeals.levels.0.overturn_rate"),
        (lambda d: d["payment"].update(weekdays=[7]), "payment"),
        (lambda d: d.update(steps=["front_end", "pricing", "magic"]), "unknown step(s) ['magic']"),
        (
            lambda d: d.update(steps=["front_end", "benefits", "pricing"]),
            "'pricing' must come before 'benefits'",
        ),
        (lambda d: d.update(steps=["front_end", "cob"]), "step 'cob' needs step 'pricing'"),
        (lambda d: d["non_covered"][0].update(carc="97"), "non_covered.0.carc"),
    ],
)
def test_bad_profile_errors_name_file_and_field(tmp_path, change, expected):
    """A bad profile raises ProfileError naming the file and the field."""
    data = _medicare()
    change(data)
    path = _write(tmp_path, data, "bad.yaml")
    with pytest.raises(ProfileError) as raised:
        load_profile(path)
    assert str(path) in str(raised.value)
    assert expected in str(raised.value)


def test_profile_that_is_not_yaml_or_not_a_mapping(tmp_path):
    """Broken YAML and a YAML list are refused with the file named."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"broken\.yaml: not valid YAML"):
        load_profile(broken)
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"list\.yaml: a profile must be a mapping"):
        load_profile(listing)
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "missing.yaml")


def test_profile_that_is_not_utf8_or_holds_an_impossible_date(tmp_path):
    """A Latin-1 file and a date no calendar has are ProfileErrors naming the file, not bare errors."""
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ProfileError, match=r"latin\.yaml: not UTF-8 text \(byte 0xe9"):
        load_profile(latin)
    dated = tmp_path / "dated.yaml"
    dated.write_text("name: x\neffective: 2026-02-30\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"dated\.yaml: not valid YAML: .2026-02-30. is not a valid date"):
        load_profile(dated)


def test_an_existing_file_without_a_yaml_suffix_is_read_as_a_profile(tmp_path, monkeypatch):
    """A name that is no shipped profile but an existing file is read as that file."""
    data = _medicare() | {"name": "bare_file"}
    _write(tmp_path, data, "bare.yaml").rename(tmp_path / "bareprofile")
    monkeypatch.chdir(tmp_path)
    assert load_profile("bareprofile").name == "bare_file"


def test_unknown_profile_name_lists_the_known_ones():
    """An unknown name says which names exist."""
    with pytest.raises(ProfileError, match="known: commercial_ppo, medicaid, medicare, medicare_advantage"):
        load_profile("blue_shield")


def test_profiles_are_frozen():
    """A loaded profile cannot be changed in place."""
    with pytest.raises(ValidationError):
        load_profile("medicare").name = "other"  # type: ignore[misc]
