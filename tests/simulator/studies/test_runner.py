"""Tests for running studies on the toy model: seeds, executors, pairing and failures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from simulator.errors import UserError
from simulator.studies import executors
from simulator.studies.runner import StudyResult, rerun_command, run_study, seed_for
from simulator.studies.spec import StudySpec
from simulator.studies.tasks import derive_seed, numeric_metrics, series_metrics


def _spec(**changes) -> StudySpec:
    data = {
        "name": "toy_study",
        "scenario": "toy.yaml",
        "seed": 11,
        "replications": 6,
        "variants": [
            {"name": "two", "set": {"billers.count": 2}},
            {"name": "four", "set": {"billers.count": 4}},
        ],
    }
    data.update(changes)
    return StudySpec.model_validate(data)


def _numbers(result: StudyResult) -> list[tuple]:
    return [(o.variant, o.replication, o.seed, sorted(o.metrics.items()), o.error) for o in result.outcomes]


def test_common_random_numbers_share_seeds_across_variants(toy_model, toy_study_dir: Path) -> None:
    """Replication r of every variant runs on the same seed, derived from the study seed and r."""
    result = run_study(_spec(), toy_model, study_dir=toy_study_dir, workers=1, progress=False)
    assert [o.seed for o in result.outcomes] == [derive_seed(11, r) for r in range(6)] * 2
    assert len({derive_seed(11, r) for r in range(6)}) == 6
    by_rep = {(o.variant, o.replication): o.metrics for o in result.outcomes}
    for r in range(6):
        assert by_rep[("two", r)]["total_work"] == by_rep[("four", r)]["total_work"]


def test_independent_seeds_differ_by_variant(toy_model, toy_study_dir: Path) -> None:
    """Without common random numbers each variant draws its own seeds."""
    spec = _spec(common_random_numbers=False)
    assert seed_for(spec, 0, 3) != seed_for(spec, 1, 3)
    assert seed_for(_spec(), 0, 3) == seed_for(_spec(), 1, 3)


def test_only_numeric_kpis_are_kept(toy_model, toy_study_dir: Path) -> None:
    """Text KPIs are left out of the replication metrics."""
    result = run_study(_spec(replications=2), toy_model, study_dir=toy_study_dir, workers=1, progress=False)
    assert result.kpis == ("days_of_work", "total_work")


def test_common_random_numbers_shrink_the_variance_of_the_difference(toy_model, toy_study_dir: Path) -> None:
    """The paired difference's spread is much smaller with common random numbers than without."""
    spec = _spec(replications=30, kpis=["days_of_work"])
    common = run_study(spec, toy_model, study_dir=toy_study_dir, workers=1, progress=False)
    apart = run_study(
        spec.model_copy(update={"common_random_numbers": False}),
        toy_model,
        study_dir=toy_study_dir,
        workers=1,
        progress=False,
    )
    width_common = common.differences[0].ci_high - common.differences[0].ci_low
    width_apart = apart.differences[0].ci_high - apart.differences[0].ci_low
    assert width_common < width_apart / 2
    assert common.differences[0].distinguishable
    assert common.differences[0].difference < 0


def test_process_pool_and_in_process_give_identical_numbers(toy_model, toy_study_dir: Path) -> None:
    """Two spawned workers give exactly the numbers of one in-process worker, in the same order."""
    serial = run_study(_spec(), toy_model, study_dir=toy_study_dir, workers=1, progress=False)
    pooled = run_study(_spec(), toy_model, study_dir=toy_study_dir, workers=2, progress=False)
    assert _numbers(pooled) == _numbers(serial)
    assert pooled.differences == serial.differences


def test_dask_local_cluster_gives_identical_numbers(toy_model, toy_study_dir: Path) -> None:
    """A Dask LocalCluster gives exactly the numbers of the local run."""
    distributed = pytest.importorskip("distributed")
    serial = run_study(_spec(), toy_model, study_dir=toy_study_dir, workers=1, progress=False)
    with distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster:
        on_dask = run_study(
            _spec(),
            toy_model,
            study_dir=toy_study_dir,
            dask_address=cluster.scheduler_address,
            progress=False,
        )
    assert _numbers(on_dask) == _numbers(serial)


def test_unreachable_dask_scheduler_is_a_user_error(toy_model, toy_study_dir: Path, monkeypatch) -> None:
    """A scheduler address nobody answers at gives a clear error."""
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "DASK_CONNECT_TIMEOUT", "1s")
    with pytest.raises(UserError, match="cannot reach the Dask scheduler"):
        run_study(
            _spec(replications=1),
            toy_model,
            study_dir=toy_study_dir,
            dask_address="tcp://127.0.0.1:9",
            progress=False,
        )


def test_dask_without_the_dask_extra_is_a_user_error(toy_model, toy_study_dir: Path, monkeypatch) -> None:
    """--dask where distributed is not installed names the extra to install, not an ImportError."""
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(UserError, match=r"payersim\[dask\]"):
        run_study(
            _spec(replications=1),
            toy_model,
            study_dir=toy_study_dir,
            dask_address="tcp://127.0.0.1:9",
            progress=False,
        )


