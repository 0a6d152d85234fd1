"""Locks on a name, for work that must queue per object without locking the object's row.

A row lock is shared with everyone who writes the row, each of whom may hold other locks
first (the audit chain's head, a counter); a named lock is held by one kind of work only, so
it adds no edge between them.
"""

from django.db import connection


def hold_lock(name: str) -> None:
    """Hold the lock called `name` until the transaction ends; call inside one. On PostgreSQL
    an advisory lock (two names hashing alike only queue together); SQLite runs one writing
    transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
