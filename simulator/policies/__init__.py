"""Billing-office policies, pluggable by name.

Each policy is a small module holding one class with one decision method; scenario files pick
them by kind and name (``policies: {denial_triage: {name: expected_value, params: {...}}}``).
Kinds and their decision methods:

* ``scrubbing``      ``catches(defect, draw) -> bool``: does an edit catch this defect?
* ``eligibility``    ``verifies(draw) -> bool``: is coverage checked before this visit?
* ``follow_up``      ``inquiry_after(days_waiting) -> float | None``: days until the next status inquiry
* ``denial_triage``  ``decide(case) -> Action``: correct, appeal or write off a denial
* ``work_order``     ``priority(task) -> float``: lower is worked first
* ``staffing``       ``billers(base) -> int``: billers on staff
* ``statements``     ``next_step(sent, days_since_first) -> (action, days)``
* ``small_balance``  ``writes_off(balance) -> bool``
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

__all__ = ["KINDS", "check_choice", "make", "names", "register"]

KINDS = (
    "scrubbing",
    "eligibility",
    "follow_up",
    "denial_triage",
    "work_order",
    "staffing",
    "statements",
    "small_balance",
)

_REGISTRY: dict[str, dict[str, type]] = {kind: {} for kind in KINDS}


def register(kind: str, name: str) -> Callable[[type], type]:
    """Class decorator: make ``cls`` the ``kind`` policy called ``name``."""

    def add(cls: type) -> type:
        _REGISTRY[kind][name] = cls
        return cls

    return add


def names(kind: str) -> list[str]:
    """Registered names of ``kind``, sorted."""
    _load()
    return sorted(_REGISTRY[kind])


def _build(kind: str, name: str, params: dict[str, Any]) -> Any:
    _load()
    if kind not in _REGISTRY:
        raise ValueError(f"unknown policy kind {kind!r}; kinds: {', '.join(KINDS)}")
    cls = _REGISTRY[kind].get(name)
    if cls is None:
        raise ValueError(f"unknown {kind} policy {name!r}; known: {', '.join(names(kind))}")
    try:
        _check_types(cls, params)
        return cls(**params)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{kind} policy {name!r}: bad parameters ({error})") from None


_KINDS_OF_VALUE = {
    "int": ((int,), "a whole number", "whole numbers"),
    "float": ((int, float), "a number", "numbers"),
    "str": ((str,), "a text", "texts"),
    "bool": ((bool,), "true or false", "true or false values"),
}


def _check_types(cls: type, params: dict[str, Any]) -> None:
    """Raise TypeError naming the parameter whose value is not of its field's kind (NaN is no number)."""
    types = {field.name: str(field.type) for field in dataclasses.fields(cls)}
    for key, value in params.items():
        annotation = types.get(key, "")
        items = annotation.startswith("tuple[")
        wanted = annotation[len("tuple[") :].split(",")[0] if items else annotation
        if wanted not in _KINDS_OF_VALUE:
            continue
        allowed, one_word, many_words = _KINDS_OF_VALUE[wanted]
        if items and not isinstance(value, list | tuple):
            raise TypeError(f"{key} must be a list of {many_words}, not {value!r}")
        for one in value if items else [value]:
            not_a_number = isinstance(one, float) and math.isnan(one)
            if not isinstance(one, allowed) or (isinstance(one, bool) and wanted != "bool") or not_a_number:
                words = f"a list of {many_words}" if items else one_word
                raise TypeError(f"{key} must be {words}, not {one!r}")


def check_choice(kind: str, choice: Any) -> None:
    """Raise ValueError naming the problem when ``choice`` does not build a ``kind`` policy."""
    _build(kind, choice.name, dict(choice.params))


def make(kind: str, choice: Any) -> Any:
    """The ``kind`` policy ``choice.name`` built with ``choice.params``."""
    return _build(kind, choice.name, dict(choice.params))


def _load() -> None:
    from simulator.policies import (  # noqa: F401
        eligibility_none,
        eligibility_verify,
        follow_up_after_days,
        follow_up_never,
        order_deadline,
        order_largest,
        order_oldest,
        scrub_edits,
        scrub_none,
        small_balance_never,
        small_balance_threshold,
        staffing_fixed,
        staffing_short,
        statements_cycle,
        triage_expected_value,
        triage_write_off,
    )
