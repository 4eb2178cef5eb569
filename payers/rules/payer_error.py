"""The payer's own errors: a draw under the profile's error rate wrongly denies a clean claim (CO-16)."""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork

__all__ = ["payer_error"]


@register("payer_error")
def payer_error(work: ClaimWork) -> list[Adj]:
    """Deny every open line as lacking information when the error draw fires."""
    rate = work.profile.errors.rate
    if rate <= 0:
        return []
    draw = work.draw("payer_error")
    if draw is None or draw >= rate:
        return []
    return work.deny_all("CO", "16", ("MA130",), "payer_error")
