"""Reads for the pages: a business's certificates for its owner, and a certificate's public
state for anyone."""

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from singleportal.certificates import verification
from singleportal.certificates.actions import owner_of
from singleportal.certificates.keys import published_keys
from singleportal.certificates.models import Certificate, CertificateStatus
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
