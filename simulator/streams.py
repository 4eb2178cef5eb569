"""Owned randomness: one root seed, independent named streams.

Every random process of a run draws from its own :class:`random.Random`, seeded from a hash of
``(root seed, stream name, entity id)`` with SHA-256 (never Python's ``hash()``, which changes
with ``PYTHONHASHSEED``). Adding a draw to one stream therefore never shifts another, and two
runs that differ only in a biller policy see the same visits, the same coding errors and the
same payer decisions on identical claims (common random numbers).

Stream names in use: ``arrivals`` (per provider and day), ``patients`` (per person),
``coding`` (per visit), ``payer`` (per payer, claim and attempt), ``payer_lag`` (likewise),
``staff`` (per claim and task), ``patient_pay`` (per claim), ``agency`` (per claim),
``clearinghouse`` (per claim and attempt).
"""

from __future__ import annotations

import hashlib
import random

__all__ = ["Streams", "derive_seed"]


def derive_seed(root: int, name: str, entity: object = "") -> int:
    """A 64-bit seed for stream ``name`` of ``entity`` under ``root``, stable across processes."""
    key = f"{root}\x1f{name}\x1f{entity}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


class Streams:
    """The named random streams of one run, derived from ``root``."""

    __slots__ = ("root",)

    def __init__(self, root: int) -> None:
        self.root = int(root)

    def stream(self, name: str, entity: object = "") -> random.Random:
        """A fresh generator for ``name`` and ``entity``; the same arguments give the same draws."""
        return random.Random(derive_seed(self.root, name, entity))

    def draw(self, name: str, entity: object = "") -> float:
        """One uniform number in [0, 1) for ``name`` and ``entity``, straight from the hash."""
        return (derive_seed(self.root, name, entity) >> 11) / 9007199254740992
