"""Reading the files a user hands to payersim (scenarios, studies, server configurations, claims).

Text must be UTF-8: :func:`read_text` reads a file and words every failure as a user error naming
the file (:func:`not_utf8` words the one for text that is not UTF-8, with the first bad byte).
:func:`load_yaml` is ``yaml.safe_load`` except that a value YAML reads as a date but no calendar
has (``2026-02-30``) is a ``yaml.YAMLError`` with its line, like any other YAML mistake, instead
of a bare ``ValueError`` from :mod:`datetime`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from simulator.errors import UserError

__all__ = ["load_yaml", "not_utf8", "read_text"]


class _Loader(yaml.SafeLoader):
    """The safe loader, with impossible dates reported as YAML errors at their line."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        """A date or datetime; a YAML error naming the value when the calendar has no such day."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as error:
            raise ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({error})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_yaml(text: str) -> Any:
    """The YAML document in ``text``; every problem with it is a ``yaml.YAMLError``."""
    try:
        return yaml.load(text, Loader=_Loader)
    except RecursionError:
        raise yaml.YAMLError("the document is nested too deeply") from None


def not_utf8(path: str | Path, error: UnicodeDecodeError) -> str:
    """The message for a file that is not UTF-8 text: its name, the bad byte and where it is."""
    byte = error.object[error.start : error.start + 1].hex()
    return f"{path}: not UTF-8 text (byte 0x{byte} at offset {error.start}); save the file as UTF-8"


def read_text(path: Path, what: str) -> str:
    """The text of the user's file ``path`` (``what`` it is, for messages); a UserError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(f"{path}: cannot read the {what}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise UserError(not_utf8(path, error)) from None
