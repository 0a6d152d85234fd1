"""Pages: public verification and published keys; a business's certificates for its owner."""

import uuid

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from singleportal.certificates import actions, selectors
from singleportal.certificates.keys import published_keys
from singleportal.core.access import public, signed_in
from singleportal.core.page_memory import PageMemory

# Anonymous visitors' verification pages, whole, per process, by (version, language, path):
# a QR code is scanned again and again, and its answer changes only with the version.
verification_pages = PageMemory()


@public
@require_safe
def verify(request: HttpRequest, certificate_id: uuid.UUID) -> HttpResponse:
    """Anyone, no sign-in: is this certificate genuine, current, superseded or revoked? A
    verification already shown costs one query while nothing it says has changed."""
    version = selectors.verification_version(certificate_id)
    kept = version is not None and verification_pages.serves(request)
    page_key = (version, get_language(), request.get_full_path())
    if kept and (remembered := verification_pages.recall(page_key, request)) is not None:
        return remembered
    result = selectors.verify(certificate_id, request.GET.get("p", "")[:4000])
    status = 404 if result.state == "not_found" else 200
    response = render(request, "certificates/verify.html", {"result": result}, status=status)
    if kept and status == 200:
        verification_pages.keep(page_key, request, response)
    return response


@public
def keys(request: HttpRequest) -> HttpResponse:
    """Anyone: the public keys that verify certificates offline (JWKS-style)."""
    response = JsonResponse(published_keys())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@signed_in
def business_certificates(request: HttpRequest, registration_number: str) -> HttpResponse:
    """The owner of the business (who filed its application): its certificates, and a button
    to issue a business extract. Anyone else: 404."""
    business = selectors.business_for_owner(request.user, registration_number)
    context = {"business": business, "certificates": selectors.certificates_of(business)}
    return render(request, "certificates/business.html", context)


@signed_in
@require_POST
def issue_extract(request: HttpRequest, registration_number: str) -> HttpResponse:
    """The owner only (404 for anyone else)."""
    business = selectors.business_for_owner(request.user, registration_number)
    actions.issue_extract(business, by=request.user)
    return redirect("certificates:business", business.registration_number)


@signed_in
def download(request: HttpRequest, certificate_id: str) -> FileResponse:
    """The owner of the business only (404 for anyone else)."""
    certificate = selectors.certificate_for_owner(request.user, certificate_id)
    number = certificate.business.registration_number
    filename = f"{certificate.kind}-{number}-v{certificate.version}.pdf"
    return FileResponse(
        certificate.pdf.open("rb"), content_type="application/pdf", filename=filename
    )
