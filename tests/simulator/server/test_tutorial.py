"""docs/tutorial-fake-payer.md stays true: every ``$ curl`` command it shows is run against a new
server, in order, and must print exactly what the tutorial pastes under it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, free_port, start_server

TUTORIAL = REPO / "docs" / "tutorial-fake-payer.md"

pytestmark = pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("bash") is None,
    reason="the tutorial's commands need curl and bash",
)


def _commands(text: str) -> list[tuple[str, str]]:
    """(command, output the tutorial shows) for each ``$ curl`` line of its console blocks."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, shown = part.partition("\n")
            if command.startswith("curl "):
                found.append((command, shown.strip()))
    return found


def _claim_file(text: str, folder: Path) -> None:
    """The 837 the tutorial asks to save as claim.x12."""
    start = text.index("ISA*00*")
    end = text.index("\n", text.index("IEA*", start))
    (folder / "claim.x12").write_text(text[start:end].strip() + "\n", encoding="utf-8")


def test_every_curl_command_prints_what_the_tutorial_shows(tmp_path) -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    commands = _commands(text)
    assert len(commands) >= 10
    _claim_file(text, tmp_path)
    port = free_port()
    server = start_server(tmp_path / "payer.db", port)
    env = dict(
        os.environ,
        KEY="Authorization: Bearer demo-key-0001",
        JSON="Content-Type: application/json",
        NO_PROXY="127.0.0.1",
        no_proxy="127.0.0.1",
    )
    try:
        for command, shown in commands:
            run = command.replace("127.0.0.1:8080", f"127.0.0.1:{port}")
            printed = subprocess.run(
                ["bash", "-c", run], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
            ).stdout
            assert printed.strip() == shown, f"$ {command}"
    finally:
        server.terminate()
        server.wait(timeout=30)
