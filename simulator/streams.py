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

:class:`KeyedRandom` is a generator keyed by a text, for code that makes a fresh generator for
each claim and draws only a few numbers from it (the fake payer server).
"""

from __future__ import annotations

import random
import struct
from _random import Random as _CoreRandom
from hashlib import blake2b, sha256

__all__ = ["KeyedRandom", "Streams", "derive_seed"]

_new = random.Random.__new__
_seed = _CoreRandom.seed
_first_8_bytes = struct.Struct(">Q").unpack_from


_TWO_TO_MINUS_53 = 1.0 / 9007199254740992


class KeyedRandom(random.Random):
    """A :class:`random.Random` whose n-th 64-bit word is BLAKE2b of its key with n as the salt.

    Seeding a Mersenne Twister fills 624 words of state, which costs several times more than the
    few numbers drawn from a generator made for one claim and one purpose. This one has no state
    to fill: draw n hashes the key with the counter n. The same key gives the same draws in any
    process; every method of :class:`random.Random` works, since they all draw through
    :meth:`random` and :meth:`getrandbits`. It cannot be re-seeded.
    """

    def __init__(self, key: str) -> None:
        self._key = key.encode("utf-8")
        self._drawn = 0
        self.gauss_next = None

    def seed(self, *_args: object, **_kwargs: object) -> None:
        """Refused: the key is the seed."""
        raise TypeError("a KeyedRandom is seeded by its key only")

    def getstate(self) -> tuple[str, int, float | None]:
        """Its key, the number of words drawn so far and a pending normal draw."""
        return self._key.decode("utf-8"), self._drawn, self.gauss_next

    def setstate(self, state: tuple[str, int, float | None]) -> None:
        """Go back (or forward) to a state :meth:`getstate` gave."""
        key, drawn, gauss_next = state
        self._key, self._drawn, self.gauss_next = key.encode("utf-8"), drawn, gauss_next

    def __reduce__(self) -> tuple:
        return _restored, (self.getstate(),)

    def _word(self) -> int:
        self._drawn += 1
        digest = blake2b(self._key, digest_size=8, salt=self._drawn.to_bytes(16, "little")).digest()
        return int.from_bytes(digest, "little")

    def random(self) -> float:
        """The next number in [0, 1): the top 53 bits of the next word."""
        return (self._word() >> 11) * _TWO_TO_MINUS_53

    def getrandbits(self, k: int) -> int:
        """The next ``k`` random bits, from as many words as they need."""
        if k < 0:
            raise ValueError("number of bits must be non-negative")
        value, have = 0, 0
        while have < k:
            value |= self._word() << have
            have += 64
        return value >> (have - k) if have else 0


def _restored(state: tuple[str, int, float | None]) -> KeyedRandom:
    """A :class:`KeyedRandom` in ``state`` (for copy and pickle)."""
    rng = KeyedRandom(state[0])
    rng.setstate(state)
    return rng


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
