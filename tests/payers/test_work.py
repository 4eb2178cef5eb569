"""The pipeline's working functions: integer percent rounding, the cached list of open lines."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from payers.work import percent_of
from simulator import money
from simulator.samples import sample_claim, sample_line

percents = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False)


@given(st.integers(-(10**12), 10**12), percents)
def test_percent_of_matches_the_decimal_rule(cents, percent):
    """Integer percent_of gives exactly simulator.money.percent_of, ties rounded away from zero."""
    assert percent_of(cents, percent) == money.percent_of(cents, percent)


def test_percent_of_rounds_ties_away_from_zero():
    """Half a cent rounds up for credits and down for debits."""
    assert percent_of(5, Decimal(10)) == 1
    assert percent_of(-5, Decimal(10)) == -1
    assert percent_of(4, Decimal(10)) == 0
    assert percent_of(12345, Decimal("12.5")) == 1543


def test_open_lines_follow_denials():
    """open_lines is refreshed when a step denies a line, and keeps claim order."""
    from datetime import date

    from payers import Payer, PayerLedger, load_profile
    from payers.work import ClaimWork

    payer = Payer(load_profile("commercial_ppo"))
    claim = sample_claim(lines=(sample_line(1), sample_line(2, procedure_code="36415")))
    work = ClaimWork.start(
        claim, date(2026, 3, 10), payer.profile, payer.tables, payer.fees, PayerLedger(), None, "s"
    )
    first, second = work.lines
    assert work.open_lines() == [first, second]
    work.deny(first, "CO", "16", (), "front_end.icd10")
    assert work.open_lines() == [second]
    work.deny_all("CO", "16", (), "front_end.icd10")
    assert work.open_lines() == []
