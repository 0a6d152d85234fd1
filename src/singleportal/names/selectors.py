"""Reads on names, restricted to what the caller may see."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from singleportal.names.models import NameReservation, ReservationStatus
from singleportal.names.normalization import LATIN
from singleportal.registry.models import NAME_HOLDING_STATUSES, Business


def reservations_of(user: Any) -> QuerySet[NameReservation]:
    return NameReservation.objects.filter(applicant=user).order_by("-created_at", "-pk")


def reservation_of(user: Any, reservation_id: int) -> NameReservation | None:
    return reservations_of(user).filter(pk=reservation_id).first()


def active_reservations_of_name(script: str, normalized: str) -> QuerySet[NameReservation]:
    """Unexpired reservations holding this name (its normalised form in `script`)."""
    field = "name_en_normalized" if script == LATIN else "name_km_normalized"
    return NameReservation.objects.filter(
        **{field: normalized}, status=ReservationStatus.ACTIVE, expires_at__gt=timezone.now()
    )


@dataclass(frozen=True)
class Holder:
    """A registered business or a reservation holding a name."""

    registration_number: str | None  # None for a reservation
    name_km: str
    name_en: str
    status: str
    expires_at: datetime | None  # a reservation's end


def holders_of_name(
    script: str, normalized: str, *, limit: int, not_applicant: int | None = None
) -> tuple[list[Holder], list[Holder]]:
    """(registered businesses, other applicants' active reservations) holding this name: the
    first `limit` businesses in registration-number order and the reservation ending last.

    One statement for both, written out rather than built by the ORM: the name check runs it on
    every keystroke, and building two querysets cost as much as running them (bench/names.py).
    """
    business, reservation = Business._meta.db_table, NameReservation._meta.db_table
    norm = "name_en_normalized" if script == LATIN else "name_km_normalized"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    statuses = list(NAME_HOLDING_STATUSES)
    holding = ", ".join(["%s"] * len(statuses))
    sql = (
        f"SELECT * FROM (SELECT registration_number, name_km, name_en, status,"  # noqa: S608
        f"  CAST(NULL AS TIMESTAMP) AS ends"
        f"  FROM {business} WHERE {norm} = %s AND status IN ({holding})"
        f"  ORDER BY registration_number LIMIT %s) AS registered "
        f"UNION ALL "
        f"SELECT * FROM (SELECT NULL, name_km, name_en, status, expires_at"
        f"  FROM {reservation} WHERE {norm} = %s AND status = %s AND expires_at > %s"
        f"  AND applicant_id <> %s ORDER BY expires_at DESC LIMIT 1) AS reserved"
    )
    params = [normalized, *statuses, limit, normalized, ReservationStatus.ACTIVE, now,
              not_applicant or 0]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    registered = [Holder(r[0], r[1], r[2], r[3], None) for r in rows if r[0] is not None]
    reserved = [Holder(None, r[1], r[2], r[3], _aware(r[4])) for r in rows if r[0] is None]
    return registered, reserved


def _aware(value: datetime | str) -> datetime:
    """SQLite hands a raw statement's timestamps back as text, in UTC."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        assert parsed is not None
        value = parsed
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)
