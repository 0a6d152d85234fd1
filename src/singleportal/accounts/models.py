"""Users sign in with an email address or a Cambodian mobile number; roles are rows."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    REPRESENTATIVE = "representative", _("Representative")
    OFFICER = "officer", _("Agency officer")
    OPERATOR = "operator", _("Platform operator")
    ASSOCIATION_STAFF = "association_staff", _("Association staff")
    PROGRAMME_STAFF = "programme_staff", _("Programme staff")
    BUYER = "buyer", _("Buyer")


# Officers and operators decide on other people's files: they must prove a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.OFFICER, Role.OPERATOR})


class OfficerLevel(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    REVIEWER = "reviewer", _("Reviewer")
    HEAD = "head", _("Head")


class Language(models.TextChoices):
    KHMER = "km", _("Khmer")
    ENGLISH = "en", _("English")


class User(AbstractUser):
    """`username` holds the sign-in identifier: the email in lower case or the E.164 number."""

    # NULL, not "", when absent: the unique constraints must allow many users without one.
    email = models.EmailField(_("email address"), blank=True, null=True)  # type: ignore[assignment]  # noqa: DJ001
    phone = models.CharField(_("mobile phone number"), max_length=16, blank=True, null=True)  # noqa: DJ001
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KHMER
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.UniqueConstraint("phone", name="user_phone_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def roles(self) -> set[str]:
        cached = getattr(self, "_roles", None)
        if cached is None:
            cached = set(self.role_assignments.values_list("role", flat=True))
            self._roles = cached
        return cached

    def has_any_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    @property
    def is_officer(self) -> bool:
        return self.has_any_role(Role.OFFICER)

    @property
    def is_programme_staff(self) -> bool:
        return self.has_any_role(Role.PROGRAMME_STAFF)

    @property
    def needs_second_factor(self) -> bool:
        return self.is_staff or self.has_any_role(*SECOND_FACTOR_ROLES)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("agency")
    )
    level = models.CharField(
        _("level"), max_length=16, choices=OfficerLevel.choices, blank=True, default=""
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency"], name="role_once_per_agency"),
            models.CheckConstraint(
                condition=~models.Q(role=Role.OFFICER)
                | (models.Q(agency__isnull=False) & ~models.Q(level="")),
                name="officer_has_agency_and_level",
            ),
        ]

    def __str__(self) -> str:
        if self.agency_id:
            return f"{self.get_role_display()} ({self.agency}, {self.get_level_display()})"
        return str(self.get_role_display())


class CodePurpose(models.TextChoices):
    VERIFY = "verify", _("Verify contact")
    RESET = "reset", _("Reset password")


def _new_salt() -> str:
    return secrets.token_hex(16)


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class Channel(models.TextChoices):
    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")


class OneTimeCode(models.Model):
    """A six-digit code sent by email or SMS.

    The code is never stored: it is an HMAC of the row and a random salt under the site's secret
    key, so the delivery task, given only the row's id, can compute it again.
    """

    MAX_ATTEMPTS = 5

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    purpose = models.CharField(max_length=16, choices=CodePurpose.choices)
    salt = models.CharField(max_length=32, default=_new_salt)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.get_channel_display()})"

    @property
    def code(self) -> str:
        digest = hmac.new(
            settings.SECRET_KEY.encode(), f"{self.pk}:{self.salt}".encode(), hashlib.sha256
        ).digest()
        return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"

    def matches(self, candidate: str) -> bool:
        return hmac.compare_digest(self.code, candidate.strip())

    @property
    def usable(self) -> bool:
        return (
            self.used_at is None
            and self.attempts < self.MAX_ATTEMPTS
            and timezone.now() < self.expires_at
        )


class ApiToken(models.Model):
    """A personal API token; the clear value is shown once and only its hash is kept."""

    PREFIX = "sp_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)  # first characters, to recognise a token in a list
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"
