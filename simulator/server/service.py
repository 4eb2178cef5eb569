"""The fake payer itself: claims in, decisions and remittances out, over simulated time.

:class:`FakePayerService` holds the store, the clock and one running payer per configured
profile. It is what the HTTP API and the file mailbox call; it knows nothing of HTTP.

What happens to a claim:

1. It arrives (an 837 through :meth:`submit_x12`, or JSON through :meth:`submit_claims`). The
   accepted claims, their 277CA and the record of the interchange are committed in one
   transaction before the 999 goes back. The payer's adjudication lag picks the decision date.
2. When the clock reaches the decision date the payer adjudicates the claim (or a test trigger
   on the member id decides it, see :mod:`simulator.server.triggers`); the decision and the
   payer's ledger are committed together. Its payment date is the payer's next payment run.
3. When the clock reaches the payment date, every decision due is paid in one 835 per partner
   and payer, and marked as remitted in the same transaction. A payer with prompt-pay terms adds
   the interest it owes on a clean claim paid late (``Payer.interest_due``, PLB L6), and takes
   it back when a decision paid with interest is reversed.

Pends wait for documentation (or their due date), appeals for the level's decision lag. Each
date's work runs in one transaction, so a crash leaves a date either done or not started.
Each payer's ledger is saved as a snapshot (versioned JSON, ``PayerLedger.to_state``) plus the
operations made since, replayed at start-up; a snapshot this version cannot read stops the start
with a :class:`~simulator.errors.UserError` naming the payer.

The payers are the simulation's payer desks (:class:`~simulator.engine.payerdesk.PayerDesk`):
a profile with overrides and dated changes. Like a simulation run, a batch or a catch-up runs
with the cyclic garbage collector off (it finds nothing there and cost a fifth of the time).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from simulator.engine.collector import collector_off
from simulator.engine.payerdesk import PayerDesk
from simulator.errors import UserError
from simulator.models import (
    Appeal,
    AppealDecision,
    AppealOutcome,
    Claim,
    ClaimAdjudication,
    ClaimStatus,
    DocumentationResponse,
)
from simulator.money import format_dollars
from simulator.server import x12bridge
from simulator.server.clock import SimClock
from simulator.server.config import PartnerConfig, PayerConfig, ServerConfig
from simulator.server.store import Store
from simulator.server.triggers import (
    find_trigger,
    triggered_decision,
    triggered_documentation,
    triggered_overturn,
)
from simulator.streams import KeyedRandom

__all__ = ["BadInput", "FakePayerService", "NotFound", "PayerRuntime", "Refused", "X12Answer"]

log = logging.getLogger(__name__)

_CACHE_LIMIT = 20_000
SNAPSHOT_EVERY = 20_000
"""Ledger operations logged between two snapshots of a payer's ledger."""


class NotFound(LookupError):
    """Something the partner asked for does not exist or is not theirs."""


class BadInput(ValueError):
    """A request body the server cannot read at all; the message names the problem."""


class Refused(ValueError):
    """A request the server understands but will not carry out; the message says why."""


@dataclass
class PayerRuntime:
    """One configured payer: the simulation's payer desk (profile, dated variants) and its ledger."""

    config: PayerConfig
    desk: Any
    ledger: Any
    x12_ids: tuple[str, ...] = ()
    snapshot_op: int = 0
    last_op: int = 0
    unsaved: int = 0

    @property
    def name(self) -> str:
        """The payer's name as claims use it (coverage.payer_id)."""
        return self.config.name

    @property
    def profile(self) -> Any:
        """The payer's profile with the configured overrides (before any dated change)."""
        return self.desk.profile

    def at(self, received: date) -> Any:
        """The adjudicator for claims received on ``received`` (dated changes applied)."""
        return self.desk.at(received)


@dataclass(frozen=True)
class X12Answer:
    """What ``POST /x12`` returns: the acknowledgement or response, and what kind it is."""

    content: str
    kind: str
    replayed: bool = False
    claims: tuple[int, ...] = ()
    problem: str | None = None


@dataclass
class _Day:
    """Work done on one simulated date, counted for the clock's answer."""

    decided: int = 0
    remitted: int = 0
    appeals: int = 0
    files: list[int] = field(default_factory=list)


