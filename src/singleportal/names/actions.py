"""Writes on names: reserve, extend, cancel, use; the scheduled expiry and reminders."""

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.audit import chain as audit
from singleportal.names import tasks
from singleportal.names.checking import BLOCKING, check_name
from singleportal.names.models import (
    NameReservation,
    ReservationAction,
    ReservationEvent,
    ReservationStatus,
)
from singleportal.names.normalization import KHMER, LATIN
from singleportal.names.rules import current_restricted_words, current_rules
from singleportal.registry.models import LegalForm


def _days(setting: str, default: int) -> timedelta:
    return timedelta(days=int(getattr(settings, setting, default)))


def reservation_period() -> timedelta:
    return _days("NAMES_RESERVATION_DAYS", 30)


def _own(user: Any, reservation: NameReservation) -> NameReservation:
    """The reservation, locked, if `user` holds it; others are told it does not exist."""
    locked = NameReservation.objects.select_for_update().filter(pk=reservation.pk).first()
    if locked is None or locked.applicant_id != user.pk:
        raise PermissionDenied
    return locked


def reserve_name(user: Any, *, name_km: str, name_en: str, legal_form: str) -> NameReservation:
    """Reserve a Khmer and Latin name pair for a legal form.

    Both names must pass the check (no identical registered name, no one else's reservation, no
    forbidden word); an applicant holds at most NAMES_MAX_ACTIVE_RESERVATIONS at once. Two
    applicants reserving the same name at once: the partial unique constraints let exactly one
    insert commit; the other is told the name was just taken.
    """
    errors: dict[str, list[str]] = {}
    if legal_form not in LegalForm.values:
        errors["legal_form"] = [_("Choose the legal form of the business.")]
    rules, words = current_rules(), current_restricted_words()
    normalized = {}
    for field, script, raw in (("name_km", KHMER, name_km), ("name_en", LATIN, name_en)):
        try:
            result = check_name(raw, script, user=user, rules=rules, words=words)
        except ValidationError as exc:
            errors[field] = exc.messages
            continue
        blocking = [c.explanation for c in result.conflicts if c.kind in BLOCKING]
        if blocking:
            errors[field] = blocking
        normalized[field] = (result.name, rules.normalize(result.name, script).normalized)
    if errors:
        raise ValidationError(errors)
    (clean_km, norm_km), (clean_en, norm_en) = normalized["name_km"], normalized["name_en"]
    limit = int(getattr(settings, "NAMES_MAX_ACTIVE_RESERVATIONS", 3))
    now = timezone.now()
    with transaction.atomic():
        _expire_due(now, name_km_normalized=norm_km)
        _expire_due(now, name_en_normalized=norm_en)
        mine = NameReservation.objects.filter(applicant=user, status=ReservationStatus.ACTIVE)
        if (
            mine.filter(name_km_normalized=norm_km).exists()
            or mine.filter(name_en_normalized=norm_en).exists()
        ):
            raise ValidationError(_("You have already reserved this name."))
        if mine.count() >= limit:
            raise ValidationError(
                _("You can hold at most %(count)s reserved names at a time. Use or cancel one "
                  "first.") % {"count": limit}
            )  # fmt: skip
        try:
            with transaction.atomic():
                reservation = NameReservation.objects.create(
                    applicant=user,
                    name_km=clean_km,
                    name_en=clean_en,
                    name_km_normalized=norm_km,
                    name_en_normalized=norm_en,
                    legal_form=legal_form,
                    expires_at=now + reservation_period(),
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("Someone reserved this name a moment ago. Check it again and choose another.")
            ) from exc
        ReservationEvent.objects.create(
            reservation=reservation,
            action=ReservationAction.RESERVE,
            to_status=ReservationStatus.ACTIVE,
            actor=user,
        )
        audit.record(
            user,
            "name.reserved",
            reservation,
            {"name_km": clean_km, "name_en": clean_en, "legal_form": legal_form},
        )
    return reservation


def extend_reservation(user: Any, reservation: NameReservation) -> NameReservation:
    """Once per reservation, before it expires: another NAMES_EXTENSION_DAYS."""
    with transaction.atomic():
        locked = _own(user, reservation)
        if locked.status == ReservationStatus.ACTIVE and locked.expires_at <= timezone.now():
            raise ValidationError(_("This reservation has expired."))
        if locked.extended_at is not None:
            raise ValidationError(_("A reservation can be extended only once."))
        locked.apply(ReservationAction.EXTEND, by=user)
        locked.expires_at += _days("NAMES_EXTENSION_DAYS", 30)
        locked.extended_at = timezone.now()
        locked.reminded_at = None  # remind again before the new date
        locked.save(update_fields=["expires_at", "extended_at", "reminded_at"])
        audit.record(user, "name.reservation_extended", locked, {"expires_at": locked.expires_at})
    return locked


def cancel_reservation(user: Any, reservation: NameReservation) -> NameReservation:
    """Release the name for everyone."""
    with transaction.atomic():
        locked = _own(user, reservation)
        locked.apply(ReservationAction.CANCEL, by=user)
        audit.record(user, "name.reservation_cancelled", locked)
    return locked


def use_reservation(user: Any, reservation: NameReservation, *, note: str = "") -> NameReservation:
    """An application takes the reserved name; the reservation ends (the register holds the
    name from then on)."""
    with transaction.atomic():
        locked = _own(user, reservation)
        if locked.expires_at <= timezone.now():
            raise ValidationError(_("This reservation has expired."))
        locked.apply(ReservationAction.USE, by=user, note=note)
        audit.record(user, "name.reservation_used", locked, {"note": note})
    return locked


def _expire_due(now: datetime, **lookup: str) -> int:
    due = (
        NameReservation.objects.select_for_update(skip_locked=True)
        .filter(status=ReservationStatus.ACTIVE, expires_at__lte=now, **lookup)
        .order_by("pk")
    )
    count = 0
    for reservation in due:
        reservation.apply(ReservationAction.EXPIRE, note="expiry date passed")
        audit.record(None, "name.reservation_expired", reservation)
        count += 1
    return count


def expire_reservations(now: datetime | None = None) -> int:
    """Expire every active reservation past its date (the scheduled job); safe to rerun."""
    with transaction.atomic():
        return _expire_due(now or timezone.now())


def remind_expiring_reservations(now: datetime | None = None) -> int:
    """Queue one reminder per reservation that expires within NAMES_REMINDER_DAYS."""
    now = now or timezone.now()
    soon = now + _days("NAMES_REMINDER_DAYS", 5)
    due = list(
        NameReservation.objects.filter(
            status=ReservationStatus.ACTIVE,
            reminded_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=soon,
        ).values_list("pk", flat=True)
    )
    for pk in due:
        transaction.on_commit(partial(tasks.send_reservation_reminder.delay, pk))
    return len(due)
