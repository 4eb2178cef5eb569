"""The file mailbox: interchanges dropped in ``DIR/inbound``, answers and reports in ``DIR/outbound``.

A partner (known by the ISA06 sender id of the file) drops an interchange in ``inbound``
(write it under a name starting with ``.`` or ending in ``.tmp`` or ``.part``, then rename it,
so a half-written file is never read). The server answers it in ``outbound`` under the same
name plus ``.ack`` (TA1/999, 271 or 277) and moves the original to ``processed`` (or ``failed``
with a ``.error.txt`` note when no partner sends as that id, or when the server refuses the file,
such as a 270 without a member id). Every 277CA and 835 for a partner
that has used the folder is also written to ``outbound`` as ``<partner>.<file name>``.

Every file is written under a temporary name and renamed into place, so a reader never sees
half a file. A file already answered is never processed twice: a restart after a crash between
answering and moving the original finds the interchange in the database and returns the same
answer.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from simulator.server import x12bridge
from simulator.server.service import BadInput, FakePayerService

__all__ = ["FileMailbox", "write_atomically"]

log = logging.getLogger(__name__)

_SKIP_SUFFIXES = (".tmp", ".part")


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary name and ``os.replace``."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class FileMailbox:
    """Polls ``root/inbound`` and writes to ``root/outbound``; call :meth:`poll` repeatedly."""

    def __init__(self, service: FakePayerService, root: str | Path) -> None:
        self.service = service
        self.root = Path(root)
        self.inbound = self.root / "inbound"
        self.outbound = self.root / "outbound"
        self.processed = self.root / "processed"
        self.failed = self.root / "failed"
        for folder in (self.inbound, self.outbound, self.processed, self.failed):
            folder.mkdir(parents=True, exist_ok=True)

    def poll(self) -> int:
        """Process every complete inbound file and export new mailbox files; return files handled."""
        handled = 0
        for path in sorted(self.inbound.iterdir()):
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith(_SKIP_SUFFIXES):
                self._take(path)
                handled += 1
        self._export()
        return handled

    def _take(self, path: Path) -> None:
        raw = path.read_bytes()
        header = x12bridge.peek_isa(raw)
        partner = next(
            (p for p in self.service.config.partners if header and p.submitter_id == header.sender), None
        )
        if partner is None:
            if header is None:
                note = f"{path.name}: not an X12 interchange (no readable ISA segment); file not processed\n"
            else:
                note = f"{path.name}: no trading partner sends as {header.sender!r}; file not processed\n"
            write_atomically(self.failed / f"{path.name}.error.txt", note.encode())
            os.replace(path, self.failed / path.name)
            return
        try:
            answer = self.service.submit_x12(partner, raw)
        except BadInput as error:
            note = f"{path.name}: {error}; file not processed\n"
            write_atomically(self.failed / f"{path.name}.error.txt", note.encode())
            os.replace(path, self.failed / path.name)
            return
        with self.service.store.transaction():
            self.service.store.set_meta(f"file_mailbox:{partner.partner_id}", "1")
        write_atomically(self.outbound / f"{path.name}.ack", answer.content.encode("utf-8"))
        os.replace(path, self.processed / path.name)

    def _export(self) -> None:
        store = self.service.store
        users = [
            p.partner_id
            for p in self.service.config.partners
            if store.get_meta(f"file_mailbox:{p.partner_id}") is not None
        ]
        for partner_id in users:
            key = f"file_mailbox_exported:{partner_id}"
            last = int(store.get_meta(key, "0") or 0)
            rows = store.rows(
                "SELECT file_id, name, content FROM mailbox WHERE partner_id = ? AND file_id > ?"
                " ORDER BY file_id",
                (partner_id, last),
            )
            for row in rows:
                write_atomically(self.outbound / f"{partner_id}.{row['name']}", bytes(row["content"]))
                with store.transaction():
                    store.set_meta(key, str(row["file_id"]))
