"""Statements the public pages run on every visit, prepared once per database connection.

A kept public page (core/page_memory.py) costs one small query, its version. On PostgreSQL,
parsing and planning that query took longer than running it: 0.13-0.30 ms a visit against
0.06-0.09 ms prepared (bench/registry.py's data, 1,000,000 businesses). Django leaves
psycopg's automatic preparation off, for poolers in transaction mode (PgBouncer before 1.21, or
without max_prepared_statements); DATABASE_PREPARED_STATEMENTS=false turns this off for them.

The statement still goes through Django's cursor wrapper: counted, logged, its errors wrapped.
"""

from typing import Any

from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor


class PreparedCursor(ServerBindingCursor):
    """psycopg's server-side binding cursor, preparing every statement it executes (psycopg
    keeps the prepared statements of a connection, by their text)."""

    def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
        return super().execute(query, params, **{**options, "prepare": True})  # type: ignore[misc]


def fetch_one(sql: str, params: list[Any]) -> tuple | None:
    """The first row of `sql` (%s placeholders), prepared on PostgreSQL when allowed."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    connection.ensure_connection()
    # Django's own wrapping of a cursor (debug logging, query counts, error translation).
    raw = PreparedCursor(connection.connection)  # type: ignore[call-arg]  # psycopg's Cursor(connection)
    with connection._prepare_cursor(raw) as cursor:  # type: ignore[attr-defined]
        cursor.execute(sql, params)
        return cursor.fetchone()
