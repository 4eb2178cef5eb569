"""The file mailbox: inbound files answered in outbound atomically, moved aside, never taken twice."""

from __future__ import annotations

import os

from simulator.server import FakePayerService, load_config
from simulator.server.mailbox import FileMailbox

from .conftest import claims_for, make_837


def test_inbound_837_is_answered_and_reports_follow(tmp_path) -> None:
    service = FakePayerService(load_config(), str(tmp_path / "db"))
    mailbox = FileMailbox(service, tmp_path / "box")
    text = make_837(claims_for("FM", 3), 77)
    (mailbox.inbound / ".batch1.x12.part").write_text(text)
    assert mailbox.poll() == 0
    os.replace(mailbox.inbound / ".batch1.x12.part", mailbox.inbound / "batch1.x12")
    assert mailbox.poll() == 1
    assert not list(mailbox.inbound.iterdir())
    assert (mailbox.processed / "batch1.x12").read_text() == text
    answer = (mailbox.outbound / "batch1.x12.ack").read_text()
    assert "ST*999*" in answer and "AK9*A" in answer
    assert any(p.name.endswith(".277CA.x12") for p in mailbox.outbound.iterdir())
    assert not [p for p in mailbox.outbound.iterdir() if p.name.startswith(".")]
    service.advance(60)
    mailbox.poll()
    remits = [p for p in mailbox.outbound.iterdir() if p.name.endswith(".835.x12")]
    assert len(remits) == 1 and remits[0].name.startswith("demo.")
    (mailbox.inbound / "batch1-again.x12").write_text(text)
    mailbox.poll()
    assert (mailbox.outbound / "batch1-again.x12.ack").read_text() == answer
    assert len(service.find_claims(load_config().partner("demo"))) == 3
    service.close()


def test_unknown_sender_is_set_aside_with_a_note(tmp_path) -> None:
    service = FakePayerService(load_config(), str(tmp_path / "db"))
    mailbox = FileMailbox(service, tmp_path / "box")
    (mailbox.inbound / "stranger.x12").write_text(make_837(claims_for("S", 1), 5, sender="STRANGER"))
    (mailbox.inbound / "junk.txt").write_text("not x12")
    assert mailbox.poll() == 2
    assert (mailbox.failed / "stranger.x12").exists()
    assert "STRANGER" in (mailbox.failed / "stranger.x12.error.txt").read_text()
    assert "no readable ISA" in (mailbox.failed / "junk.txt.error.txt").read_text()
    assert not list(mailbox.outbound.iterdir())
    service.close()
