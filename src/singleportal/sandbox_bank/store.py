"""The sandbox bank's ledger in SQLite: payments, refunds, their events and delivery attempts.

The rules that must hold under concurrent requests (one payment per KHQR code, one refund per
merchant reference, refunds never above the payment) are checked and written under one lock, so
they live here rather than in the caller.
"""

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Event = dict[str, Any]

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    bill_number TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS payments (
    transaction_id TEXT PRIMARY KEY,
    khqr TEXT NOT NULL UNIQUE,
    event_id TEXT NOT NULL REFERENCES events(id),
    amount INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS refunds (
    reference TEXT PRIMARY KEY,
    refund_of TEXT NOT NULL REFERENCES payments(transaction_id),
    amount INTEGER NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id)
);
CREATE TABLE IF NOT EXISTS attempts (
    event_id TEXT NOT NULL REFERENCES events(id),
    at TEXT NOT NULL,
    status INTEGER,
    error TEXT NOT NULL
);
"""


def event_body(event: Event) -> str:
    """The event as sent and stored: compact JSON, non-ASCII kept as UTF-8."""
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


class RefundRefused(ValueError):
    """The merchant asked for a refund the bank will not make; the message says why."""


class Store:
    def __init__(self, db_path: str) -> None:
        if db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by the HTTP and delivery threads, serialised by the lock:
        # the sandbox is small, and the lock is what makes check-then-insert safe.
        self._db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        self._closed = False
        self._db.executescript(SCHEMA)

    @contextmanager
    def _atomic(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the sandbox bank is stopped")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._db.close()

    def _add_event(self, db: sqlite3.Connection, event: Event) -> None:
        db.execute(
            "INSERT INTO events (id, bill_number, body) VALUES (?, ?, ?)",
            (event["id"], event["data"]["bill_number"], event_body(event)),
        )

    def _event(self, db: sqlite3.Connection, event_id: str) -> Event:
        row = db.execute("SELECT body FROM events WHERE id = ?", (event_id,)).fetchone()
        return dict(json.loads(row["body"]))

    def payment_event(self, khqr: str) -> Event | None:
        with self._atomic() as db:
            row = db.execute("SELECT event_id FROM payments WHERE khqr = ?", (khqr,)).fetchone()
            return self._event(db, row["event_id"]) if row else None

    def record_payment(self, khqr: str, event: Event) -> tuple[Event, bool]:
        """Record a payment of this KHQR code unless one exists: (its event, whether new)."""
        with self._atomic() as db:
            row = db.execute("SELECT event_id FROM payments WHERE khqr = ?", (khqr,)).fetchone()
            if row:
                return self._event(db, row["event_id"]), False
            self._add_event(db, event)
            data = event["data"]
            db.execute(
                "INSERT INTO payments (transaction_id, khqr, event_id, amount) VALUES (?, ?, ?, ?)",
                (data["transaction_id"], khqr, event["id"], data["amount"]),
            )
            return event, True

    def record_refund(
        self, reference: str, refund_of: str, amount: int, new_event: Callable[[Event], Event]
    ) -> tuple[Event, bool]:
        """Refund part of a payment once per reference: (the refund event, whether new).

        `new_event` builds the refund's event from the payment's event."""
        with self._atomic() as db:
            row = db.execute("SELECT * FROM refunds WHERE reference = ?", (reference,)).fetchone()
            if row:
                # A reused key with other terms is a merchant bug; answering with the old refund
                # would hide it (as Stripe's idempotency keys do).
                if (row["refund_of"], row["amount"]) != (refund_of, amount):
                    raise RefundRefused("this reference was used for a different refund")
                return self._event(db, row["event_id"]), False
            payment = db.execute(
                "SELECT * FROM payments WHERE transaction_id = ?", (refund_of,)
            ).fetchone()
            if payment is None:
                raise RefundRefused(f"unknown transaction {refund_of}")
            (refunded,) = db.execute(
                "SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE refund_of = ?", (refund_of,)
            ).fetchone()
            if refunded + amount > payment["amount"]:
                left = payment["amount"] - refunded
                raise RefundRefused(f"refunds would exceed the payment ({left} left to refund)")
            event = new_event(self._event(db, payment["event_id"]))
            self._add_event(db, event)
            db.execute(
                "INSERT INTO refunds (reference, refund_of, amount, event_id) VALUES (?, ?, ?, ?)",
                (reference, refund_of, amount, event["id"]),
            )
            return event, True

    def events_for_bill(self, bill_number: str) -> list[Event]:
        with self._atomic() as db:
            rows = db.execute(
                "SELECT body FROM events WHERE bill_number = ? ORDER BY seq", (bill_number,)
            ).fetchall()
        return [json.loads(row["body"]) for row in rows]

    def record_attempt(self, event_id: str, at: str, status: int | None, error: str) -> None:
        with self._lock:
            if self._closed:  # a delivery finishing after stop() has nowhere to write
                return
            self._db.execute(
                "INSERT INTO attempts (event_id, at, status, error) VALUES (?, ?, ?, ?)",
                (event_id, at, status, error),
            )

    def attempts(self, event_id: str) -> list[sqlite3.Row]:
        with self._atomic() as db:
            return self._attempts(db, event_id)

    def _attempts(self, db: sqlite3.Connection, event_id: str) -> list[sqlite3.Row]:
        return db.execute(
            "SELECT at, status, error FROM attempts WHERE event_id = ? ORDER BY rowid", (event_id,)
        ).fetchall()

    def recent(self, limit: int = 20) -> list[tuple[Event, list[sqlite3.Row]]]:
        """The latest events, newest first, each with its delivery attempts."""
        with self._atomic() as db:
            rows = db.execute("SELECT id, body FROM events ORDER BY seq DESC LIMIT ?", (limit,))
            return [
                (json.loads(row["body"]), self._attempts(db, row["id"])) for row in rows.fetchall()
            ]
