"""Reads for the pages: a business's certificates for its owner, and a certificate's public
state for anyone."""

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.http import Http404

from singleportal.certificates import verification
from singleportal.certificates.actions import owner_of
from singleportal.certificates.keys import published_keys
from singleportal.certificates.models import (
    Certificate,
    CertificateRevocation,
    CertificateStatus,
    SigningKey,
)
from singleportal.core import db
from singleportal.registry.models import Business


def status_of(certificate: Certificate) -> str:
    if hasattr(certificate, "revocation"):
        return CertificateStatus.REVOKED
    if hasattr(certificate, "superseded_by"):
        return CertificateStatus.SUPERSEDED
    return CertificateStatus.CURRENT


def business_for_owner(user: Any, registration_number: str) -> Business:
    """A business whose certificates `user` may see (the owner of its application); 404
    otherwise, never saying whether it exists."""
    business = Business.objects.filter(registration_number=registration_number).first()
    if business is None:
        raise Http404
    owner = owner_of(business)
    if owner is None or owner.pk != user.pk:
        raise Http404
    return business


def certificates_of(business: Business) -> list[tuple[Certificate, str]]:
    found = (
        Certificate.objects.filter(business=business)
        .select_related("revocation", "superseded_by")
        .order_by("issued_at", "version")
    )
    return [(c, status_of(c)) for c in found]


def certificate_for_owner(user: Any, certificate_id: Any) -> Certificate:
    certificate = Certificate.objects.select_related("business").filter(pk=certificate_id).first()
    if certificate is None:
        raise Http404
    business_for_owner(user, certificate.business.registration_number)
    return certificate


def verification_version(certificate_id: uuid.UUID) -> str | None:
    """A string that changes whenever the answer of /verify/<id> can: the certificate's
    revocation, the certificate that supersedes it, and the published keys (a revoked or added
    key changes what a payload check says); None if there is no such certificate. One query,
    written out and prepared (see registry.selectors.version_of)."""
    certificate = Certificate._meta.db_table
    revocation = CertificateRevocation._meta.db_table
    key = SigningKey._meta.db_table
    row = db.fetch_one(
        f"SELECT (SELECT r.id FROM {revocation} r WHERE r.certificate_id = c.id), "  # noqa: S608 - our table names
        f"(SELECT s.id FROM {certificate} s WHERE s.supersedes_id = c.id), "
        f"(SELECT count(*) FROM {key}), (SELECT count(revoked_at) FROM {key}), "
        f"(SELECT max(revoked_at) FROM {key}) FROM {certificate} c WHERE c.id = %s",
        [Certificate._meta.pk.get_db_prep_value(certificate_id, connection)],
    )
    if row is None:
        return None
    raw = "\x1f".join(str(value) for value in (certificate_id, *row)).encode()
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass(frozen=True)
class Verification:
    certificate: Certificate | None
    state: str  # current, superseded, revoked, not_found
    reason: str = ""
    current: Certificate | None = None
    payload_checked: bool = False
    payload_genuine: bool = False
    payload_reason: str = ""


def verify(certificate_id: Any, payload: str = "") -> Verification:
    """The public answer of /verify/<id>: the certificate's state, and, when the QR code's
    payload came with the request, whether that payload is genuine and names this certificate."""
    certificate = (
        Certificate.objects.select_related("business", "key", "revocation", "superseded_by")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        return Verification(None, "not_found")
    checked = genuine = False
    reason = ""
    if payload:
        checked = True
        outcome = verification.check_payload(payload, verification.keys_by_id(published_keys()))
        genuine = outcome.genuine and outcome.claims.get("id") == str(certificate.pk)
        reason = outcome.reason if not outcome.genuine else ("" if genuine else "other")
    if certificate.key.revoked_at is not None:
        return Verification(certificate, "revoked", "revoked key", None, checked, genuine, reason)
    state = status_of(certificate)
    if state == CertificateStatus.REVOKED:
        return Verification(
            certificate, state, certificate.revocation.reason, None, checked, genuine, reason
        )
    current = None
    if state == CertificateStatus.SUPERSEDED:
        current = (
            Certificate.objects.filter(business=certificate.business, kind=certificate.kind)
            .order_by("-version")
            .first()
        )
    return Verification(certificate, state, "", current, checked, genuine, reason)
