"""Errors that reach a user: each says what is wrong and where, without a traceback."""

from __future__ import annotations

from pydantic import ValidationError

__all__ = ["UserError", "describe_validation_error"]


class UserError(Exception):
    """A mistake in the user's input (a file, an option, a request) with a message that names it."""


def describe_validation_error(error: ValidationError, source: str) -> str:
    """A readable, line-per-problem account of a pydantic error, naming ``source`` and each field."""
    lines = [f"{source}: {error.error_count()} problem(s)"]
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        elif item["type"] == "missing":
            message = "required field is missing"
        lines.append(f"  {where}: {message}")
    return "\n".join(lines)
