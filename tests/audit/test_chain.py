import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from singleportal.audit.chain import record, verify
from singleportal.audit.models import AuditEntry
from singleportal.cli import main
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_entries():
    actor = UserFactory()
    record(actor, "test.first", actor, {"n": 1, "name": "សុខ"})
    record(None, "test.second", details={"amount": 4_000_000})
    record(actor, "test.third", actor)
    return AuditEntry.objects.filter(action__startswith="test.").order_by("sequence")


def test_entries_are_chained_by_hash(three_entries):
    first, second, third = three_entries
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert second.actor_label == "system"
    assert verify().ok


def test_check_audit_command_passes_on_an_intact_chain(three_entries, capsys):
    call_command("check_audit")
    assert "Audit chain intact" in capsys.readouterr().out


def _tamper(sql, params):
    """Edit the table behind the application's back, as an intruder with database access
    would (on PostgreSQL the append-only trigger must be switched off first)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_an_edited_row_breaks_the_chain_at_that_entry(three_entries):
    second = three_entries[1]
    _tamper("UPDATE audit_auditentry SET details = %s WHERE id = %s", ['{"amount": 4}', second.pk])
    report = verify()
    assert not report.ok
    assert report.broken_at == second.sequence
    assert report.reason == "content does not match its hash"
    with pytest.raises(CommandError, match=f"broken at entry #{second.sequence}"):
        call_command("check_audit")


def test_a_deleted_row_is_found(three_entries):
    second = three_entries[1]
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [second.pk])
    report = verify()
    assert report.broken_at == second.sequence
    assert report.reason == "missing entry"


def test_a_deleted_last_row_is_found(three_entries):
    third = three_entries[2]
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [third.pk])
    assert verify().broken_at == third.sequence


def test_cli_check_audit_exits_non_zero_on_a_broken_chain(three_entries, capsys):
    _tamper("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [three_entries[0].pk])
    assert main(["check-audit"]) == 1
    assert "broken at entry" in capsys.readouterr().err


@pytest.mark.postgres
def test_postgres_refuses_updates_and_deletes_of_the_log(three_entries):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=three_entries[0].pk).update(action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=three_entries[0].pk).delete()
