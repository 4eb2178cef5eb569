"""Non-covered services: procedure codes the plan excludes (CO-96 or CO-204, per profile)."""

from __future__ import annotations

from payers.profile import NonCovered, PayerProfile
from payers.rules import register
from payers.tables import Tables
from payers.work import Adj, ClaimWork

__all__ = ["acts_on", "coverage", "prepare"]


def prepare(profile: PayerProfile, tables: Tables) -> dict[str, NonCovered] | None:
    """Each excluded code's exclusion (the first list naming it); None when the plan excludes nothing."""
    excluded: dict[str, NonCovered] = {}
    for exclusion in profile.non_covered:
        for code in exclusion.codes:
            excluded.setdefault(code, exclusion)
    return excluded or None


def acts_on(prepared: dict[str, NonCovered]) -> frozenset[str]:
    """The excluded codes."""
    return frozenset(prepared)


@register("coverage", prepare, acts_on)
def coverage(work: ClaimWork) -> list[Adj]:
    """Deny lines whose procedure code a non-covered list of the profile names."""
    excluded = work.setup["coverage"]
    made: list[Adj] = []
    for line in work.open_lines():
        exclusion = excluded.get(line.code)
        if exclusion is not None:
            made += work.deny(line, "CO", exclusion.carc, exclusion.rarcs, "coverage.non_covered")
    return made
