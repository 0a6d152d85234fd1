"""Issuing, superseding and revoking certificates, and revoking a signing key."""

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from singleportal.audit import chain as audit
from singleportal.certificates import keys, rendering, verification
from singleportal.certificates.models import (
    KIND_OF_RECORD,
    Certificate,
    CertificateKind,
    CertificateRevocation,
    SigningKey,
)
from singleportal.core.locks import hold_lock
from singleportal.registry.models import Business, BusinessRecord


def on_recorded(record: BusinessRecord) -> None:
    """registry.hooks.recorded: certify the new record once its transaction commits."""
    if record.kind not in KIND_OF_RECORD:
        return
    from singleportal.certificates import tasks

    record_id = record.pk
    transaction.on_commit(lambda: tasks.issue_certificate.delay(record_id))


def _hold_issuing(business_id: int) -> Business:
    """One issuer at a time per business, so that versions count up without gaps or twins;
    returns the business as of then. Not the business's row lock: an agency's decision locks
    that row after taking the audit chain's head, which an issuer takes last."""
    hold_lock(f"certificates:{business_id}")
    return Business.objects.get(pk=business_id)


def _issue(business: Business, kind: str, record: BusinessRecord | None) -> Certificate:
    """Render, sign and store a new version of `kind` for `business`; the previous current
    one of that kind is superseded by it. Call inside a transaction after _hold_issuing."""
    loaded, key_row = keys.current_signing_key()
    previous = Certificate.objects.filter(business=business, kind=kind).order_by("-version").first()
    certificate_id = uuid.uuid4()
    issued_at = timezone.now()
    version = previous.version + 1 if previous else 1
    facts = rendering.facts_for(business, kind, record)
    body = rendering.render_body(str(certificate_id), facts, version, issued_at)
    claims: dict[str, Any] = {
        "v": 1,
        "id": str(certificate_id),
        "t": kind,
        "n": business.registration_number,
        "km": business.name_km,
        "en": business.name_en,
        "d": timezone.localdate(issued_at).isoformat(),
        "ver": version,
        "k": loaded.kid,
        "u": settings.SITE_URL.rstrip("/"),
        **verification.body_facts(body),
    }
    payload = verification.encode_payload(
        claims, loaded.private.sign(verification.signed_bytes(claims))
    )
    url = verification.verification_url(claims["u"], claims["id"], payload)
    pdf = body + verification.append_update(body, payload, url)
    certificate = Certificate(
        id=certificate_id,
        kind=kind,
        business=business,
        record=record,
        version=version,
        supersedes=previous,
        issued_at=issued_at,
        body_sha256=claims["h"],
        file_sha256=hashlib.sha256(pdf).hexdigest(),
        payload=payload,
        key=key_row,
        facts=facts,
    )
    certificate.pdf.save(f"{certificate_id}.pdf", ContentFile(pdf), save=False)
    # The insert locks the business's row against key changes (a TIN being set) until the
    # commit: take the audit head before it, never while holding it (audit.chain.hold_head).
    audit.hold_head()
    certificate.save()
    audit.record(None, "certificate.issued", certificate, {"kind": kind, "version": version})
    return certificate


def issue_for_record(record_id: int) -> Certificate:
    """The certificate of one record on the register. Idempotent: one certificate per record."""
    with transaction.atomic():
        record = BusinessRecord.objects.get(pk=record_id)
        existing = Certificate.objects.filter(record=record).first()
        if existing is not None:
            return existing
        business = _hold_issuing(record.business_id)
        existing = Certificate.objects.filter(record=record).first()
        if existing is not None:
            return existing
        return _issue(business, KIND_OF_RECORD[record.kind], record)


def issue_missing() -> int:
    """Certify every record that has no certificate yet; returns how many were issued. For
    records appended while no signing key was configured, or whose task was lost."""
    issued = 0
    waiting = BusinessRecord.objects.filter(
        certificate__isnull=True, kind__in=list(KIND_OF_RECORD)
    ).order_by("pk")
    for record_id in list(waiting.values_list("pk", flat=True)):
        issue_for_record(record_id)
        issued += 1
    return issued


def owner_of(business: Business) -> Any:
    """The owner of the application that registered the business (none for imported ones)."""
    from singleportal.applications.models import Application

    if not business.application_reference:
        return None
    application = (
        Application.objects.select_related("owner")
        .filter(reference=business.application_reference)
        .first()
    )
    return application.owner if application else None


def issue_extract(business: Business, *, by: Any) -> Certificate:
    """A business extract (the whole entry, as of today) for the business's owner; it
    supersedes the previous extract."""
    owner = owner_of(business)
    if owner is None or owner.pk != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        business = _hold_issuing(business.pk)
        certificate = _issue(business, CertificateKind.EXTRACT, None)
        audit.record(by, "certificate.extract_requested", certificate)
    return certificate


def revoke_certificate(certificate: Certificate, *, by: Any, reason: str) -> CertificateRevocation:
    """Withdraw a certificate (issued in error, fraud): /verify shows it revoked from now on."""
    with transaction.atomic():
        revocation, _ = CertificateRevocation.objects.get_or_create(
            certificate=certificate,
            defaults={"at": timezone.now(), "reason": reason, "by_label": str(by or "system")},
        )
        audit.record(by, "certificate.revoked", certificate, {"reason": reason})
    return revocation


def revoke_signing_key(kid: str, *, by: Any, reason: str) -> SigningKey:
    """Revoke a signing key (lost or leaked): every certificate it signed fails verification
    with "revoked key", and it signs no more. Revoking is final."""
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().get(kid=kid)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.revocation_reason = reason
            key.save(update_fields=["revoked_at", "revocation_reason"])
            audit.record(by, "certificate.key_revoked", key, {"reason": reason})
    return key
