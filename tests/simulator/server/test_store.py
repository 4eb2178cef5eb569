"""The server's SQLite store: a version 2 database from before a column was added still opens."""

from __future__ import annotations

import sqlite3

from simulator.server.store import SCHEMA_VERSION, Store


def test_a_database_without_the_body_hash_column_gets_it_and_keeps_its_rows(tmp_path) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE interchanges (sender TEXT NOT NULL, control TEXT NOT NULL, partner_id TEXT NOT NULL,"
        " received_date TEXT NOT NULL, kind TEXT NOT NULL, response BLOB NOT NULL,"
        " PRIMARY KEY (sender, control));"
        "INSERT INTO interchanges VALUES ('CLINIC', '000000001', 'demo', '2026-11-16', '999', x'41');"
    )
    old.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    old.commit()
    old.close()
    store = Store(path)
    row = store.row("SELECT kind, body_sha256 FROM interchanges WHERE control = '000000001'")
    assert row["kind"] == "999" and row["body_sha256"] is None
    Store(path)  # opening it again adds nothing twice


def test_an_interchange_stored_without_its_body_hash_is_still_answered_as_a_resend(tmp_path) -> None:
    """A row from before the hash was kept (NULL) replays its first answer, whatever the new body holds."""
    from simulator.server import FakePayerService, load_config

    from .conftest import claims_for, make_837

    service = FakePayerService(load_config(), str(tmp_path / "server.db"))
    partner = service.config.partners[0]
    first = service.submit_x12(partner, make_837(claims_for("H", 1), 8001).encode())
    service.store.execute("UPDATE interchanges SET body_sha256 = NULL")
    again = service.submit_x12(partner, make_837(claims_for("J", 2), 8001).encode())
    assert again.replayed and again.kind == "999" and again.content == first.content
    assert len(service.find_claims(partner, None, 100, 0)) == 1
    service.close()
