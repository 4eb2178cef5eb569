"""Identifier checks: NPI check digits (Luhn over the 80840 prefix) and NPI generation."""

from __future__ import annotations

__all__ = ["make_npi", "npi_check_digit", "npi_error"]

_NPI_PREFIX_SUM = 24  # Luhn contribution of the card-issuer prefix 80840 (CMS NPI standard)


def npi_check_digit(first_nine: str) -> int:
    """The check digit for the first nine digits of an NPI."""
    total = _NPI_PREFIX_SUM
    for position, char in enumerate(reversed(first_nine)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def npi_error(npi: str) -> str | None:
    """Why ``npi`` is not a valid NPI, or None when it is."""
    if len(npi) != 10 or not npi.isdigit():
        return f"NPI {npi!r} is not ten digits"
    if npi[0] not in "12":
        return f"NPI {npi!r} must start with 1 or 2"
    if int(npi[9]) != npi_check_digit(npi[:9]):
        return f"NPI {npi!r} fails its check digit (expected {npi_check_digit(npi[:9])})"
    return None


def make_npi(serial: int) -> str:
    """A valid NPI built from a serial number (deterministic, for generated providers)."""
    first_nine = f"1{serial % 10**8:08d}"
    return first_nine + str(npi_check_digit(first_nine))
