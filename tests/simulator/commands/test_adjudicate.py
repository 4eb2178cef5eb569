"""``payersim adjudicate``: examples work, every adjustment shows its rule, bad files are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.money import parse_dollars

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_office_visit_example_with_commercial_ppo(capsys):
    """The shipped office-visit example adjudicates and prints each adjustment with its rule."""
    assert main(["adjudicate", str(EXAMPLES / "claim-office-visit.json"), "--payer", "commercial_ppo"]) == 0
    out = capsys.readouterr().out
    assert "status paid" in out
    assert "CO-45" in out and "rule pricing.fee_schedule" in out
    assert "PR-3" in out and "rule benefits.copay" in out


@pytest.mark.parametrize(
    ("name", "payer", "carcs"),
    [
        ("claim-office-visit.json", "commercial_ppo", {"CO-45", "PR-3", "PR-1"}),
        ("claim-secondary.json", "commercial_ppo", {"CO-45", "OA-23"}),
        ("claim-bundling.json", "medicare", {"CO-45", "PR-1", "CO-97", "CO-236"}),
    ],
)
def test_examples_as_json(capsys, name, payer, carcs):
    """--json prints balanced decision entries with the expected CARCs and a rule on each adjustment."""
    assert main(["adjudicate", str(EXAMPLES / name), "--payer", payer, "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    found = {f"{a['group']}-{a['carc']}" for line in entry["lines"] for a in line["adjustments"]}
    assert found == carcs
    assert all(a["rule"] for line in entry["lines"] for a in line["adjustments"])
    for line in entry["lines"]:
        adjusted = sum(parse_dollars(a["amount"]) for a in line["adjustments"])
        assert parse_dollars(line["billed"]) == parse_dollars(line["paid"]) + adjusted


def test_received_date_option(capsys):
    """--received sets the receipt date; too late for the PPO is a timely-filing denial."""
    args = ["adjudicate", str(EXAMPLES / "claim-office-visit.json"), "--payer", "commercial_ppo"]
    assert main([*args, "--received", "2026-12-01", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["status"] == "denied" and entry["received_date"] == "2026-12-01"


def test_invalid_claim_names_the_file_and_field(tmp_path, capsys):
    """A claim with a bad field gets an error naming the file and the field path."""
    data = json.loads((EXAMPLES / "claim-office-visit.json").read_text(encoding="utf-8"))
    data["lines"][1]["procedure_code"] = "364"
    bad = tmp_path / "bad-claim.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert main(["adjudicate", str(bad), "--payer", "commercial_ppo"]) == 2
    err = capsys.readouterr().err
    assert "bad-claim.json" in err and "lines.1.procedure_code" in err


def test_malformed_json_and_missing_file(tmp_path, capsys):
    """Broken JSON says where; a missing file says it cannot be read; never a traceback."""
    broken = tmp_path / "broken.json"
    broken.write_text('{"claim_id": ', encoding="utf-8")
    assert main(["adjudicate", str(broken), "--payer", "medicare"]) == 2
    assert "broken.json: not valid JSON" in capsys.readouterr().err
    assert main(["adjudicate", str(tmp_path / "none.json"), "--payer", "medicare"]) == 2
    assert "cannot read the claim" in capsys.readouterr().err


def test_unknown_payer_is_named(capsys):
    """An unknown payer profile lists the known ones."""
    assert main(["adjudicate", str(EXAMPLES / "claim-office-visit.json"), "--payer", "acme"]) == 2
    assert "unknown payer profile 'acme'" in capsys.readouterr().err
