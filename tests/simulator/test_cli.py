"""The ``payersim`` entry point: exit statuses for the ways a command can end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_output_cut_short_by_its_reader_ends_quietly() -> None:
    """``payersim adjudicate ... | head`` with the reader gone: no traceback, status 141."""
    command = [
        sys.executable, "-m", "simulator.cli", "adjudicate",
        str(REPO / "examples" / "claim-office-visit.json"), "--payer", "commercial_ppo", "--json",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 141, stderr
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
