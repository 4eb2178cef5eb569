"""Studies of the shipped quick scenario on the real engine: executors agree, pairing pays off.

The quick scenario is shortened (30 days of visits, 30 of run-out) so each replication takes
well under a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.eventlog import EventKind, read_events
from simulator.studies.runner import StudyResult, run_study
from simulator.studies.simulation import SIMULATION
from simulator.studies.spec import StudySpec

pytest.importorskip("reports.metrics", reason="the reports package is not there")

SHORT = {"horizon_days": 30, "run_out_days": 30}


def _spec(**changes) -> StudySpec:
    data = {
        "name": "quick_pair",
        "scenario": "quick",
        "seed": 3,
        "replications": 2,
        "set": SHORT,
        "variants": [
            {"name": "scrub", "set": {"policies.scrubbing": "edits"}},
            {"name": "no_scrub", "set": {"policies.scrubbing": "none"}},
        ],
    }
    data.update(changes)
    return StudySpec.model_validate(data)


def _numbers(result: StudyResult) -> list[tuple]:
    return [
        (o.variant, o.replication, o.seed, sorted(o.metrics.items()), o.tables, o.error)
        for o in result.outcomes
    ]


def test_quick_study_gives_identical_numbers_on_the_pool_and_on_dask(tmp_path: Path) -> None:
    """Two spawned workers and a Dask LocalCluster give the very same replication metrics."""
    distributed = pytest.importorskip("distributed")
    events = tmp_path / "events"
    pooled = run_study(_spec(), SIMULATION, study_dir=tmp_path, workers=2, progress=False, events_dir=events)
    assert not pooled.failures, [o.error for o in pooled.failures]
    kept = read_events(events / "no_scrub" / "replication-0001" / "events.parquet")
    assert kept[0].kind == EventKind.RUN_STARTED and str(pooled.outcomes[3].seed) in kept[0].detail
    assert pooled.outcomes[0].metrics["claims"] > 50
    assert pooled.outcomes[0].tables["cash_by_week"]["rows"]
    with distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster:
        on_dask = run_study(
            _spec(), SIMULATION, study_dir=tmp_path, dask_address=cluster.scheduler_address, progress=False
        )
    assert _numbers(on_dask) == _numbers(pooled)
    assert on_dask.differences == pooled.differences


def test_common_random_numbers_narrow_the_paired_interval_on_quick(tmp_path: Path) -> None:
    """Switching scrubbing off, paired on shared seeds, varies far less than with separate seeds."""
    spec = _spec(replications=6, kpis=["clean_claim_rate"])
    common = run_study(spec, SIMULATION, study_dir=tmp_path, workers=1, progress=False)
    apart = run_study(
        spec.model_copy(update={"common_random_numbers": False}),
        SIMULATION,
        study_dir=tmp_path,
        workers=1,
        progress=False,
    )
    paired, unpaired = common.differences[0], apart.differences[0]
    assert paired.kpi == "clean_claim_rate" and paired.n == unpaired.n == 6
    assert paired.ci_high - paired.ci_low < 0.75 * (unpaired.ci_high - unpaired.ci_low)
    assert paired.distinguishable and paired.difference < 0


def test_bad_override_of_the_quick_scenario_names_study_variant_and_field(tmp_path: Path) -> None:
    """An override the scenario model refuses is named with the study, the variant and the field."""
    from simulator.errors import UserError

    spec = _spec(variants=[{"name": "ok"}, {"name": "typo", "set": {"staff.biller": 3}}])
    with pytest.raises(UserError) as caught:
        run_study(spec, SIMULATION, study_dir=tmp_path, source="typo_study.yaml", workers=1, progress=False)
    assert "typo_study.yaml: variants.1 (typo)" in str(caught.value)
    assert "staff.biller: unknown field" in str(caught.value)


def test_rerun_command_reproduces_the_replication(tmp_path: Path) -> None:
    """The rerun command of a replication, run through ``payersim``, gives that replication's KPIs."""
    import json
    import shlex

    from simulator import cli

    spec = _spec(replications=1)
    result = run_study(
        spec, SIMULATION, study_dir=tmp_path, workers=1, progress=False, variants_dir=tmp_path / "v"
    )
    outcome = result.outcomes[1]
    words = shlex.split(result.rerun_command(outcome))
    assert words[:2] == ["payersim", "run"] and words[-2:] == ["--seed", str(outcome.seed)]
    assert cli.main([*words[1:], "--quiet", "--out", str(tmp_path / "rerun")]) == 0
    summary = json.loads((tmp_path / "rerun" / "summary.json").read_text(encoding="utf-8"))
    for name in ("claims", "clean_claim_rate", "initial_denial_rate", "resolution_days_p50"):
        assert summary[name] == outcome.metrics[name], name
