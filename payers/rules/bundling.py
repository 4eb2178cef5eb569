"""Bundling: NCCI-style procedure-to-procedure pairs on the same date of service.

A column 2 code billed with its column 1 code on the same day is denied: indicator 0 never
allowed (CO-97), indicator 1 allowed only with a bypass modifier (59, XE, XS, XP, XU) on either
line, otherwise CO-236; indicator 9 edits do not apply. Pairs are judged among the lines open
when the step starts, so the result does not depend on line order.
"""

from __future__ import annotations

from payers.profile import PayerProfile
from payers.rules import register
from payers.tables import PtpEdit, Tables
from payers.work import Adj, ClaimWork

__all__ = ["acts_on", "bundling", "prepare"]


def prepare(profile: PayerProfile, tables: Tables) -> dict[str, tuple[PtpEdit, ...]] | None:
    """The pairs by column 2 code; None without a PTP table."""
    return tables.ptp or None


def acts_on(prepared: dict[str, tuple[PtpEdit, ...]]) -> frozenset[str]:
    """The column 2 codes: only their lines can be denied."""
    return frozenset(prepared)


@register("bundling", prepare, acts_on)
def bundling(work: ClaimWork) -> list[Adj]:
    """Deny column 2 lines of an in-force pair whose column 1 code is billed the same day."""
    ptp = work.setup["bundling"]
    lines = work.open_lines()
    if len(lines) < 2:
        return []
    bypass = work.profile.edits.bypass_modifiers
    made: list[Adj] = []
    for line in lines:
        edits = ptp.get(line.code)
        if not edits:
            continue
        day = line.day
        for edit in edits:
            if edit.modifier_indicator == "9" or not edit.in_force(day):
                continue
            partners = [
                other
                for other in lines
                if other is not line and other.day == day and other.code == edit.column1
            ]
            if not partners:
                continue
            if edit.modifier_indicator == "0":
                made += work.deny(line, "CO", "97", ("M15",), "bundling.ptp")
                break
            modifiers = set(line.line.modifiers).union(*(p.line.modifiers for p in partners))
            if not modifiers.intersection(bypass):
                made += work.deny(line, "CO", "236", ("M80",), "bundling.ptp_modifier")
                break
    return made
