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
    junk_note = (mailbox.failed / "junk.txt.error.txt").read_text()
    assert "not an X12 interchange (no readable ISA segment)" in junk_note
    assert "trading partner" not in junk_note
    assert not list(mailbox.outbound.iterdir())
    service.close()


def test_a_file_the_server_refuses_is_set_aside_and_the_next_one_still_answered(tmp_path) -> None:
    """A 270 without a member id goes to failed/ with the reason; the 837 after it is answered."""
    from .conftest import samples_folder, with_envelope

    service = FakePayerService(load_config(), str(tmp_path / "db"))
    mailbox = FileMailbox(service, tmp_path / "box")
    text = (samples_folder() / "270-request-by-clinic-subscriber.edi").read_text(encoding="utf-8")
    text = with_envelope(text, sender="DEMOCLINIC", receiver="PAYERSIM", usage="T", control=555)
    separator, terminator = text[3], text[105]
    no_member = terminator.join(s for s in text.split(terminator) if not s.startswith(f"NM1{separator}IL"))
    (mailbox.inbound / "a-270.x12").write_text(no_member)
    (mailbox.inbound / "b-837.x12").write_text(make_837(claims_for("NX", 1), 78))
    assert mailbox.poll() == 2
    assert (mailbox.failed / "a-270.x12").exists() and not list(mailbox.inbound.iterdir())
    assert "a-270.x12: 270: " in (mailbox.failed / "a-270.x12.error.txt").read_text()
    assert "no member id" in (mailbox.failed / "a-270.x12.error.txt").read_text()
    assert "AK9*A" in (mailbox.outbound / "b-837.x12.ack").read_text()
    service.close()
