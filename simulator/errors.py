"""Errors that reach a user: each says what is wrong and where, without a traceback."""

from __future__ import annotations

from pydantic import ValidationError

__all__ = ["UserError", "describe_validation_error", "without_echoes"]


class UserError(Exception):
    """A mistake in the user's input (a file, an option, a request) with a message that names it."""


def describe_validation_error(error: ValidationError, source: str) -> str:
    """A readable, line-per-problem account of a pydantic error, naming ``source`` and each field."""
    items = without_echoes(error.errors())
    lines = [f"{source}: {len(items)} problem(s)"]
    for item in items:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        elif item["type"] == "missing":
            message = "required field is missing"
        lines.append(f"  {where}: {message}")
    return "\n".join(lines)


def without_echoes(items: list) -> list:
    """The errors less a list's "too short" that only echoes a bad item inside it.

    pydantic counts a list's length after dropping its invalid items, so one bad provider also
    reports "providers: should have at least 1 item, not 0"; the item's own error says it all.
    """
    locations = [tuple(item["loc"]) for item in items]

    def echoes(item) -> bool:
        where = tuple(item["loc"])
        inside = (loc for loc in locations if len(loc) > len(where) and loc[: len(where)] == where)
        return item["type"] == "too_short" and any(inside)

    return [item for item in items if not echoes(item)]
