"""Documentation requests: pend a claim for records (252 / N704), then decide on what was sent.

A claim pends when an open line's code is on the profile's list, or when a random audit draw
from the payer's stream falls under the audit rate. After records arrive the same step denies
the open lines when they do not support the service (CO-50), are incomplete (CO-226 N705) or
never came (CO-226 N706); records that support the service let the claim pay per the rules.
"""

from __future__ import annotations

from payers.profile import PayerProfile
from payers.rules import register
from payers.tables import Tables
from payers.work import Adj, ClaimWork

__all__ = ["OUTCOMES", "documentation", "prepare"]

OUTCOMES = {
    "not_supported": ("50", ("N706",), "documentation.not_supported"),
    "incomplete": ("226", ("N705",), "documentation.incomplete"),
    "missing": ("226", ("N706",), "documentation.missing"),
}


def prepare(profile: PayerProfile, tables: Tables) -> tuple[frozenset[str], float]:
    """The codes that always pend and the audit rate (the step always runs: records may come in)."""
    rules = profile.documentation
    return frozenset(rules.required_codes), rules.audit_rate


@register("documentation", prepare)
def documentation(work: ClaimWork) -> list[Adj]:
    """Pend for records, or apply the outcome of records received."""
    if work.documentation == "supports" or work.is_waived("documentation"):
        return []
    if work.documentation in OUTCOMES:
        carc, rarcs, rule = OUTCOMES[work.documentation]
        return work.deny_all("CO", carc, rarcs, rule)
    required_codes, audit_rate = work.setup["documentation"]
    lines = work.open_lines()
    draw = work.draw("documentation.audit") if audit_rate > 0 else None
    if not lines:
        return []
    if required_codes and any(line.code in required_codes for line in lines):
        work.pend_rule = "documentation.required"
    elif draw is not None and draw < audit_rate:
        work.pend_rule = "documentation.audit"
    return []
