"""Non-covered services: procedure codes the plan excludes (CO-96 or CO-204, per profile)."""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork

__all__ = ["coverage"]


@register("coverage")
def coverage(work: ClaimWork) -> list[Adj]:
    """Deny lines whose procedure code a non-covered list of the profile names."""
    exclusions = work.profile.non_covered
    if not exclusions:
        return []
    made: list[Adj] = []
    for line in work.open_lines():
        for exclusion in exclusions:
            if line.line.procedure_code in exclusion.codes:
                made += work.deny(line, "CO", exclusion.carc, exclusion.rarcs, "coverage.non_covered")
                break
    return made
