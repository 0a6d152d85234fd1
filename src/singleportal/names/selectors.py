"""Reads on names, restricted to what the caller may see."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from singleportal.names.models import NameReservation, ReservationStatus
from singleportal.names.normalization import LATIN


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
