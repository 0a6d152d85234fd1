"""Reads on names, restricted to what the caller may see."""

from typing import Any

from django.db.models import QuerySet

from singleportal.names.models import NameReservation


def reservations_of(user: Any) -> QuerySet[NameReservation]:
    return NameReservation.objects.filter(applicant=user).order_by("-created_at", "-pk")


def reservation_of(user: Any, reservation_id: int) -> NameReservation | None:
    return reservations_of(user).filter(pk=reservation_id).first()
