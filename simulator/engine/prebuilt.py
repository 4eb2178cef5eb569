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
_shapes: dict[tuple, tuple[dict[str, Any], set[str]]] = {}
"""(class, given field names) -> (every field with its default, in field order; the given set)."""


def _shape(cls: type[BaseModel], given: tuple[str, ...], computed: tuple[str, ...]):
    fields = cls.model_fields
    unknown = [name for name in (*given, *computed) if name not in fields]
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {unknown[0]}")
    template = {}
    for name, info in fields.items():
        if info.default_factory is not None:
            raise TypeError(f"{cls.__name__}.{name} has a default factory; prebuilt does not call it")
        if info.default is PydanticUndefined and name not in given and name not in computed:
            raise TypeError(f"{cls.__name__}.{name} is required")
        template[name] = info.default
    shape = _shapes[(cls, given, computed)] = (template, set(given))
    return shape


def prebuilt(cls: type[M], computed: dict[str, Any] | None = None, **given: Any) -> M:
    """A ``cls`` holding ``given`` (already valid) and the defaults of the other fields, unvalidated.

    ``computed`` holds fields a validator of ``cls`` would fill in (not marked as given).
    """
    key = (cls, tuple(given), tuple(computed) if computed else ())
    shape = _shapes.get(key) or _shape(*key)
    values = shape[0].copy()
    values.update(given)
    if computed:
        values.update(computed)
    model = cls.__new__(cls)
    _setattr(model, "__dict__", values)
    _setattr(model, "__pydantic_fields_set__", shape[1])
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model
