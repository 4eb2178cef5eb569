"""The fake payer server's durable state: one SQLite database in WAL mode.

Everything the server knows lives here, so that a restart (even after SIGKILL) loses nothing
it has acknowledged and repeats nothing it has done: trading partners, received interchanges
(keyed by sender and ISA13, with the answer given, so a re-sent file is recognised), claims,
adjudication entries and when they are paid, appeals, scheduled events, each payer's ledger
(accumulators, claim history: a snapshot plus the operations logged since), mailbox files,
the simulated clock and control numbers.

One connection, used under one lock: every change happens inside :meth:`Store.transaction`,
which commits as a whole or not at all. WAL with ``synchronous=NORMAL``: a commit is in the
write-ahead log before the call returns, so it survives the server being killed (SIGKILL); only
a crash of the machine itself may lose the last commits (the log is synced at checkpoints).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simulator.errors import UserError

__all__ = ["SCHEMA_VERSION", "Store"]

SCHEMA_VERSION = "2"
"""Version 2 keeps claim bodies in their own table, so that claim rows stay small."""

_CACHE_KIB = 65536
"""Page cache per connection: a whole catch-up's pages stay in memory until its commit."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS partners (
    partner_id TEXT PRIMARY KEY, submitter_id TEXT NOT NULL, payers TEXT NOT NULL, usage TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS control_numbers (
    partner_id TEXT NOT NULL, kind TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (partner_id, kind));
CREATE TABLE IF NOT EXISTS interchanges (
    sender TEXT NOT NULL, control TEXT NOT NULL, partner_id TEXT NOT NULL, received_date TEXT NOT NULL,
    kind TEXT NOT NULL, response BLOB NOT NULL, body_sha256 TEXT, PRIMARY KEY (sender, control));
CREATE TABLE IF NOT EXISTS claims (
    claim_key INTEGER PRIMARY KEY, partner_id TEXT NOT NULL, claim_id TEXT NOT NULL, payer TEXT NOT NULL,
    member_id TEXT NOT NULL, received_date TEXT NOT NULL, state TEXT NOT NULL, trigger TEXT,
    source TEXT NOT NULL, payer_claim_number TEXT, detail TEXT);
CREATE INDEX IF NOT EXISTS claims_by_partner ON claims (partner_id, claim_id);
CREATE INDEX IF NOT EXISTS claims_by_number ON claims (payer_claim_number);
CREATE TABLE IF NOT EXISTS claim_bodies (claim_key INTEGER PRIMARY KEY, claim_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS adjudications (
    entry_id INTEGER PRIMARY KEY, claim_key INTEGER NOT NULL, partner_id TEXT NOT NULL,
    payer TEXT NOT NULL, payer_claim_number TEXT NOT NULL, status TEXT NOT NULL, decided_date TEXT NOT NULL,
    payment_date TEXT, remit_file TEXT, origin TEXT NOT NULL, entry_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS adjudications_by_claim ON adjudications (claim_key);
CREATE INDEX IF NOT EXISTS adjudications_unpaid ON adjudications (remit_file, payment_date);
CREATE TABLE IF NOT EXISTS appeals (
    appeal_key INTEGER PRIMARY KEY, partner_id TEXT NOT NULL, appeal_id TEXT NOT NULL,
    claim_key INTEGER NOT NULL, filed_date TEXT NOT NULL, state TEXT NOT NULL, appeal_json TEXT NOT NULL,
    decision_json TEXT, UNIQUE (partner_id, appeal_id));
CREATE TABLE IF NOT EXISTS events (
    event_id INTEGER PRIMARY KEY, due TEXT NOT NULL, kind TEXT NOT NULL, ref INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS events_pending ON events (done, due);
CREATE TABLE IF NOT EXISTS ledgers (payer TEXT PRIMARY KEY, state BLOB NOT NULL, op_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ledger_ops (op_id INTEGER PRIMARY KEY, payer TEXT NOT NULL, op TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mailbox (
    file_id INTEGER PRIMARY KEY, partner_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    sim_date TEXT NOT NULL, content BLOB NOT NULL, acknowledged INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS mailbox_by_partner ON mailbox (partner_id, acknowledged);
"""


class Store:
    """The server's SQLite database: open (creating it when new), query, change in transactions."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
        self._depth = 0
        self._reserved: dict[tuple[str, str], tuple[int, int]] = {}
        self._check_version()
        with self.transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
            self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """Columns added to version 2 after it shipped, added to a database that lacks them (empty)."""
        columns = {row["name"] for row in self._db.execute("PRAGMA table_info(interchanges)")}
        if "body_sha256" not in columns:
            self._db.execute("ALTER TABLE interchanges ADD COLUMN body_sha256 TEXT")

    def _check_version(self) -> None:
        """Refuse a database written with another schema version (its tables would not fit)."""
        has_meta = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
        if has_meta.fetchone() is None:
            return
        found = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is not None and found["value"] != SCHEMA_VERSION:
            self._db.close()
            raise UserError(
                f"the database {self.path} has schema version {found['value']}, this payersim uses"
                f" {SCHEMA_VERSION}: start the server with a new --db"
            )

    @property
    def lock(self) -> threading.RLock:
        """The lock every read and change of the database takes."""
        return self._lock

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and run the block in one transaction (nested blocks join the outer one)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._db
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                self._reserved.clear()
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    def execute(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Cursor:
        """Run one statement under the lock (inside a transaction when called within one)."""
        with self._lock:
            return self._db.execute(sql, params)

    def executemany(self, sql: str, params: list[tuple[Any, ...]]) -> None:
        """Run one statement for each parameter tuple under the lock."""
        with self._lock:
            self._db.executemany(sql, params)

    def rows(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Every row a query returns."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def row(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Row | None:
        """The first row a query returns, or None."""
        with self._lock:
            return self._db.execute(sql, params).fetchone()

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A value from the meta table."""
        found = self.row("SELECT value FROM meta WHERE key = ?", (key,))
        return found["value"] if found else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a value in the meta table (call inside a transaction)."""
        self.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def next_control_number(
        self, partner_id: str, kind: str, count: int = 1, modulus: int = 999_999_999, block: int = 50
    ) -> int:
        """Take ``count`` consecutive control numbers of ``kind`` for ``partner_id``; return the first.

        Numbers are reserved in the database ``block`` at a time, so most calls write nothing; a
        restart skips the rest of a reserved block (numbers are never reused). They start at 1 and
        wrap to 1 after ``modulus``.
        """
        with self._lock:
            key = (partner_id, kind)
            start, end = self._reserved.get(key, (0, -1))
            if start + count - 1 > end:
                start = self._reserve(partner_id, kind, max(count, block), modulus)
                end = start + max(count, block) - 1
            self._reserved[key] = (start + count, end)
            return start

    def _reserve(self, partner_id: str, kind: str, count: int, modulus: int) -> int:
        with self.transaction():
            found = self.row(
                "SELECT value FROM control_numbers WHERE partner_id = ? AND kind = ?", (partner_id, kind)
            )
            first = 1 if found is None or found["value"] + count > modulus else found["value"] + 1
            self.execute(
                "INSERT OR REPLACE INTO control_numbers (partner_id, kind, value) VALUES (?, ?, ?)",
                (partner_id, kind, first + count - 1),
            )
            return first

    def close(self) -> None:
        """Checkpoint and close the database."""
        with self._lock:
            self._db.close()
