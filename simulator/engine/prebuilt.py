"""Frozen vocabulary models built from values the engine already knows to be valid.

The engine makes its patients, coverages and claims from generated values of the right types
and shapes, so pydantic validation of them only costs time in the hot loop. :func:`prebuilt`
makes the model the way validation would (the same field values in field order, defaults for
the rest, the same set of fields marked as given) without checking anything; the engine's
tests compare what it builds with validation of the same data.

Models of one class built from the same given fields share one ``__pydantic_fields_set__``
set: frozen models never change it in place (``model_copy`` copies it first), and a panel of
people keeps a great many of them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

__all__ = ["prebuilt"]

M = TypeVar("M", bound=BaseModel)

_setattr = object.__setattr__
_defaults: dict[type, tuple[tuple[str, Any], ...]] = {}
_given_sets: dict[tuple[type, frozenset[str]], set[str]] = {}


def _fields(cls: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    found = _defaults.get(cls)
    if found is None:
        for name, info in cls.model_fields.items():
            if info.default_factory is not None:
                raise TypeError(f"{cls.__name__}.{name} has a default factory; prebuilt does not call it")
        found = _defaults[cls] = tuple((name, info.default) for name, info in cls.model_fields.items())
    return found


def prebuilt(cls: type[M], computed: dict[str, Any] | None = None, **given: Any) -> M:
    """A ``cls`` holding ``given`` (already valid) and the defaults of the other fields, unvalidated.

    ``computed`` holds fields a validator of ``cls`` would fill in (not marked as given).
    """
    values = {}
    for name, default in _fields(cls):
        if name in given:
            values[name] = given[name]
        elif computed and name in computed:
            values[name] = computed[name]
        elif default is PydanticUndefined:
            raise TypeError(f"{cls.__name__}.{name} is required")
        else:
            values[name] = default
    key = (cls, frozenset(given))
    fields_set = _given_sets.get(key)
    if fields_set is None:
        unknown = sorted(set(given) - set(values))
        if unknown:
            raise TypeError(f"{cls.__name__} has no field {unknown[0]}")
        fields_set = _given_sets[key] = set(given)
    model = cls.__new__(cls)
    _setattr(model, "__dict__", values)
    _setattr(model, "__pydantic_fields_set__", fields_set)
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model
