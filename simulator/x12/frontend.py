"""A payer's front end for incoming 837s: envelope, syntax and business edits.

The records here are what the front end hands on: a :class:`ClaimRejection` per problem found
on a claim (277CA category, status and entity codes with a message naming the problem and the
segment position), gathered per claim in a :class:`RejectedClaim`. The 277CA writer turns each
rejection into an STC segment: ``STC*{category}:{status}:{entity}*...``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from simulator.models import Claim

__all__ = ["ClaimRejection", "RejectedClaim"]


@dataclass(frozen=True, slots=True)
class ClaimRejection:
    """One reason a claim is rejected at the front end, in 277CA terms.

    ``category`` is the claim status category code (A3 returned as unprocessable, A6 missing
    information, A7 invalid information, A8 relational field error); ``status`` is the claim
    status code (21 missing or invalid information, 562 NPI, 254/255 diagnosis, 178 charges,
    187/188 dates...); ``entity`` is the entity identifier code the status refers to (85 billing
    provider, 82 rendering provider, DN referring provider, IL subscriber, QC patient, PR payer)
    or ``""``. ``position`` is the segment's 1-based position in the transaction set (ST = 1),
    ``segment`` its tag and ``element`` the element reference (``"NM109"``) where known.
    """

    claim_id: str
    category: str
    status: str
    entity: str
    message: str
    position: int
    segment: str = ""
    element: str = ""

    @property
    def stc01(self) -> tuple[str, ...]:
        """STC01 components: category, status and (when known) entity."""
        return (self.category, self.status, self.entity) if self.entity else (self.category, self.status)


@dataclass(frozen=True, slots=True)
class RejectedClaim:
    """A claim the front end rejected, with what the 277CA needs to identify it.

    ``claim`` is the claim as read when it could be built (None when the 837 data was too broken
    to make a valid :class:`~simulator.models.Claim`); the other fields are read straight from
    the 837 so that even a broken claim can be acknowledged.
    """

    claim_id: str
    rejections: tuple[ClaimRejection, ...]
    claim: Claim | None = None
    total_charge: int | None = None
    billing_npi: str = ""
    billing_name: str = ""
    subscriber_id: str = ""
    subscriber_last_name: str = ""
    subscriber_first_name: str = ""
    payer_id: str = ""
    payer_name: str = ""
    service_date: date | None = None
    service_date_end: date | None = None
    transaction_control: str = ""
