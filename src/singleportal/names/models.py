"""Name rules and restricted words (data the operator edits), and name reservations.

A reservation's life:

        reserve               use (an application takes the name)
    ──────────▶ ACTIVE ──────────────────────────────────▶ USED
                 │  ▲
        extend   │  │ (once)      cancel
                 └──┘   ACTIVE ─────────────▶ CANCELLED
                        ACTIVE ─────────────▶ EXPIRED   (the hourly job, past expires_at)

Allowed moves are in TRANSITIONS; every move appends a ReservationEvent (who, when, from, to,
why). At most one ACTIVE reservation holds a normalised name in each script (partial unique
constraints), which is what makes two simultaneous reservations of one name end with exactly
one winner.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from singleportal.registry.models import LegalForm


class Script(models.TextChoices):
    LATIN = "latin", _("Latin")
    KHMER = "khmer", _("Khmer")


class RuleStage(models.TextChoices):
    IDENTITY = "identity", _("identity (same name)")
    SIMILARITY = "similarity", _("similarity (search key only)")


class NameRule(models.Model):
    """One normalisation rule; `kind` names the operation in names/normalization.py and
    `params` holds its data (word lists, the similarity threshold)."""

    code = models.CharField(_("rule id"), max_length=40, unique=True)
    script = models.CharField(_("script"), max_length=8, choices=Script.choices)
    kind = models.CharField(_("operation"), max_length=40)
    stage = models.CharField(
        _("stage"), max_length=12, choices=RuleStage.choices, default=RuleStage.IDENTITY
    )
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    description_km = models.TextField(_("description in Khmer"))
    description_en = models.TextField(_("description in English"))
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["script", "position", "code"]
        verbose_name = _("name rule")
        verbose_name_plural = _("name rules")

    def __str__(self) -> str:
        return self.code


class WordKind(models.TextChoices):
    FORBIDDEN = "forbidden", _("forbidden")
    RESTRICTED = "restricted", _("restricted (needs a licence or approval)")


class RestrictedWord(models.Model):
    code = models.CharField(_("id"), max_length=40, unique=True)
    script = models.CharField(_("script"), max_length=8, choices=Script.choices)
    word = models.CharField(_("word or phrase"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=WordKind.choices)
    reason_km = models.TextField(_("reason in Khmer"))
    reason_en = models.TextField(_("reason in English"))
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["script", "kind", "word"]
        verbose_name = _("forbidden or restricted word")
        verbose_name_plural = _("forbidden and restricted words")

    def __str__(self) -> str:
        return f"{self.word} ({self.kind})"

    def reason(self) -> str:
        if (get_language() or "").startswith("en"):
            return self.reason_en or self.reason_km
        return self.reason_km or self.reason_en


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", _("Reserved")
    USED = "used", _("Used in an application")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class ReservationAction(models.TextChoices):
    RESERVE = "reserve", _("reserved")
    EXTEND = "extend", _("extended")
    USE = "use", _("used")
    CANCEL = "cancel", _("cancelled")
    EXPIRE = "expire", _("expired")
    REMIND = "remind", _("reminded")


TRANSITIONS: dict[tuple[str, str], str] = {
    (ReservationStatus.ACTIVE, ReservationAction.EXTEND): ReservationStatus.ACTIVE,
    (ReservationStatus.ACTIVE, ReservationAction.USE): ReservationStatus.USED,
    (ReservationStatus.ACTIVE, ReservationAction.CANCEL): ReservationStatus.CANCELLED,
    (ReservationStatus.ACTIVE, ReservationAction.EXPIRE): ReservationStatus.EXPIRED,
    (ReservationStatus.ACTIVE, ReservationAction.REMIND): ReservationStatus.ACTIVE,
}


class NameReservation(models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="name_reservations",
        verbose_name=_("applicant"),
    )
    name_km = models.CharField(_("name in Khmer"), max_length=255)
    name_en = models.CharField(_("name in Latin letters"), max_length=255)
    name_km_normalized = models.CharField(max_length=255, db_index=True, editable=False)
    name_en_normalized = models.CharField(max_length=255, db_index=True, editable=False)
    legal_form = models.CharField(_("legal form"), max_length=48, choices=LegalForm.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReservationStatus.choices,
        default=ReservationStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("reserved at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("name reservation")
        verbose_name_plural = _("name reservations")
        constraints = [
            models.UniqueConstraint(
                fields=["name_km_normalized"],
                condition=Q(status="active"),
                name="names_one_active_reservation_km",
            ),
            models.UniqueConstraint(
                fields=["name_en_normalized"],
                condition=Q(status="active"),
                name="names_one_active_reservation_en",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_km} / {self.name_en}"

    @property
    def can_extend(self) -> bool:
        return self.status == ReservationStatus.ACTIVE and self.extended_at is None

    def apply(self, action: str, *, by: Any = None, note: str = "") -> "ReservationEvent":
        """Move along TRANSITIONS and append the event; the caller holds the row lock."""
        target = TRANSITIONS.get((self.status, action))
        if target is None:
            raise ValidationError(_("This reservation can no longer be changed."))
        previous = self.status
        self.status = target
        if target != ReservationStatus.ACTIVE:
            self.closed_at = timezone.now()
        self.save()
        return ReservationEvent.objects.create(
            reservation=self,
            action=action,
            from_status=previous,
            to_status=target,
            actor=by if getattr(by, "pk", None) else None,
            note=note,
        )


class ReservationEvent(models.Model):
    """Append-only history of a reservation."""

    reservation = models.ForeignKey(NameReservation, models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=ReservationAction.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}->{self.to_status}"
