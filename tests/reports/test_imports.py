"""The import rule: reports reads the event-log schema and nothing else of payersim."""

from __future__ import annotations

import ast
from pathlib import Path

import reports

ALLOWED = {"simulator.eventlog"}


def test_reports_imports_only_the_event_log():
    """No module of reports imports simulator (but its event log) or payers."""
    for path in sorted(Path(reports.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in ("simulator", "payers"):
                    assert name in ALLOWED, f"{path.name} imports {name}"
