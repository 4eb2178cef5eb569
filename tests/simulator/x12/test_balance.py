"""835 balancing checks: per line, per claim, per payment, and the first imbalance is named."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulator.models import Adjustment, GroupCode
from simulator.x12.balance import claim_imbalance, first_imbalance, line_imbalance, payment_imbalance
from simulator.x12.remittance import PaymentNumbers, build_payments
from tests.simulator.x12 import remit_fixtures as fx


def _payment(decisions):
    (payment,) = build_payments(
        fx.remit(decisions), payer=fx.PAYER, payment_date=fx.DECIDED, numbers=PaymentNumbers()
    )
    return payment


def test_every_fixture_balances() -> None:
    """The hand-built spread of adjudications balances at every level."""
    assert first_imbalance([_payment(fx.spread())]) is None


def test_line_imbalance_names_line_and_amounts() -> None:
    """A line paid one cent too much is named with its expected and found totals."""
    line = fx.paid().lines[0].model_copy(update={"paid": 6001})
    problem = line_imbalance(line)
    assert problem is not None
    assert (problem.expected, problem.found) == (8999, 9000)
    assert "line 1 (99213)" in problem.message and "SVC02 - SVC03" in problem.message


def test_claim_level_adjustment_counts_toward_the_claim() -> None:
    """Claim-level CAS plus line CAS must equal CLP03 - CLP04; without it the claim is off."""
    decision = fx.secondary()
    assert claim_imbalance(decision) is None
    broken = decision.model_copy(update={"claim_adjustments": ()})
    problem = claim_imbalance(broken)
    assert problem is not None and problem.rule.startswith("CLP03 - CLP04")
    assert problem.expected - problem.found == 1000


def test_payment_amount_must_equal_claims_less_plb() -> None:
    """BPR02 that ignores the PLB interest is an imbalance at payment level."""
    payment = _payment([fx.with_interest()])
    assert payment_imbalance(payment) is None
    wrong = payment.model_copy(update={"amount": payment.claims_paid})
    problem = payment_imbalance(wrong)
    assert problem is not None and "BPR02" in problem.rule
    assert problem.expected == payment.claims_paid + 237


def test_first_imbalance_is_the_first_in_order() -> None:
    """With two broken claims, the first one in remittance order is reported."""
    first = fx.paid("A1", "1").model_copy(update={"paid": 1})
    second = fx.denied("B2", "2").model_copy(update={"paid": 5})
    problem = first_imbalance([_payment([first, second])])
    assert problem is not None and "claim A1" in problem.where


@given(
    billed=st.integers(min_value=0, max_value=10_000_000),
    shares=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=14),
)
def test_any_split_of_billed_into_paid_and_adjustments_balances(billed: int, shares: list[int]) -> None:
    """Whatever way a charge is split into paid and adjustments, the checks accept it."""
    from simulator.money import split_by_weights

    parts = split_by_weights(billed, [*shares, 1])
    paid, adjustments = parts[-1], parts[:-1]
    line = (
        fx.paid()
        .lines[0]
        .model_copy(
            update={
                "billed": billed,
                "paid": paid,
                "adjustments": tuple(
                    Adjustment(group=GroupCode.CONTRACTUAL, carc="45", amount=a, rule="t")
                    for a in adjustments
                ),
            }
        )
    )
    assert line_imbalance(line) is None
    assert line_imbalance(line.model_copy(update={"paid": paid + 1})) is not None
