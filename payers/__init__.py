"""Payer behaviour: profiles, rules, the adjudication pipeline, pricing, accumulators, appeals.

Pure: no simpy, no I/O beyond reading profiles and tables, no clock.

>>> from datetime import date
>>> from payers import Payer, PayerLedger, load_profile
>>> from simulator.samples import sample_claim
>>> payer, ledger = Payer(load_profile("commercial_ppo")), PayerLedger()
>>> [decision] = payer.adjudicate(sample_claim(), received=date(2026, 3, 10), ledger=ledger)
>>> decision.status.value, decision.paid, decision.rules_fired
('paid', 10359, ('pricing.fee_schedule', 'benefits.copay'))

* :func:`load_profile` reads a shipped profile by name or a YAML file by path;
  :class:`Payer` loads its fee schedule and edit tables once.
* :class:`PayerLedger` is the payer's memory (roster, authorizations, decisions, claim history,
  accumulators, pended claims, appeals); one per payer. ``PayerLedger.to_state()`` gives it as
  plain JSON-able data (version 1) and ``PayerLedger.from_state(state)`` reads it back
  (:class:`LedgerStateError` names what is wrong with a state it cannot read).
* ``Payer.adjudicate`` returns the entries in remittance order: for a replacement (frequency
  7) or a void (8), the reversal of the earlier decision first, then the new decision (none for
  a void). ``decided`` defaults to receipt plus the profile's median lag; pass
  ``Payer.decision_date(received, rng)`` to draw it.
* ``receive_documentation`` and ``expire_documentation`` close pended claims;
  ``decide_appeal`` decides appeals (an overturn carries the new decision and, when the old
  one paid, its reversal); ``payment_date`` and ``appeal_deadline`` give the calendar.
* ``Payer.interest_due(entry, paid_on)`` is the prompt-pay interest owed on a clean claim paid
  late, for profiles with ``prompt_pay`` terms (0 otherwise); the caller that pays adds it.
"""

from payers.ledger import PayerLedger
from payers.payer import Payer, PayerError
from payers.profile import PayerProfile, ProfileError, load_profile, profile_names
from payers.state import LedgerStateError

__all__ = [
    "LedgerStateError",
    "Payer",
    "PayerError",
    "PayerLedger",
    "PayerProfile",
    "ProfileError",
    "load_profile",
    "profile_names",
]
