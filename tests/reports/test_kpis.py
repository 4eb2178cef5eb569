"""Tests for reports.kpis: each KPI on small hand-built event logs with known answers."""

from __future__ import annotations

import json

import pytest

from reports.kpis import KPI_KEYS, age_bucket, percentile, summarize
from simulator.eventlog import EventKind, events_to_table


def _paid_claim(build, cid, day=0, billed=10000, payer_type="medicare", pay_day=15):
    build.created(cid, day, billed, payer_type).submitted(cid, day + 1)
    build.adjudicated(cid, pay_day, "paid").paid(cid, pay_day, billed * 6 // 10, billed * 4 // 10)
    return build.closed(cid, pay_day)


def test_summary_has_exactly_the_documented_keys(build):
    """The summary's keys are the documented ones, in sorted order."""
    summary = summarize(_paid_claim(build, "C1").events)
    assert list(summary) == sorted(KPI_KEYS)
    assert set(summary["denial_reason_mix"]) == {
        "eligibility_registration",
        "missing_invalid_data",
        "prior_authorization",
        "not_covered",
        "documentation",
        "medical_necessity",
        "timely_filing",
        "coding",
        "duplicate",
        "other",
    }
    assert set(summary["initial_denial_rate_by_payer_type"]) == {
        "medicare",
        "medicare_advantage",
        "medicaid",
        "commercial",
    }
    assert list(summary["ar_aging"]) == sorted(["0-30", "31-60", "61-90", "91-120", "120+"])


def test_no_denials(build):
    """A run without denials: denial rate 0, mix all zero, clean and first pass 100%."""
    _paid_claim(build, "C1")
    _paid_claim(build, "C2", payer_type="commercial")
    summary = summarize(build.events)
    assert summary["claims"] == 2
    assert summary["initial_denial_rate"] == 0.0
    assert set(summary["denial_reason_mix"].values()) == {0.0}
    assert summary["clean_claim_rate"] == 1.0
    assert summary["first_pass_resolution_rate"] == 1.0
    assert summary["final_denial_rate"] == 0.0
    assert summary["initial_denial_rate_by_payer_type"]["medicaid"] is None
    assert summary["appeal_overturn_rate"] is None


def test_initial_denial_rate_by_payer_type_and_reason_mix(build):
    """Denied and pended first decisions count as denials; the mix follows the event's category."""
    _paid_claim(build, "C1")
    _paid_claim(build, "C2")
    build.created("C3", 0, 10000).submitted("C3", 1).adjudicated(
        "C3", 14, "denied", "197", "prior_authorization"
    )
    build.created("C4", 0, 10000, "commercial").submitted("C4", 1)
    build.adjudicated("C4", 14, "pended", "252", "documentation")
    summary = summarize(build.events)
    assert summary["initial_denial_rate"] == 0.5
    assert summary["initial_denial_rate_by_payer_type"]["medicare"] == 0.3333
    assert summary["initial_denial_rate_by_payer_type"]["commercial"] == 1.0
    assert summary["denial_reason_mix"]["prior_authorization"] == 0.5
    assert summary["denial_reason_mix"]["documentation"] == 0.5
    assert summary["denial_reason_mix"]["coding"] == 0.0


def test_category_falls_back_to_the_given_carc_table(build):
    """A denial without a category is classified by the categorize function, else as other."""
    build.created("C1", 0, 10000).submitted("C1", 1).adjudicated("C1", 14, "denied", "197")
    build.created("C2", 0, 10000).submitted("C2", 1).adjudicated("C2", 14, "denied", "999")
    table = {"197": "prior_authorization", "999": "contractual"}
    mix = summarize(build.events, table.get)["denial_reason_mix"]
    assert mix["prior_authorization"] == 0.5
    assert mix["other"] == 0.5
    assert summarize(build.events)["denial_reason_mix"]["other"] == 1.0


def test_clean_claim_rate_and_first_pass_resolution_differ_on_rejections_and_rework(build):
    """A rejected-then-paid claim is not clean but resolves on first pass; a reworked one does neither."""
    _paid_claim(build, "C1")
    build.created("C2", 0, 10000).submitted("C2", 1).rejected("C2", 2)
    build.work("C2", 3, EventKind.CORRECTED).submitted("C2", 4, 2)
    build.adjudicated("C2", 18, "paid").paid("C2", 18, 6000, 4000).closed("C2", 18)
    build.created("C3", 0, 10000).submitted("C3", 1).adjudicated("C3", 14, "partly_paid", "96", "not_covered")
    build.paid("C3", 14, 3000, 2000).work("C3", 20, EventKind.APPEALED)
    build.created("C4", 0, 10000).submitted("C4", 1)
    summary = summarize(build.events)
    assert summary["clean_claim_rate"] == 0.25
    assert summary["first_pass_resolution_rate"] == 0.6667
    assert summary["initial_denial_rate"] == 0.3333


def test_final_denial_rate_ignores_patient_write_offs(build):
    """Only write-offs of payer denials count as final denials."""
    build.created("C1", 0, 10000).submitted("C1", 1).adjudicated("C1", 14, "denied", "29", "timely_filing")
    build.written_off("C1", 20, "timely_filing").closed("C1", 20)
    build.created("C2", 0, 10000).submitted("C2", 1).adjudicated("C2", 14, "paid").paid(
        "C2", 14, 5000, 3000, 2000
    )
    build.written_off("C2", 90, "small_balance").closed("C2", 90)
    build.created("C3", 0, 100).submitted("C3", 1).adjudicated("C3", 14, "denied", "18", "duplicate")
    build.written_off("C3", 20, "duplicate_copy").closed("C3", 20)
    summary = summarize(build.events)
    assert summary["final_denial_rate"] == 0.3333


def test_days_in_ar_uses_the_last_90_days_of_charges(build):
    """A/R 9,000 cents over 90 days of 9,000 cents of charges is 90 days; later charges shorten it."""
    build.created("C1", 0, 9000).submitted("C1", 1)
    build.run_ended(89)
    assert summarize(build.events)["days_in_ar"] == 90.0
    build.created("C2", 89, 9000)
    build.paid("C2", 89, 9000)
    assert summarize(build.events)["days_in_ar"] == 45.0


def test_days_in_ar_on_a_short_run_uses_the_run_length(build):
    """A ten-day run averages charges over ten days."""
    build.created("C1", 0, 9000).submitted("C1", 1).run_ended(9)
    assert summarize(build.events)["days_in_ar"] == 10.0


def test_ar_aging_shares_by_age_since_service(build):
    """Open balances at the end fall in buckets by days since the date of service."""
    build.created("C1", 0, 10000).created("C2", 40, 30000).created("C3", 44, 5000)
    build.paid("C3", 44, 5000)
    build.run_ended(45)
    aging = summarize(build.events)["ar_aging"]
    assert aging == {"0-30": 0.75, "120+": 0.0, "31-60": 0.25, "61-90": 0.0, "91-120": 0.0}


def test_ar_aging_with_nothing_open_is_all_zero(build):
    """No open balance: every bucket is zero and days in A/R is zero."""
    _paid_claim(build, "C1")
    summary = summarize(build.events)
    assert set(summary["ar_aging"].values()) == {0.0}
    assert summary["days_in_ar"] == 0.0


def test_resolution_percentiles_are_nearest_rank(build):
    """Ten claims closed 10, 20, ... 100 days after submission: p50 50, p90 90."""
    for n in range(10):
        _paid_claim(build, f"C{n}", day=0, pay_day=1 + 10 * (n + 1))
    summary = summarize(build.events)
    assert summary["resolution_days_p50"] == 50.0
    assert summary["resolution_days_p90"] == 90.0


def test_days_to_payment_median_by_payer_type(build):
    """Medians per payer type from first submission to the primary payer's first payment."""
    _paid_claim(build, "C1", pay_day=15)
    _paid_claim(build, "C2", pay_day=17)
    _paid_claim(build, "C3", payer_type="medicaid", pay_day=31)
    medians = summarize(build.events)["days_to_payment_median_by_payer_type"]
    assert medians == {"commercial": None, "medicaid": 30.0, "medicare": 15.0, "medicare_advantage": None}


def test_appeal_overturn_rate(build):
    """Overturned and partly overturned appeals count as overturned."""
    for cid, outcome in (("C1", "overturned"), ("C2", "partly_overturned"), ("C3", "upheld")):
        build.created(cid, 0, 10000).submitted(cid, 1).adjudicated(
            cid, 14, "denied", "50", "medical_necessity"
        )
        build.appeal(cid, 20, 60, outcome)
    assert summarize(build.events)["appeal_overturn_rate"] == 0.6667


def test_collection_rates_and_cost_to_collect(build):
    """Net and patient collection rates and cost to collect from cash, contractuals, costs and fees."""
    build.created("C1", 0, 20000).submitted("C1", 1).adjudicated("C1", 14, "paid")
    build.paid("C1", 14, 10000, 5000, 5000)
    build.patient_paid("C1", 40, 2000).collected("C1", 100, 1000, 500)
    build.work("C1", 30, EventKind.STATEMENT_SENT, cost=700)
    summary = summarize(build.events)
    assert summary["net_collection_rate"] == round(13000 / (20000 - 5000), 4)
    assert summary["patient_collection_rate"] == 0.6
    assert summary["cost_to_collect"] == round((700 + 500) / 13000, 4)


def test_cost_to_collect_pays_the_billers_time_through_the_horizon(build):
    """Billers are paid for all their time through the horizon, busy or idle; in the run-out only
    the work logged counts; a bigger team costs more."""
    staff = "billers=2 hours_per_week=35 hourly_cost=3000 horizon_days=14"
    build.run_started(staff=staff)
    build.created("C1", 0, 2000000).submitted("C1", 1).adjudicated("C1", 14, "paid")
    build.paid("C1", 14, 1000000, 1000000, 0)
    build.work("C1", 3, EventKind.STATEMENT_SENT, cost=1000)
    build.work("C1", 18, EventKind.STATEMENT_SENT, cost=500)
    build.run_ended(20)
    paid = 2 * 35 * 3000 * 14 // 7
    assert summarize(build.events)["cost_to_collect"] == round((paid + 500) / 1000000, 4)
    bigger = [e._replace(detail=e.detail.replace("billers=2", "billers=3")) for e in build.events]
    assert summarize(bigger)["cost_to_collect"] == round((paid * 3 // 2 + 500) / 1000000, 4)


def test_no_payments(build):
    """Without cash: collection rates 0, cost to collect and payment medians undefined, no weeks."""
    build.created("C1", 0, 10000).submitted("C1", 1).run_ended(30)
    summary = summarize(build.events)
    assert summary["net_collection_rate"] == 0.0
    assert summary["cost_to_collect"] is None
    assert summary["patient_collection_rate"] is None
    assert summary["cash_by_week"] == {}
    assert summary["resolution_days_p50"] is None
    assert set(summary["days_to_payment_median_by_payer_type"].values()) == {None}


def test_cash_by_week_keys_weeks_by_their_monday(build):
    """Cash is summed per calendar week keyed by the Monday, in dollars."""
    build.created("C1", 0, 10000).created("C2", 0, 10000)
    build.paid("C1", 6, 1234)
    build.paid("C2", 7, 500)
    build.patient_paid("C2", 8, 250)
    assert summarize(build.events)["cash_by_week"] == {"2026-01-05": "12.34", "2026-01-12": "7.50"}


def test_empty_log_gives_a_summary_of_nothing():
    """No events: zero claims and undefined rates, never an error."""
    summary = summarize([])
    assert summary["claims"] == 0
    assert summary["initial_denial_rate"] is None
    assert summary["days_in_ar"] is None


def test_a_pyarrow_table_gives_the_same_summary(synthetic_events):
    """The event table written to Parquet summarises like the list of events."""
    assert summarize(events_to_table(synthetic_events)) == summarize(synthetic_events)


def test_summary_is_deterministic_json(synthetic_events):
    """Two summaries of the same events serialise to the same JSON text, floats rounded."""
    first = json.dumps(summarize(synthetic_events))
    assert first == json.dumps(summarize(list(reversed(synthetic_events))))
    rates = [v for v in summarize(synthetic_events).values() if isinstance(v, float)]
    assert rates and all(round(v, 4) == v for v in rates)


def test_helpers():
    """Age buckets and nearest-rank percentiles at their edges."""
    assert [age_bucket(d) for d in (0, 30, 31, 60, 61, 90, 91, 120, 121)] == [
        "0-30",
        "0-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        "91-120",
        "91-120",
        "120+",
    ]
    assert percentile([], 0.5) is None
    assert percentile([3, 1, 2], 0.5) == 2
    assert percentile([1, 2, 3, 4], 0.9) == 4


@pytest.mark.parametrize("seed", range(6))
def test_invariants_on_synthetic_runs(make_log, seed):
    """Rates lie in [0, 1], shares sum to 1, percentiles are ordered, open A/R matches conservation."""
    from reports.claims import fold

    events = make_log(claims=40 + 20 * seed, seed=seed)
    summary = summarize(events)
    for key in (
        "initial_denial_rate",
        "clean_claim_rate",
        "first_pass_resolution_rate",
        "final_denial_rate",
        "appeal_overturn_rate",
        "net_collection_rate",
        "patient_collection_rate",
    ):
        assert summary[key] is None or 0.0 <= summary[key] <= 1.0, key
    for key in ("denial_reason_mix", "ar_aging"):
        total = sum(summary[key].values())
        assert total == 0.0 or abs(total - 1.0) < 1e-3, key
    assert summary["resolution_days_p50"] <= summary["resolution_days_p90"]
    billed = sum(e.billed for e in events if e.kind == EventKind.CLAIM_CREATED)
    moved = sum(e.paid + e.adjusted + e.written_off for e in events)
    run = fold(events)
    assert sum(f.balance[-1][1] for f in run.claims.values() if f.balance) == billed - moved


def test_days_to_payment_counts_a_zero_payment_remittance(build):
    """A remittance that pays $0 (all to the deductible) is the payment date, not a later one."""
    build.created("C1", 0, 10000).submitted("C1", 1).adjudicated("C1", 15, "paid")
    build.paid("C1", 15, 0, 4000, 6000).patient_paid("C1", 40, 6000).closed("C1", 40)
    assert summarize(build.events)["days_to_payment_median_by_payer_type"]["medicare"] == 14.0
