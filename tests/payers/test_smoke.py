"""End-to-end smoke test of the payer contract: load, adjudicate, remember."""

from datetime import date

from payers import Payer, PayerLedger, load_profile, profile_names
from simulator.models import ClaimStatus
from simulator.samples import sample_claim, sample_coverage


def test_every_shipped_profile_adjudicates_the_sample_claim():
    """Each shipped profile pays the sample office visit and the decision balances."""
    assert profile_names() == ["commercial_ppo", "medicaid", "medicare", "medicare_advantage"]
    for name in profile_names():
        payer = Payer(load_profile(name))
        claim = sample_claim(coverage=sample_coverage(name))
        (decision,) = payer.adjudicate(claim, received=date(2026, 3, 10), ledger=PayerLedger())
        assert decision.status == ClaimStatus.PAID, (name, decision.rules_fired)
        assert decision.balances
        assert decision.allowed > 0
        assert decision.paid + decision.patient_responsibility == decision.allowed
