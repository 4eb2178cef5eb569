"""Units against MUE-style limits: adjudication indicator 1 per line, 2 and 3 per day across lines.

The profile chooses the action: ``deny_line`` (as Medicare: the whole line is denied) or
``reduce_units`` (the units over the limit are cut and their share of the charge adjusted).
Both report CO-151 with RARC N362.
"""

from __future__ import annotations

from payers.profile import PayerProfile
from payers.rules import register
from payers.tables import Tables
from payers.work import Adj, ClaimWork, LineWork

__all__ = ["acts_on", "prepare", "units"]

RULE = "units.mue"
RARCS = ("N362",)


def prepare(profile: PayerProfile, tables: Tables) -> dict[str, tuple[int, str]] | None:
    """The unit limits by code; None without an MUE table."""
    return tables.mue or None


def acts_on(prepared: dict[str, tuple[int, str]]) -> frozenset[str]:
    """The codes with a unit limit."""
    return frozenset(prepared)


@register("units", prepare, acts_on)
def units(work: ClaimWork) -> list[Adj]:
    """Deny or cut lines whose units pass the code's limit per line or per day."""
    mue = work.setup["units"]
    made: list[Adj] = []
    per_day: dict[tuple, list[LineWork]] = {}
    one_line_per_code = len(work.codes) == len(work.lines)  # then a per-day limit is the line's own
    for line in work.open_lines():
        code = line.code
        found = mue.get(code)
        if found is None:
            continue
        limit, indicator = found
        if indicator == "1" or one_line_per_code:
            if line.units > limit:
                made += _cut(work, line, limit)
        else:
            per_day.setdefault((code, line.day), []).append(line)
    for (code, _day), lines in per_day.items():
        limit = mue[code][0]
        if sum(line.units for line in lines) <= limit:
            continue
        budget = limit
        for line in lines:
            keep = min(line.units, budget)
            budget -= keep
            if keep < line.units:
                made += _cut(work, line, keep)
    return made


def _cut(work: ClaimWork, line: LineWork, keep: int) -> list[Adj]:
    if work.profile.edits.mue_action == "deny_line" or keep == 0:
        return work.deny(line, "CO", "151", RARCS, RULE)
    excess = line.units - keep
    amount = line.remaining * excess // line.units
    made = work.adjust(line, "CO", "151", amount, RARCS, RULE, quantity=excess)
    if made:
        line.units = keep
    return made
