"""Medical necessity: a policy table of diagnoses that support a procedure (CO-50 or CO-11)."""

from __future__ import annotations

from functools import lru_cache

from payers.profile import PayerProfile
from payers.rules import register
from payers.tables import Tables
from payers.work import Adj, ClaimWork

__all__ = ["acts_on", "medical_necessity", "prepare"]


def prepare(profile: PayerProfile, tables: Tables) -> dict[str, tuple] | None:
    """The policy by procedure code; None without a policy table."""
    return tables.policy or None


@lru_cache(maxsize=4096)
def _plain(diagnoses: tuple[str, ...]) -> tuple[str, ...]:
    """The claim's diagnoses without dots, upper case (a batch of claims repeats a few lists)."""
    return tuple(code.replace(".", "").upper() for code in diagnoses)


def acts_on(prepared: dict[str, tuple]) -> frozenset[str]:
    """The codes the policy covers."""
    return frozenset(prepared)


@register("medical_necessity", prepare, acts_on)
def medical_necessity(work: ClaimWork) -> list[Adj]:
    """Deny lines whose pointed diagnoses match none of the policy's prefixes for the procedure."""
    policy = work.setup["medical_necessity"]
    diagnoses = _plain(work.claim.diagnoses)
    made: list[Adj] = []
    for line in work.open_lines():
        found = policy.get(line.code)
        if found is None:
            continue
        prefixes, carc, rarcs = found
        pointed = [diagnoses[p - 1] for p in line.line.diagnosis_pointers]
        if not any(code.startswith(prefixes) for code in pointed):
            made += work.deny(line, "CO", carc, rarcs, "medical_necessity.policy")
    return made
