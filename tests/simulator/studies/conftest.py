"""Fixtures for study tests: the toy replication model, importable by spawned workers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import payersim_study_toy  # noqa: E402


@pytest.fixture
def toy_model():
    """The toy scenario model."""
    return payersim_study_toy.MODEL


@pytest.fixture
def toy_study_dir(tmp_path: Path) -> Path:
    """A folder with a toy scenario file (toy.yaml) in it."""
    (tmp_path / "toy.yaml").write_text("name: toy\nclaims: 50\nbillers:\n  count: 2\n", encoding="utf-8")
    return tmp_path
