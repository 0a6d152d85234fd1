"""core/db.py: the public pages' one-row statements, prepared on PostgreSQL and still counted
like any other query."""

import pytest
from django.db import connection

from singleportal.core import db

pytestmark = pytest.mark.django_db


def test_a_statement_is_counted_and_answers_on_either_database(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert db.fetch_one("SELECT %s + 1", [41]) == (42,)
    assert db.fetch_one("SELECT 1 WHERE 1 = %s", [2]) is None


@pytest.mark.postgres
def test_on_postgresql_the_statement_is_prepared_once_per_connection():
    sql = "SELECT %s::int * 2"
    for value in (1, 2, 3):
        assert db.fetch_one(sql, [value]) == (value * 2,)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                       ["%$1::int * 2%"])  # fmt: skip
        assert cursor.fetchone() == (1,)


@pytest.mark.postgres
def test_prepared_statements_can_be_turned_off_for_poolers(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    assert db.fetch_one("SELECT %s::int * 3", [2]) == (6,)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                       ["%* 3%"])  # fmt: skip
        assert cursor.fetchone() == (0,)
