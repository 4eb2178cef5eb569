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

import random
import struct
from _random import Random as _CoreRandom
from hashlib import sha256

__all__ = ["Streams", "derive_seed"]

_new = random.Random.__new__
_seed = _CoreRandom.seed
_first_8_bytes = struct.Struct(">Q").unpack_from


def derive_seed(root: int, name: str, entity: object = "") -> int:
    """A 64-bit seed for stream ``name`` of ``entity`` under ``root``, stable across processes."""
    return _first_8_bytes(sha256(f"{root}\x1f{name}\x1f{entity}".encode()).digest())[0]


class Streams:
    """The named random streams of one run, derived from ``root``."""

    __slots__ = ("_prefix", "root")

    def __init__(self, root: int) -> None:
        self.root = int(root)
        self._prefix = f"{self.root}\x1f"

    def seed(self, name: str, entity: object = "") -> int:
        """``derive_seed(root, name, entity)``, with the root's part of the key made once."""
        return _first_8_bytes(sha256(f"{self._prefix}{name}\x1f{entity}".encode()).digest())[0]

    def stream(self, name: str, entity: object = "") -> random.Random:
        """A fresh generator for ``name`` and ``entity``; the same arguments give the same draws.

        It is ``random.Random(derive_seed(...))`` made without the Python-level ``__init__`` and
        ``seed`` wrappers (the core generator is seeded with the same integer): a run makes
        several streams per claim.
        """
        rng = _new(random.Random)
        _seed(rng, self.seed(name, entity))
        rng.gauss_next = None
        return rng

    def draw(self, name: str, entity: object = "") -> float:
        """One uniform number in [0, 1) for ``name`` and ``entity``, straight from the hash."""
        return (self.seed(name, entity) >> 11) / 9007199254740992
