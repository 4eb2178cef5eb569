"""Medical necessity: a policy table of diagnoses that support a procedure (CO-50 or CO-11)."""

from __future__ import annotations

from payers.rules import register
from payers.work import Adj, ClaimWork

__all__ = ["medical_necessity"]


@register("medical_necessity")
def medical_necessity(work: ClaimWork) -> list[Adj]:
    """Deny lines whose pointed diagnoses match none of the policy's prefixes for the procedure."""
    policy = work.tables.policy
    if not policy:
        return []
    diagnoses = [code.replace(".", "").upper() for code in work.claim.diagnoses]
    made: list[Adj] = []
    for line in work.open_lines():
        found = policy.get(line.line.procedure_code)
        if found is None:
            continue
        prefixes, carc, rarcs = found
        pointed = [diagnoses[p - 1] for p in line.line.diagnosis_pointers]
        if not any(code.startswith(prefixes) for code in pointed):
            made += work.deny(line, "CO", carc, rarcs, "medical_necessity.policy")
    return made
