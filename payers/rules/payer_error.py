"""The payer's own errors: a draw under the profile's error rate wrongly denies a clean claim (CO-16)."""

from __future__ import annotations

from payers.profile import PayerProfile
from payers.rules import register
from payers.tables import Tables
from payers.work import Adj, ClaimWork

__all__ = ["payer_error", "prepare"]


def prepare(profile: PayerProfile, tables: Tables) -> float | None:
    """The error rate; None when it is zero (then nothing is drawn)."""
    rate = profile.errors.rate
    return rate if rate > 0 else None


@register("payer_error", prepare)
def payer_error(work: ClaimWork) -> list[Adj]:
    """Deny every open line as lacking information when the error draw fires."""
    rate = work.setup["payer_error"]
    draw = work.draw("payer_error")
    if draw is None or draw >= rate:
        return []
    return work.deny_all("CO", "16", ("MA130",), "payer_error")
