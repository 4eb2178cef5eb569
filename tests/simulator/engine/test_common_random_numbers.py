"""Common random numbers: a biller policy change leaves visits, coding and payer decisions alone."""

from __future__ import annotations

import random

import pytest

from simulator.engine import run_scenario
from simulator.eventlog import EventKind
from simulator.streams import Streams, derive_seed

from .conftest import variant

BILLER_CHANGE = {
    "policies": {"work_order": "largest", "denial_triage": "correct_or_write_off"},
    "staff": {"billers": 1, "hours_per_day": 3},
}


def _by_claim(events, kind):
    found = {}
    for event in events:
        if event.kind == kind and event.claim_id not in found:
            found[event.claim_id] = event
    return found


def crn_differences(base, other) -> list[str]:
    """What differs between two runs that common random numbers should keep equal (empty: none).

    Compared: the visits, each claim's coding (billed amount, defect, coding draw) and the first
    payer decision (CARC, status, allowed, rules, payer stream and draw) of claims submitted on
    the same day in both runs. Too few comparable claims is reported as a difference too.
    """
    found: list[str] = []
    visits = [[e.claim_id for e in run.events if e.kind == EventKind.VISIT] for run in (base, other)]
    if visits[0] != visits[1]:
        found.append("visits")
    created = [_by_claim(run.events, EventKind.CLAIM_CREATED) for run in (base, other)]
    coding = [{k: (e.billed, e.rule, e.draw) for k, e in c.items() if not k.endswith("D")} for c in created]
    found += [f"coding {k}" for k in sorted(coding[0]) if coding[0][k] != coding[1].get(k)]
    submitted = [_by_claim(run.events, EventKind.SUBMITTED) for run in (base, other)]
    decided = [_by_claim(run.events, EventKind.ADJUDICATED) for run in (base, other)]
    same_day = [k for k in submitted[0] if k in submitted[1] and submitted[0][k].date == submitted[1][k].date]
    compared = 0
    for claim_id in same_day:
        if claim_id in decided[0] and claim_id in decided[1]:
            a, b = decided[0][claim_id], decided[1][claim_id]
            fields = [(e.carc, e.detail, e.allowed, e.rule, e.stream, e.draw) for e in (a, b)]
            if fields[0] != fields[1]:
                found.append(f"decision {claim_id}")
            compared += 1
    if len(same_day) <= 100 or compared <= 100:
        found.append(f"only {compared} comparable decisions")
    return found


@pytest.fixture(scope="module")
def base_run():
    """The quick scenario as shipped."""
    return run_scenario(variant({}))


def test_biller_policy_change_keeps_arrivals_coding_and_decisions(base_run):
    """Work order and triage differ; visits, coding draws and first decisions do not."""
    other = run_scenario(variant(BILLER_CHANGE))
    assert crn_differences(base_run, other) == []
    assert base_run.events != other.events


def _policy_dependent(name: str):
    """A broken ``Streams.stream``: stream ``name`` is seeded with the biller policy mixed in."""

    def stream(self, stream_name: str, entity: object = "") -> random.Random:
        if stream_name == name:
            entity = f"{entity}/largest"
        return random.Random(derive_seed(self.root, stream_name, entity))

    return stream


def _extra_draw(name: str):
    """A broken ``Streams.stream``: stream ``name`` loses one number to another process first."""
    plain = Streams.stream

    def stream(self, stream_name: str, entity: object = "") -> random.Random:
        rng = plain(self, stream_name, entity)
        if stream_name == name:
            rng.random()
        return rng

    return stream


@pytest.mark.parametrize(
    "broken",
    [
        _policy_dependent("coding"),
        _policy_dependent("payer"),
        _extra_draw("payer"),
    ],
    ids=[
        "coding stream depends on the policy",
        "payer stream depends on the policy",
        "payer stream shared",
    ],
)
def test_the_comparison_detects_broken_common_random_numbers(base_run, broken, monkeypatch):
    """With one stream broken in the policy variant, the comparison reports differences."""
    monkeypatch.setattr(Streams, "stream", broken)
    other = run_scenario(variant(BILLER_CHANGE))
    assert crn_differences(base_run, other) != []
