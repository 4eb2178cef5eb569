"""Payer behaviour: profiles, rules, the adjudication pipeline, pricing, accumulators, appeals.

Pure: no simpy, no I/O beyond reading profiles and tables, no clock.

>>> from payers import Payer, PayerLedger, load_profile
>>> payer = Payer(load_profile("commercial_ppo"))
"""

from payers.ledger import PayerLedger
from payers.payer import Payer, PayerError
from payers.profile import PayerProfile, ProfileError, load_profile, profile_names

__all__ = [
    "Payer",
    "PayerError",
    "PayerLedger",
    "PayerProfile",
    "ProfileError",
    "load_profile",
    "profile_names",
]
