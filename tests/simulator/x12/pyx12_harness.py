"""Validate X12 text with pyx12 in-process, with our local override of its 277CA map.

pyx12 (an independent validator) checks our writers' output against the implementation guides
it has maps for: 835 (X221A1), 999 (X231A1), 837P/837I and 277CA (X214). Two of its maps are
overridden by files in ``maps/`` next to this module, each the package map with one change:

- ``277.5010.X214.xml``: loops 2200C and 2000D are Situational, not Required, as in the guide;
- ``835.5010.X221.A1.xml``: the FOOTER wrapper may repeat, so that an 835 with more than one PLB
  segment (more than six provider adjustments) is not refused by pyx12's loop counter.

pyx12 only takes a whole map folder, so the harness builds one per process: links to every
package map, with our overrides in place of the package's files.

Validation runs in this process (about 40 ms for a small 835), and errors come back as
``Pyx12Result.errors``: one readable line per problem, naming the line, segment and message.
"""

from __future__ import annotations

import atexit
import io
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyx12.params
import pyx12.x12n_document

__all__ = ["OVERRIDE_DIR", "Pyx12Result", "map_folder", "validate"]

OVERRIDE_DIR = Path(__file__).resolve().parent / "maps"

_LOGGER = logging.getLogger("pyx12")
_LOGGER.addHandler(logging.NullHandler())
_LOGGER.propagate = False


class _Collect(logging.Handler):
    """Keeps pyx12's logged errors: some (ST03, for one) reach the log but not its JSON report."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass(frozen=True)
class Pyx12Result:
    """What pyx12 said about one interchange: valid or not, and each error as a line of text."""

    ok: bool
    errors: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.ok

    def describe(self) -> str:
        """The errors, one per line, or ``"valid"``."""
        return "\n".join(self.errors) if self.errors else ("valid" if self.ok else "invalid")


@cache
def map_folder() -> str:
    """A folder holding every pyx12 map, with our overrides in place of the package's files."""
    folder = tempfile.mkdtemp(prefix="payersim-pyx12-maps-")
    atexit.register(shutil.rmtree, folder, True)
    package = Path(str(files("pyx12").joinpath("map")))
    overrides = {path.name: path for path in OVERRIDE_DIR.glob("*.xml")}
    for entry in sorted(package.iterdir()):
        if entry.is_file():
            os.symlink(overrides.get(entry.name, entry), os.path.join(folder, entry.name))
    return folder


def _errors(report: dict) -> list[str]:
    found: list[str] = []

    def walk(node: dict, where: str) -> None:
        for error in node.get("errors", []):
            found.append(f"{where}: {error.get('err_str')} (code {error.get('err_cde')})")
        for key in ("groups", "transactions"):
            for child in node.get(key, []):
                walk(child, where)
        for segment in node.get("segments", []):
            label = f"line {segment.get('cur_line')} {segment.get('seg_id')} ({segment.get('name')})"
            for error in segment.get("errors", []):
                found.append(f"{label}: {error.get('err_str')} (code {error.get('err_cde')})")
            for element in segment.get("elements", []):
                for error in element.get("errors", []):
                    ref = element.get("ele_ref_num") or element.get("ele_pos") or ""
                    found.append(
                        f"{label} element {ref}: {error.get('err_str')} (code {error.get('err_cde')})"
                    )

    for interchange in report.get("interchanges", []):
        walk(interchange, f"interchange {interchange.get('isa_trn_set_id')}")
    return found


def validate(text: str, *, use_overrides: bool = True) -> Pyx12Result:
    """Validate one X12 interchange (text) with pyx12; ``use_overrides`` picks our map folder."""
    params = pyx12.params.params()
    report = io.StringIO()
    logged = _Collect()
    _LOGGER.addHandler(logged)
    try:
        ok = pyx12.x12n_document.x12n_document(
            params,
            io.StringIO(text.lstrip("\ufeff")),
            None,
            None,
            None,
            report,
            map_path=map_folder() if use_overrides else None,
        )
    except Exception as error:  # pyx12 raises its own engine errors on unknown maps or bad text
        return Pyx12Result(False, (f"pyx12 could not read the file: {error}",))
    finally:
        _LOGGER.removeHandler(logged)
    try:
        details = json.loads(report.getvalue() or "{}")
    except json.JSONDecodeError:
        details = {}
    found = _errors(details)
    found += [f"log: {m}" for m in logged.messages if not any(m.split(" - ", 1)[-1] in f for f in found)]
    errors = tuple(found)
    return Pyx12Result(bool(ok) and not errors, errors)