def _ledger_from_snapshot(payer: str, blob: bytes) -> Any:
    """A payer's ledger from its saved snapshot (versioned JSON, see ``PayerLedger.to_state``)."""
    from payers import LedgerStateError, PayerLedger

    try:
        return PayerLedger.from_state(json.loads(bytes(blob).decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, LedgerStateError) as error:
        raise UserError(
            f"the database's ledger snapshot of payer {payer} cannot be read ({error}); it was written by "
            "another version of payersim: start the server with a new --db"
        ) from None


def _json(model: Any) -> str:
    return model.model_dump_json()


class FakePayerService:
    """The server's state and behaviour, independent of HTTP."""

    def __init__(self, config: ServerConfig, db_path: str) -> None:
        self.config = config
        self.store = Store(db_path)
        self.clock = SimClock(self.store, config.clock)
        self.lock = threading.RLock()
        self.payers: dict[str, PayerRuntime] = {}
        self._claims: dict[int, Claim] = {}
        self._rows: dict[int, Any] = {}
        self._bodies: dict[int, str] = {}
        self._entries: dict[int, ClaimAdjudication] = {}
        self._by_x12_id: dict[str, str] = {}
        self._entry_rows: list[tuple[Any, ...]] = []
        self._state_rows: list[tuple[Any, ...]] = []
        self._op_rows: list[tuple[Any, ...]] = []
        self._next_entry: int | None = None
        self._next_op: int | None = None
        self._load_payers()
        self._sync_partners()

    # ----------------------------------------------------------------- set-up

    def _load_payers(self) -> None:
        from payers import PayerLedger

        for payer_config in self.config.payers:
            desk = PayerDesk(payer_config)
            ids = (desk.profile.x12_payer_id, *payer_config.x12_payer_ids, payer_config.name)
            runtime = PayerRuntime(payer_config, desk, PayerLedger(), ids)
            self.payers[payer_config.name] = runtime
            for x12_id in ids:
                self._by_x12_id.setdefault(x12_id.upper(), payer_config.name)
        self._reload_ledgers()

    def _reload_ledgers(self) -> None:
        """Each payer's ledger: its last snapshot, then every operation logged after it, replayed."""
        from payers import PayerLedger

        for runtime in self.payers.values():
            saved = self.store.row("SELECT state, op_id FROM ledgers WHERE payer = ?", (runtime.name,))
            runtime.ledger = _ledger_from_snapshot(runtime.name, saved["state"]) if saved else PayerLedger()
            runtime.snapshot_op = saved["op_id"] if saved else 0
            ops = self.store.rows(
                "SELECT op_id, op FROM ledger_ops WHERE payer = ? AND op_id > ? ORDER BY op_id",
                (runtime.name, runtime.snapshot_op),
            )
            for row in ops:
                try:
                    self._apply(runtime, json.loads(row["op"]))
                except Exception:
                    log.warning(
                        "replaying ledger operation %s of %s failed, as it did at first",
                        row["op_id"],
                        runtime.name,
                    )
            runtime.unsaved = len(ops)
            runtime.last_op = ops[-1]["op_id"] if ops else runtime.snapshot_op

    def _save_ledgers(self, force: bool = False) -> None:
        """Snapshot ledgers with many operations since their last snapshot (call inside a transaction)."""
        self._flush()
        for runtime in self.payers.values():
            if runtime.unsaved and (force or runtime.unsaved >= SNAPSHOT_EVERY):
                self.store.execute(
                    "INSERT OR REPLACE INTO ledgers (payer, state, op_id) VALUES (?, ?, ?)",
                    (
                        runtime.name,
                        json.dumps(runtime.ledger.to_state(), separators=(",", ":")).encode("utf-8"),
                        runtime.last_op,
                    ),
                )
                self.store.execute(
                    "DELETE FROM ledger_ops WHERE payer = ? AND op_id <= ?", (runtime.name, runtime.last_op)
                )
                runtime.unsaved = 0

    def _run_op(self, runtime: PayerRuntime, op: dict[str, Any]) -> Any:
        """Log a ledger operation (inside the caller's transaction), then carry it out."""
        op_id = self._new_op_id()
        self._op_rows.append((op_id, runtime.name, json.dumps(op)))
        runtime.last_op = op_id
        runtime.unsaved += 1
        return self._apply(runtime, op)

    def _apply(self, runtime: PayerRuntime, op: dict[str, Any]) -> Any:
        """Carry out one ledger operation: the same call, live or replayed, gives the same result."""
        kind = op["kind"]
        if kind == "adjudicate":
            claim = self._claims.get(op["claim_key"]) or self._claim(self._claim_row(op["claim_key"]))
            rng = self._rng(runtime.name, op["claim_key"], "decide")
            received, decided = date.fromisoformat(op["received"]), date.fromisoformat(op["decided"])
            return runtime.at(received).adjudicate(claim, received, runtime.ledger, rng, decided=decided)
        if kind == "documentation":
            response = DocumentationResponse.model_validate(op["response"])
            rng = self._rng(runtime.name, op["claim_key"], "documentation", op["decided"])
            decided = date.fromisoformat(op["decided"])
            received = date.fromisoformat(self._claim_row(op["claim_key"])["received_date"])
            return runtime.at(received).receive_documentation(response, runtime.ledger, rng, decided=decided)
        if kind == "expire":
            on = date.fromisoformat(op["on"])
            return runtime.at(on).expire_documentation(on, runtime.ledger)
        if kind == "appeal":
            found = self.store.row(
                "SELECT a.appeal_json, c.received_date FROM appeals a JOIN claims c"
                " ON c.claim_key = a.claim_key WHERE a.appeal_key = ?",
                (op["appeal_key"],),
            )
            appeal = Appeal.model_validate_json(found["appeal_json"])
            rng = self._rng(runtime.name, "appeal", op["appeal_key"])
            received = date.fromisoformat(found["received_date"])
            return runtime.at(received).decide_appeal(appeal, ledger=runtime.ledger, rng=rng)
        raise ValueError(f"unknown ledger operation {kind!r}")

    def _sync_partners(self) -> None:
        with self.store.transaction():
            for partner in self.config.partners:
                self.store.execute(
                    "INSERT OR REPLACE INTO partners (partner_id, submitter_id, payers, usage)"
                    " VALUES (?, ?, ?, ?)",
                    (partner.partner_id, partner.submitter_id, json.dumps(partner.payers), partner.usage),
                )

    def close(self) -> None:
        """Snapshot the ledgers and close the database."""
        with self.lock:
            with self.store.transaction():
                self._save_ledgers(force=True)
            self.store.close()

    # ------------------------------------------------------------- internals

    @contextmanager
    def _tx(self) -> Iterator[None]:
        """A store transaction; on failure the in-memory caches are dropped with it."""
        try:
            with self.store.transaction():
                yield
                self._flush()
        except BaseException:
            self._claims.clear()
            self._entries.clear()
            self._rows.clear()
            self._bodies.clear()
            self._entry_rows.clear()
            self._state_rows.clear()
            self._op_rows.clear()
            self._reload_ledgers()
            raise
        finally:
            self._next_entry = None
            self._next_op = None

    def _flush(self) -> None:
        """Write the ledger operations, decisions and claim states recorded since the last flush."""
        if self._op_rows:
            sql = "INSERT INTO ledger_ops (op_id, payer, op) VALUES (?, ?, ?)"
            self.store.executemany(sql, self._op_rows)
            self._op_rows.clear()
        if self._entry_rows:
            self.store.executemany(
                "INSERT INTO adjudications (entry_id, claim_key, partner_id, payer, payer_claim_number,"
                " status, decided_date, payment_date, remit_file, origin, entry_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._entry_rows,
            )
            self._entry_rows.clear()
        if self._state_rows:
            self.store.executemany(
                "UPDATE claims SET state = ?, payer_claim_number = ? WHERE claim_key = ?", self._state_rows
            )
            self._state_rows.clear()

    def _new_op_id(self) -> int:
        """The next ledger operation id: above every logged operation and every snapshot's last one.

        Snapshots delete the operations they cover, so the table alone could hand out an id a
        snapshot already counts as applied; the snapshots' ids keep the sequence rising.
        """
        if self._next_op is None:
            top = self.store.row(
                "SELECT MAX(COALESCE((SELECT MAX(op_id) FROM ledger_ops), 0),"
                " COALESCE((SELECT MAX(op_id) FROM ledgers), 0)) AS top"
            )
            self._next_op = int(top["top"]) + 1
        op_id, self._next_op = self._next_op, self._next_op + 1
        return op_id

    def _new_entry_id(self) -> int:
        """The next adjudication entry id (valid inside the current transaction)."""
        if self._next_entry is None:
            top = self.store.row("SELECT COALESCE(MAX(entry_id), 0) AS top FROM adjudications")
            self._next_entry = int(top["top"]) + 1
        entry_id, self._next_entry = self._next_entry, self._next_entry + 1
        return entry_id

    def _claim(self, row: Any) -> Claim:
        """The claim a claims row holds (from memory when recently seen)."""
        key = row["claim_key"]
        found = self._claims.get(key)
        if found is None:
            body = self._bodies.pop(key, None)
            if body is None:
                body = self.store.row("SELECT claim_json FROM claim_bodies WHERE claim_key = ?", (key,))[0]
            found = Claim.model_validate_json(body)
            if len(self._claims) < _CACHE_LIMIT:
                self._claims[key] = found
        return found

    def payer_for(self, payer_id: str) -> PayerRuntime | None:
        """The payer a claim's payer id (our name, the profile's X12 id or an alias) reaches."""
        name = self._by_x12_id.get(payer_id.upper())
        return self.payers.get(name) if name else None

    def _rng(self, *parts: object) -> random.Random:
        """The generator for one claim and purpose, keyed by the server's seed and ``parts``."""
        return KeyedRandom(":".join(str(p) for p in (self.config.seed, *parts)))

    def _schedule(self, due: date, kind: str, ref: int) -> None:
        self.store.execute(
            "INSERT INTO events (due, kind, ref) VALUES (?, ?, ?)", (due.isoformat(), kind, ref)
        )

    def add_file(self, partner_id: str, kind: str, content: str, on: date) -> int:
        """Put a file in a partner's mailbox (inside the caller's transaction); return its id."""
        top = self.store.row("SELECT COALESCE(MAX(file_id), 0) AS top FROM mailbox")
        file_id = int(top["top"]) + 1
        self.store.execute(
            "INSERT INTO mailbox (file_id, partner_id, kind, name, sim_date, content)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (file_id, partner_id, kind, f"{file_id:08d}.{kind}.x12", on.isoformat(), content.encode("utf-8")),
        )
        return file_id

    # ------------------------------------------------------------ receiving

    def route_problem(self, partner: PartnerConfig, claim: Claim) -> str | None:
        """Why ``claim`` cannot go to its payer from ``partner``, or None when it can."""
        runtime = self.payer_for(claim.coverage.payer_id)
        if runtime is None:
            return f"payer {claim.coverage.payer_id!r} is not a payer this server runs"
        if runtime.name not in partner.payers:
            return f"partner {partner.partner_id} may not send claims to payer {runtime.name}"
        return None

    def _accept_all(
        self, partner: PartnerConfig, claims: Iterable[Claim], received: date, source: str
    ) -> list[int]:
        """Record accepted claims and schedule their decisions (inside the caller's transaction).

        Returns their claim keys, in order. The rows go in with two statements, not two per claim.
        """
        top = self.store.row("SELECT COALESCE(MAX(claim_key), 0) AS top FROM claims")
        next_key = int(top["top"]) + 1
        claim_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        body_rows: list[tuple[int, str]] = []
        received_text = received.isoformat()
        adjudicators: dict[str, Any] = {}
        for claim in claims:
            runtime = self.payer_for(claim.coverage.payer_id)
            assert runtime is not None
            if claim.coverage.payer_id != runtime.name:
                coverage = claim.coverage.model_copy(update={"payer_id": runtime.name})
                claim = claim.model_copy(update={"coverage": coverage})
            trigger = find_trigger(claim.coverage.member_id)
            claim_key, next_key = next_key, next_key + 1
            claim_rows.append(
                (
                    claim_key,
                    partner.partner_id,
                    claim.claim_id,
                    runtime.name,
                    claim.coverage.member_id,
                    received_text,
                    trigger.label if trigger else None,
                    source,
                )
            )
            body_rows.append((claim_key, _json(claim)))
            if len(self._claims) < _CACHE_LIMIT:
                self._claims[claim_key] = claim
            adjudicator = adjudicators.get(runtime.name)
            if adjudicator is None:
                adjudicator = adjudicators[runtime.name] = runtime.at(received)
            decided = adjudicator.decision_date(received, self._rng(runtime.name, claim_key, "lag"))
            event_rows.append((max(decided, received).isoformat(), "adjudicate", claim_key))
        self.store.executemany(
            "INSERT INTO claims (claim_key, partner_id, claim_id, payer, member_id, received_date, state,"
            " trigger, source) VALUES (?, ?, ?, ?, ?, ?, 'accepted', ?, ?)",
            claim_rows,
        )
        self.store.executemany("INSERT INTO claim_bodies (claim_key, claim_json) VALUES (?, ?)", body_rows)
        self.store.executemany("INSERT INTO events (due, kind, ref) VALUES (?, ?, ?)", event_rows)
        return [row[0] for row in claim_rows]

    def submit_claims(self, partner: PartnerConfig, claims: list[Claim], source: str = "json") -> list[int]:
        """Accept claims given as objects; their 277CA goes to the mailbox. Returns claim keys."""
        problems = [f"claim {c.claim_id}: {p}" for c in claims if (p := self.route_problem(partner, c))]
        if problems:
            raise Refused("; ".join(problems))
        with self.lock, collector_off():
            received = self.clock.today()
            with self._tx():
                keys = self._accept_all(partner, claims, received, source)
                ack = x12bridge.write_277ca(self, partner, claims, [], received)
                if ack:
                    self.add_file(partner.partner_id, "277CA", ack, received)
            self._catch_up(received)
        return keys

    def submit_x12(self, partner: PartnerConfig, raw: bytes) -> X12Answer:
        """Answer one X12 interchange: 837 -> TA1/999 (and 277CA to the mailbox), 270 -> 271, 276 -> 277."""
        header = x12bridge.peek_isa(raw)
        if header is None:
            raise BadInput(
                "the body is not an X12 interchange: it must start with a 106-character ISA segment"
            )
        today = self.clock.today()
        issue = x12bridge.envelope_problem(header, partner, self.config.receiver_id)
        if issue is not None:
            ta1 = x12bridge.write_ta1(self, partner, header, issue, today)
            return X12Answer(ta1, "TA1", problem=issue.message)
        kind = x12bridge.functional_kind(raw)
        try:
            if kind == "270":
                return X12Answer(x12bridge.answer_270(self, partner, raw, today), "271")
            if kind == "276":
                return X12Answer(x12bridge.answer_276(self, partner, raw, today), "277")
        except ValueError as error:
            raise BadInput(f"{kind}: {error}") from None
        key = (header.sender, header.control)
        digest = hashlib.sha256(raw if isinstance(raw, bytes) else raw.encode("utf-8")).hexdigest()
        with self.lock, collector_off():
            seen = self.store.row(
                "SELECT response, kind, body_sha256 FROM interchanges WHERE sender = ? AND control = ?", key
            )
            if seen is not None:
                if seen["body_sha256"] in (None, digest):
                    return X12Answer(seen["response"].decode("utf-8"), seen["kind"], replayed=True)
                issue = x12bridge.EnvelopeIssue(
                    "025",
                    f"ISA13 {header.control} from {header.sender} was used before for another interchange:"
                    " send each interchange with a new control number",
                )
                ta1 = x12bridge.write_ta1(self, partner, header, issue, today)
                return X12Answer(ta1, "TA1", problem=issue.message)
            received = self.clock.today()
            result = x12bridge.front_end(self, partner, raw, received)
            if result.kind == "TA1":
                return X12Answer(result.response, "TA1", problem=result.problem)
            with self._tx():
                keys = tuple(self._accept_all(partner, result.accepted, received, "x12"))
                if result.accepted or result.rejected:
                    ack = x12bridge.write_277ca(
                        self, partner, result.accepted, result.rejected, received, result.references
                    )
                    if ack:
                        self.add_file(partner.partner_id, "277CA", ack, received)
                for rejected in result.rejected:
                    self._record_rejection(partner, rejected, received)
                self.store.execute(
                    "INSERT INTO interchanges (sender, control, partner_id, received_date, kind, response,"
                    " body_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        *key,
                        partner.partner_id,
                        received.isoformat(),
                        result.kind,
                        result.response.encode(),
                        digest,
                    ),
                )
            self._catch_up(received)
        return X12Answer(result.response, result.kind, claims=keys, problem=result.problem)

    def _record_rejection(self, partner: PartnerConfig, rejected: Any, received: date) -> None:
        reasons = "; ".join(r.message for r in rejected.rejections)
        claim = rejected.claim
        cursor = self.store.execute(
            "INSERT INTO claims (partner_id, claim_id, payer, member_id, received_date, state, source,"
            " detail) VALUES (?, ?, ?, ?, ?, 'rejected', 'x12', ?)",
            (
                partner.partner_id,
                rejected.claim_id,
                claim.coverage.payer_id if claim else rejected.payer_id,
                rejected.subscriber_id,
                received.isoformat(),
                reasons,
            ),
        )
        self.store.execute(
            "INSERT INTO claim_bodies (claim_key, claim_json) VALUES (?, ?)",
            (cursor.lastrowid, _json(claim) if claim else "null"),
        )

    # ------------------------------------------------------------ time

    def advance(self, days: int) -> dict[str, Any]:
        """Move the clock ``days`` forward and do everything that falls due; say what was done."""
        if days < 0 or days > 3660:
            raise Refused("days must be between 0 and 3660")
        with self.lock:
            target = self.clock.advance(days)
            done = self._catch_up(target)
        return {
            "today": target.isoformat(),
            "decided": done.decided,
            "remitted": done.remitted,
            "appeals_decided": done.appeals,
            "files": done.files,
        }

    def tick(self) -> None:
        """Do whatever has fallen due by the clock's date (the realtime clock calls this)."""
        with self.lock:
            self._catch_up(self.clock.today())

    def _next_due(self, target: date) -> date | None:
        event = self.store.row(
            "SELECT MIN(due) AS due FROM events WHERE done = 0 AND due <= ?", (target.isoformat(),)
        )
        payment = self.store.row(
            "SELECT MIN(payment_date) AS due FROM adjudications"
            " WHERE remit_file IS NULL AND payment_date <= ?",
            (target.isoformat(),),
        )
        dues = [row["due"] for row in (event, payment) if row and row["due"]]
        return date.fromisoformat(min(dues)) if dues else None

    def _catch_up(self, target: date) -> _Day:
        """Do every date's work up to ``target`` in one transaction, with the ledgers saved in it."""
        total = _Day()
        recorded = self.store.get_meta("clock_date")
        if self._next_due(target) is None and recorded is not None and recorded >= target.isoformat():
            return total
        with self._tx(), collector_off():
            day = self._next_due(target)
            while day is not None:
                self._run_day(day, total)
                day = self._next_due(target)
            self._save_ledgers()
            self.clock.record(target)
        return total

    def _run_day(self, day: date, total: _Day) -> None:
        events = self.store.rows(
            "SELECT event_id, kind, ref FROM events WHERE done = 0 AND due <= ? ORDER BY due, event_id",
            (day.isoformat(),),
        )
        self._prefetch([e["ref"] for e in events if e["kind"] == "adjudicate"])
        handlers = {
            "adjudicate": self._adjudicate,
            "documentation_due": self._documentation_due,
            "appeal": self._decide_appeal,
        }
        for _, kind, ref in events:
            handlers[kind](ref, day, total)
        if events:
            # Events scheduled by the handlers have higher ids: this marks exactly the ones run.
            self.store.execute(
                "UPDATE events SET done = 1 WHERE done = 0 AND due <= ? AND event_id <= ?",
                (day.isoformat(), max(event["event_id"] for event in events)),
            )
        self._rows.clear()
        self._bodies.clear()
        self._flush()
        self._pay(day, total)

    # ------------------------------------------------------------ deciding

    def _claim_row(self, claim_key: int) -> Any:
        found = self._rows.pop(claim_key, None)
        return found or self.store.row("SELECT * FROM claims WHERE claim_key = ?", (claim_key,))

    def _claim_by_key(self, claim_key: int) -> Claim:
        return self._claims.get(claim_key) or self._claim(self._claim_row(claim_key))

    def _entry(self, entry_id: int) -> ClaimAdjudication:
        """A decision about to be paid (from memory when just made)."""
        found = self._entries.pop(entry_id, None)
        if found is None:
            row = self.store.row("SELECT entry_json FROM adjudications WHERE entry_id = ?", (entry_id,))
            found = ClaimAdjudication.model_validate_json(row["entry_json"])
        return found

    def _prefetch(self, claim_keys: list[int]) -> None:
        """Read the claims rows (and bodies not in memory) about to be decided in a few queries."""
        for start in range(0, len(claim_keys), 500):
            chunk = claim_keys[start : start + 500]
            rows = self.store.rows(
                f"SELECT * FROM claims WHERE claim_key IN ({','.join('?' * len(chunk))})", tuple(chunk)
            )
            self._rows.update((row["claim_key"], row) for row in rows)
            missing = [key for key in chunk if key not in self._claims]
            if missing:
                bodies = self.store.rows(
                    "SELECT claim_key, claim_json FROM claim_bodies"
                    f" WHERE claim_key IN ({','.join('?' * len(missing))})",
                    tuple(missing),
                )
                self._bodies.update((row[0], row[1]) for row in bodies)

    def _record_entries(
        self, row: Any, runtime: PayerRuntime, entries: list[ClaimAdjudication], origin: str
    ) -> None:
        state = "decided"
        for entry in entries:
            pended = entry.status == ClaimStatus.PENDED
            payer = runtime.at(entry.received_date)
            payment = None if pended else payer.payment_date(entry.decided_date, entry.received_date)
            entry_id = self._new_entry_id()
            self._entry_rows.append(
                (
                    entry_id,
                    row["claim_key"],
                    row["partner_id"],
                    runtime.name,
                    entry.payer_claim_number,
                    entry.status.value,
                    entry.decided_date.isoformat(),
                    payment.isoformat() if payment else None,
                    "pended" if pended else None,
                    origin,
                    _json(entry),
                ),
            )
            if not pended and len(self._entries) < _CACHE_LIMIT:
                self._entries[entry_id] = entry
            if pended:
                state = "pended"
                due = entry.documentation_due or entry.decided_date + timedelta(days=45)
                self._schedule(due + timedelta(days=1), "documentation_due", row["claim_key"])
        number = entries[-1].payer_claim_number if entries else row["payer_claim_number"]
        self._state_rows.append((state, number, row["claim_key"]))

    def _adjudicate(self, claim_key: int, day: date, total: _Day) -> None:
        row = self._claim_row(claim_key)
        if row is None or row["state"] != "accepted":
            return
        runtime = self.payers[row["payer"]]
        claim = self._claim(row)
        received = date.fromisoformat(row["received_date"])
        trigger = find_trigger(claim.coverage.member_id)
        if trigger is not None:
            profile = runtime.at(received).profile
            number = f"{profile.claim_number_prefix}PS{claim_key:010d}"
            due = day + timedelta(days=profile.documentation.due_days)
            entries = [triggered_decision(trigger, claim, runtime.name, number, received, day, due)]
        else:
            op = {
                "kind": "adjudicate",
                "claim_key": claim_key,
                "received": received.isoformat(),
                "decided": day.isoformat(),
            }
            try:
                entries = self._run_op(runtime, op)
            except Exception as error:
                log.exception("adjudication of claim %s failed", claim_key)
                self.store.execute(
                    "UPDATE claims SET state = 'error', detail = ? WHERE claim_key = ?",
                    (f"the payer could not adjudicate this claim: {error}", claim_key),
                )
                return
        self._record_entries(row, runtime, entries, "adjudication")
        total.decided += 1

    def send_documentation(
        self, partner: PartnerConfig, claim_key: int, supports_service: bool, complete: bool = True
    ) -> dict[str, Any]:
        """Answer a pend with records; the payer decides at once and the decision joins the next run."""
        with self.lock:
            row = self._owned_claim(partner, claim_key)
            if row["state"] != "pended":
                raise Refused(f"claim {claim_key} is {row['state']}, not pended: no documentation is awaited")
            today = self.clock.today()
            with self._tx():
                self._decide_documentation(row, today, supports_service if complete else False, complete)
            self._catch_up(today)
        return self.claim_view(partner, claim_key)

    def _decide_documentation(self, row: Any, today: date, supports: bool | None, complete: bool) -> None:
        runtime = self.payers[row["payer"]]
        claim = self._claim(row)
        received = date.fromisoformat(row["received_date"])
        number = row["payer_claim_number"]
        if row["trigger"]:
            entries = [triggered_documentation(claim, runtime.name, number, received, today, supports)]
        else:
            response = DocumentationResponse(
                payer_claim_number=number, sent_date=today, supports_service=bool(supports), complete=complete
            )
            op = {
                "kind": "documentation",
                "claim_key": row["claim_key"],
                "decided": today.isoformat(),
                "response": response.model_dump(mode="json"),
            }
            entries = self._run_op(runtime, op)
        self._record_entries(row, runtime, entries, "documentation")

    def _documentation_due(self, claim_key: int, day: date, total: _Day) -> None:
        row = self._claim_row(claim_key)
        if row is None or row["state"] != "pended":
            return
        runtime = self.payers[row["payer"]]
        if row["trigger"]:
            self._decide_documentation(row, day, None, False)
            total.decided += 1
            return
        self._flush()
        for entry in self._run_op(runtime, {"kind": "expire", "on": day.isoformat()}):
            owner = self.store.row(
                "SELECT * FROM claims WHERE payer = ? AND payer_claim_number = ? AND state = 'pended'",
                (runtime.name, entry.payer_claim_number),
            )
            if owner is not None:
                self._record_entries(owner, runtime, [entry], "documentation")
                total.decided += 1

    # ------------------------------------------------------------ appeals

    def file_appeal(
        self,
        partner: PartnerConfig,
        claim_key: int,
        appeal_id: str,
        level: int,
        carcs_disputed: tuple[str, ...],
        has_new_evidence: bool,
    ) -> dict[str, Any]:
        """File an appeal of a decided claim; the payer decides after the level's decision lag."""
        with self.lock:
            row = self._owned_claim(partner, claim_key)
            if row["state"] not in ("decided", "remitted") or not row["payer_claim_number"]:
                raise Refused(f"claim {claim_key} is {row['state']}: only a decided claim can be appealed")
            runtime = self.payers[row["payer"]]
            levels = runtime.at(date.fromisoformat(row["received_date"])).profile.appeals.levels
            if level > len(levels):
                raise Refused(f"payer {runtime.name} has {len(levels)} appeal level(s), not {level}")
            if level > 1 and level - 1 not in self._decided_appeal_levels(claim_key):
                raise Refused(
                    f"claim {claim_key} has no decided level {level - 1} appeal: a level {level} appeal"
                    f" appeals that decision"
                )
            today = self.clock.today()
            appeal = Appeal(
                appeal_id=appeal_id,
                payer_claim_number=row["payer_claim_number"],
                level=level,
                filed_date=today,
                carcs_disputed=carcs_disputed,
                has_new_evidence=has_new_evidence,
            )
            with self.store.transaction():
                if self.store.row(
                    "SELECT 1 FROM appeals WHERE partner_id = ? AND appeal_id = ?",
                    (partner.partner_id, appeal_id),
                ):
                    raise Refused(f"appeal_id {appeal_id!r} is already used")
                cursor = self.store.execute(
                    "INSERT INTO appeals (partner_id, appeal_id, claim_key, filed_date, state, appeal_json)"
                    " VALUES (?, ?, ?, ?, 'filed', ?)",
                    (partner.partner_id, appeal_id, claim_key, today.isoformat(), _json(appeal)),
                )
                appeal_key = int(cursor.lastrowid or 0)
                self._schedule(today + timedelta(days=levels[level - 1].decision_days), "appeal", appeal_key)
            self._catch_up(today)
            return self.appeal_view(appeal_key)

    def _decided_appeal_levels(self, claim_key: int) -> set[int]:
        """The levels at which the claim's appeals have been decided."""
        rows = self.store.rows(
            "SELECT decision_json FROM appeals WHERE claim_key = ? AND state = 'decided'", (claim_key,)
        )
        return {AppealDecision.model_validate_json(row["decision_json"]).level for row in rows}

    def _decide_appeal(self, appeal_key: int, day: date, total: _Day) -> None:
        found = self.store.row("SELECT * FROM appeals WHERE appeal_key = ?", (appeal_key,))
        if found is None or found["state"] != "filed":
            return
        appeal = Appeal.model_validate_json(found["appeal_json"])
        row = self._claim_row(found["claim_key"])
        runtime = self.payers[row["payer"]]
        if row["trigger"]:
            claim = self._claim(row)
            received = date.fromisoformat(row["received_date"])
            entry = triggered_overturn(claim, runtime.name, row["payer_claim_number"], received, day)
            decision = AppealDecision(
                appeal_id=appeal.appeal_id,
                payer_claim_number=appeal.payer_claim_number,
                level=appeal.level,
                outcome=AppealOutcome.OVERTURNED,
                decided_date=day,
                reason="test trigger: appeals are overturned",
                rule="trigger:appeal",
                adjudication=entry,
            )
        else:
            decision = self._run_op(runtime, {"kind": "appeal", "appeal_key": appeal_key})
        self.store.execute(
            "UPDATE appeals SET state = 'decided', decision_json = ? WHERE appeal_key = ?",
            (_json(decision), appeal_key),
        )
        entries = [e for e in (getattr(decision, "reversal", None), decision.adjudication) if e is not None]
        if entries:
            self._record_entries(row, runtime, entries, "appeal")
        total.appeals += 1

    # ------------------------------------------------------------ paying

    def _pay(self, day: date, total: _Day) -> None:
        due = self.store.rows(
            "SELECT entry_id, partner_id, payer, claim_key, origin FROM adjudications"
            " WHERE remit_file IS NULL AND payment_date <= ? ORDER BY partner_id, payer, entry_id",
            (day.isoformat(),),
        )
        groups: dict[tuple[str, str], list[Any]] = {}
        for row in due:
            groups.setdefault((row["partner_id"], row["payer"]), []).append(row)
        for (partner_id, payer_name), rows in groups.items():
            partner = self.config.partner(partner_id)
            runtime = self.payers[payer_name]
            pairs = [(self._claim_by_key(r["claim_key"]), self._with_interest(runtime, r, day)) for r in rows]
            text = x12bridge.write_835(self, partner, runtime, pairs, day)
            file_id = self.add_file(partner_id, "835", text, day)
            total.files.append(file_id)
            total.remitted += len(rows)
            self.store.execute(
                f"UPDATE adjudications SET remit_file = ? WHERE entry_id IN ({','.join('?' * len(rows))})",
                (str(file_id), *[r["entry_id"] for r in rows]),
            )
            keys = sorted({r["claim_key"] for r in rows})
            self.store.execute(
                "UPDATE claims SET state = 'remitted' WHERE state = 'decided'"
                f" AND claim_key IN ({','.join('?' * len(keys))})",
                tuple(keys),
            )
            for key in keys:
                self._claims.pop(key, None)

    def _with_interest(self, runtime: PayerRuntime, row: Any, day: date) -> ClaimAdjudication:
        """The decision ``row`` names, carrying the prompt-pay interest owed when paid on ``day``.

        A reversal carries the interest paid on the decision it reverses as a negative amount: the
        payer recovers it (Medicare Claims Processing Manual ch. 1 section 80.2.2 D: when a paid
        claim is later denied or adjusted, the interest paid is recovered with the payment).
        """
        entry = self._entry(row["entry_id"])
        if entry.status == ClaimStatus.REVERSED:
            interest = -self._interest_paid(row["payer"], entry.reverses or "", row["entry_id"])
        else:
            clean = row["origin"] == "adjudication"
            interest = runtime.at(entry.received_date).interest_due(entry, day, clean=clean)
        if not interest:
            return entry
        entry = entry.model_copy(update={"interest": interest})
        self.store.execute(
            "UPDATE adjudications SET entry_json = ? WHERE entry_id = ?", (_json(entry), row["entry_id"])
        )
        return entry

    def _interest_paid(self, payer: str, payer_claim_number: str, before: int) -> int:
        """Interest paid so far on the decisions ``payer_claim_number`` names (entries before ``before``)."""
        rows = self.store.rows(
            "SELECT entry_id, entry_json FROM adjudications WHERE payer = ? AND payer_claim_number = ?"
            " AND status != ? AND entry_id < ?",
            (payer, payer_claim_number, ClaimStatus.REVERSED.value, before),
        )
        paid = 0
        for row in rows:  # a decision paid in this very run is in the store already, with its interest
            kept = self._entries.get(row["entry_id"])
            paid += (kept or ClaimAdjudication.model_validate_json(row["entry_json"])).interest
        return paid

    # ------------------------------------------------------------ reading

    def _owned_claim(self, partner: PartnerConfig, claim_key: int) -> Any:
        row = self._claim_row(claim_key)
        if row is None or row["partner_id"] != partner.partner_id:
            raise NotFound(f"no claim {claim_key} for partner {partner.partner_id}")
        return row

    def claim_view(self, partner: PartnerConfig, claim_key: int) -> dict[str, Any]:
        """A claim with its decisions, appeals and where it stands."""
        row = self._owned_claim(partner, claim_key)
        entries = self.store.rows(
            "SELECT entry_json, payment_date, remit_file FROM adjudications WHERE claim_key = ?"
            " ORDER BY entry_id",
            (claim_key,),
        )
        appeals = self.store.rows(
            "SELECT appeal_key FROM appeals WHERE claim_key = ? ORDER BY appeal_key", (claim_key,)
        )
        return {
            "claim_key": row["claim_key"],
            "claim_id": row["claim_id"],
            "payer": row["payer"],
            "member_id": row["member_id"],
            "received_date": row["received_date"],
            "state": row["state"],
            "trigger": row["trigger"],
            "payer_claim_number": row["payer_claim_number"],
            "detail": row["detail"],
            "adjudications": [
                {
                    "entry": json.loads(e["entry_json"]),
                    "payment_date": e["payment_date"],
                    "remit_file": int(e["remit_file"])
                    if e["remit_file"] and e["remit_file"].isdigit()
                    else None,
                }
                for e in entries
            ],
            "appeals": [self.appeal_view(a["appeal_key"]) for a in appeals],
        }

    def appeal_view(self, appeal_key: int) -> dict[str, Any]:
        """An appeal and, once made, its decision."""
        row = self.store.row("SELECT * FROM appeals WHERE appeal_key = ?", (appeal_key,))
        assert row is not None
        return {
            "appeal_key": row["appeal_key"],
            "appeal_id": row["appeal_id"],
            "claim_key": row["claim_key"],
            "filed_date": row["filed_date"],
            "state": row["state"],
            "decision": json.loads(row["decision_json"]) if row["decision_json"] else None,
        }

    def find_claims(
        self, partner: PartnerConfig, claim_id: str | None = None, limit: int = 100, after: int = 0
    ) -> list[dict[str, Any]]:
        """The partner's claims (optionally those with one patient control number), oldest first."""
        sql = (
            "SELECT claim_key, claim_id, payer, member_id, received_date, state, payer_claim_number, trigger"
            " FROM claims WHERE partner_id = ? AND claim_key > ?"
        )
        params: list[Any] = [partner.partner_id, after]
        if claim_id is not None:
            sql += " AND claim_id = ?"
            params.append(claim_id)
        sql += " ORDER BY claim_key LIMIT ?"
        params.append(limit)
        return [dict(r) for r in self.store.rows(sql, tuple(params))]

    # ------------------------------------------------------------ mailbox

    def mailbox(
        self, partner: PartnerConfig, include_acknowledged: bool = False, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """The partner's mailbox files (new ones only unless asked), oldest first."""
        sql = (
            "SELECT file_id, kind, name, sim_date, acknowledged, length(content) AS size FROM mailbox"
            " WHERE partner_id = ?"
        )
        params: list[Any] = [partner.partner_id]
        if not include_acknowledged:
            sql += " AND acknowledged = 0"
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        rows = self.store.rows(sql + " ORDER BY file_id", tuple(params))
        return [dict(r) | {"acknowledged": bool(r["acknowledged"])} for r in rows]

    def mailbox_file(self, partner: PartnerConfig, file_id: int) -> dict[str, Any]:
        """One mailbox file with its content."""
        row = self.store.row(
            "SELECT * FROM mailbox WHERE file_id = ? AND partner_id = ?", (file_id, partner.partner_id)
        )
        if row is None:
            raise NotFound(f"no mailbox file {file_id} for partner {partner.partner_id}")
        return dict(row) | {"acknowledged": bool(row["acknowledged"])}

    def acknowledge(self, partner: PartnerConfig, file_id: int) -> None:
        """Mark a mailbox file as received: it leaves the list of new files."""
        self.mailbox_file(partner, file_id)
        with self.store.transaction():
            self.store.execute("UPDATE mailbox SET acknowledged = 1 WHERE file_id = ?", (file_id,))

    # ------------------------------------------------------------ inquiries

    def reachable_payer(self, partner: PartnerConfig, payer_id: str) -> PayerRuntime:
        """The payer ``payer_id`` names, if this partner may reach it."""
        runtime = self.payer_for(payer_id)
        if runtime is None or runtime.name not in partner.payers:
            raise NotFound(f"payer {payer_id!r} is not a payer partner {partner.partner_id} may reach")
        return runtime

    def eligibility(
        self, partner: PartnerConfig, payer_id: str, member_id: str, on: date | None
    ) -> dict[str, Any]:
        """Whether ``member_id`` is covered by the payer on ``on`` (default today), with plan benefits.

        The payer's rules are those in force on ``on`` (its dated changes applied).
        """
        runtime = self.reachable_payer(partner, payer_id)
        on = on or self.clock.today()
        trigger = find_trigger(member_id)
        with self.lock:
            coverages = list(runtime.ledger.roster.get(member_id, ()))
        profile = runtime.at(on).profile
        strict = profile.eligibility.strict_roster
        if trigger is not None and trigger.outcome == "inactive":
            active, reason = False, "test trigger PSINACTIVE_: not enrolled"
        elif coverages:
            active = any(c.is_active_on(on) for c in coverages)
            reason = "enrolled on that date" if active else "on the roster but not covered on that date"
        elif strict:
            active, reason = False, "not on the payer's roster"
        else:
            active, reason = True, "not on the roster; this payer accepts members as claims present them"
        benefits = profile.benefits
        return {
            "payer": runtime.name,
            "member_id": member_id,
            "date": on.isoformat(),
            "active": active,
            "reason": reason,
            "plan_ids": sorted({c.plan_id for c in coverages}),
            "deductible": format_dollars(benefits.deductible),
            "coinsurance_percent": str(benefits.coinsurance_percent),
            "out_of_pocket_max": format_dollars(benefits.out_of_pocket_max),
        }
