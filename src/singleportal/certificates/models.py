"""Certificates the agencies issue through the platform, and the keys that sign them.

A certificate is immutable (AppendOnly). Its status is derived from append-only facts:

    current --(a newer version of the same kind for the business)--> superseded
    current or superseded --(CertificateRevocation)--> revoked

A newer version names the one it replaces in `supersedes` (at most once: one-to-one).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from singleportal.core.models import AppendOnly
from singleportal.registry.models import Business, BusinessRecord, RecordKind


class CertificateKind(models.TextChoices):
    REGISTRATION = "registration", _("Certificate of incorporation / registration")
    TAX_REGISTRATION = "tax_registration", _("Tax registration certificate")
    PATENT_TAX = "patent_tax", _("Patent tax certificate")
    OPENING_DECLARATION = "opening_declaration", _("Declaration of opening")
    ADDRESS_CONFIRMATION = "address_confirmation", _("Address confirmation")
    INVESTMENT_REGISTRATION = "investment_registration", _("QIP registration certificate")
    EXTRACT = "extract", _("Business extract")


# Each kind of record on the register is certified by the certificate of the same code.
KIND_OF_RECORD = {kind.value: CertificateKind(kind.value) for kind in RecordKind}


class CertificateStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class SigningKey(models.Model):
    """The public half of a key that signed certificates; the private half stays in a file
    (settings.CERTIFICATE_SIGNING_KEY_FILE). Every key ever used stays here and is published,
    so older certificates keep verifying after a rotation; a revoked key fails them."""

    kid = models.CharField(_("key id"), max_length=32, unique=True)
    public_key = models.CharField(_("public key (base64url)"), max_length=64)
    not_before = models.DateTimeField(_("in use from"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=255, blank=True)

    class Meta:
        ordering = ["-not_before"]
        verbose_name = _("certificate signing key")
        verbose_name_plural = _("certificate signing keys")

    def __str__(self) -> str:
        return self.kid


def certificate_path(instance: "Certificate", filename: str) -> str:
    return f"certificates/{instance.issued_at:%Y/%m}/{instance.id}.pdf"


class Certificate(AppendOnly):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=CertificateKind.choices)
    business = models.ForeignKey(
        Business, models.PROTECT, related_name="certificates", verbose_name=_("business")
    )
    # The register's record this certifies; none for an extract (it certifies the whole entry).
    record = models.OneToOneField(
        BusinessRecord,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate",
        verbose_name=_("record"),
    )
    version = models.PositiveIntegerField(_("version"))
    supersedes = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    issued_at = models.DateTimeField(_("issued at"))
    pdf = models.FileField(_("PDF"), upload_to=certificate_path, max_length=200)
    body_sha256 = models.CharField(_("SHA-256 of the PDF body"), max_length=64)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    payload = models.TextField(_("signed payload"))
    key = models.ForeignKey(
        SigningKey, models.PROTECT, related_name="certificates", verbose_name=_("signing key")
    )
    # What the certificate states, as signed and printed (names, numbers, dates, details).
    facts = models.JSONField(_("certified facts"), default=dict)

    class Meta:
        ordering = ["business", "kind", "version"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "kind", "version"], name="certificate_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.business.registration_number} v{self.version}"


class CertificateRevocation(AppendOnly):
    """A certificate withdrawn by its agency (issued in error, fraud): it no longer verifies."""

    certificate = models.OneToOneField(
        Certificate, models.PROTECT, related_name="revocation", verbose_name=_("certificate")
    )
    at = models.DateTimeField(_("revoked at"))
    reason = models.CharField(_("reason"), max_length=255)
    by_label = models.CharField(_("revoked by"), max_length=150)

    class Meta:
        verbose_name = _("certificate revocation")
        verbose_name_plural = _("certificate revocations")

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.reason}"
