"""NPI check digits follow the Luhn rule over the 80840 prefix."""

import pytest

from simulator.identifiers import make_npi, npi_check_digit, npi_error


def test_known_valid_npi():
    assert npi_error("1234567893") is None
    assert npi_check_digit("123456789") == 3


@pytest.mark.parametrize(
    ("npi", "fragment"),
    [("1234567890", "check digit"), ("12345", "ten digits"), ("3234567893", "start with 1 or 2")],
)
def test_invalid_npis_are_named(npi, fragment):
    assert fragment in npi_error(npi)


def test_generated_npis_are_valid_and_distinct():
    npis = {make_npi(i) for i in range(1, 500)}
    assert len(npis) == 499
    assert all(npi_error(n) is None for n in npis)