def test_failed_replication_is_reported_and_the_others_go_on(toy_model, toy_study_dir: Path) -> None:
    """A failure keeps its seed and the command to rerun it; the other replications still count."""
    spec = _spec(replications=12, variants=[{"name": "base"}, {"name": "fragile", "set": {"fail_one_in": 3}}])
    variants = toy_study_dir / "out" / "variants"
    result = run_study(
        spec, toy_model, study_dir=toy_study_dir, workers=2, progress=False, variants_dir=variants
    )
    expected = [r for r in range(12) if derive_seed(11, r) % 3 == 0]
    assert expected, "the planted failure should hit at least one seed"
    assert [f.replication for f in result.failures] == expected
    failure = result.failures[0]
    assert f"planted failure at seed {failure.seed}" in failure.error
    assert result.rerun_command(failure) == f"payersim run {variants / 'fragile.yaml'} --seed {failure.seed}"
    written = yaml.safe_load((variants / "fragile.yaml").read_text(encoding="utf-8"))
    assert written == {"name": "toy", "claims": 50, "billers": {"count": 2}, "fail_one_in": 3}
    with pytest.raises(RuntimeError, match="planted failure"):
        toy_model.replicate(written, failure.seed, None)
    assert sum(o.ok for o in result.outcomes) == 24 - len(expected)
    assert result.differences[0].n == 12 - len(expected)


def test_rerun_command_without_variant_files_names_the_overrides() -> None:
    """Without a written variant file the command says which overrides apply."""
    assert rerun_command("quick", 12, {}) == "payersim run quick --seed 12"
    assert rerun_command("my scenario.yaml", 3, {"staff.billers": 2}) == (
        "payersim run 'my scenario.yaml' --seed 3  # with staff.billers=2"
    )


def test_bad_override_names_the_study_variant_and_field(toy_model, toy_study_dir: Path) -> None:
    """An override the scenario model rejects is reported with the study, the variant and the field."""
    spec = _spec(variants=[{"name": "two"}, {"name": "typo", "set": {"biller.count": 3}}])
    with pytest.raises(UserError) as caught:
        run_study(spec, toy_model, study_dir=toy_study_dir, source="my_study.yaml", workers=1, progress=False)
    message = str(caught.value)
    assert "my_study.yaml: variants.1 (typo)" in message
    assert "biller: unknown field" in message


def test_keep_events_writes_one_file_per_replication(toy_model, toy_study_dir: Path) -> None:
    """With an events folder each replication writes its event log there."""
    events = toy_study_dir / "out" / "events"
    run_study(
        _spec(replications=2),
        toy_model,
        study_dir=toy_study_dir,
        workers=1,
        progress=False,
        events_dir=events,
    )
    written = sorted(p.relative_to(events).as_posix() for p in events.rglob("*.txt"))
    assert written == [
        "four/replication-0000/events.txt",
        "four/replication-0001/events.txt",
        "two/replication-0000/events.txt",
        "two/replication-0001/events.txt",
    ]


def test_numeric_metrics_flatten_nested_kpis_and_money() -> None:
    """Nested KPIs become dotted names, dollar strings integer cents, date series are set apart."""
    kpis = {
        "claims": 12,
        "days_in_ar": 41.5,
        "appeal_overturn_rate": None,
        "ar_aging": {"0-30": 0.5, "31-60": 0.5},
        "cash_collected": "1234.50",
        "cash_by_week": {"2026-01-05": "10.00", "2026-01-12": "2.50"},
        "note": "text",
        "flag": True,
    }
    assert numeric_metrics(kpis) == {
        "ar_aging.0-30": 0.5,
        "ar_aging.31-60": 0.5,
        "cash_collected_cents": 123450,
        "claims": 12,
        "days_in_ar": 41.5,
    }
    assert series_metrics(kpis) == {"cash_by_week_cents": {"2026-01-05": 1000, "2026-01-12": 250}}


def test_study_set_overrides_every_variant(toy_model, toy_study_dir: Path) -> None:
    """The study's own ``set`` applies to every variant before the variant's overrides."""
    spec = _spec(
        set={"claims": 10, "billers.count": 5},
        variants=[{"name": "base"}, {"name": "one", "set": {"billers.count": 1}}],
    )
    variants = toy_study_dir / "variants"
    result = run_study(
        spec, toy_model, study_dir=toy_study_dir, workers=1, progress=False, variants_dir=variants
    )
    base = yaml.safe_load((variants / "base.yaml").read_text(encoding="utf-8"))
    one = yaml.safe_load((variants / "one.yaml").read_text(encoding="utf-8"))
    assert (base["claims"], base["billers"]["count"], one["claims"], one["billers"]["count"]) == (
        10,
        5,
        10,
        1,
    )
    first = result.outcomes[0]
    assert result.rerun_command(first) == f"payersim run {variants / 'base.yaml'} --seed {first.seed}"
    assert result.differences[0].variant_mean == pytest.approx(5 * result.differences[0].reference_mean)


def test_bad_study_set_path_names_the_study(toy_model, toy_study_dir: Path) -> None:
    """A study ``set`` that the scenario cannot take is named with the study and the field."""
    spec = _spec(set={"claims.x": 1})
    with pytest.raises(UserError, match=r"my_study.yaml: set: override claims\.x"):
        run_study(spec, toy_model, study_dir=toy_study_dir, source="my_study.yaml", workers=1, progress=False)


def test_a_worker_that_dies_is_reported_not_raised(toy_model, toy_study_dir: Path) -> None:
    """A replication that kills its worker process comes back as a failure naming the lost worker."""
    spec = _spec(replications=2, variants=[{"name": "base"}, {"name": "crash", "set": {"crash": True}}])
    result = run_study(spec, toy_model, study_dir=toy_study_dir, workers=2, progress=False)
    crashed = [o for o in result.outcomes if o.variant == "crash"]
    assert crashed and all("worker lost" in o.error for o in crashed)
    assert [o.key for o in result.outcomes] == [(0, 0), (0, 1), (1, 0), (1, 1)]
