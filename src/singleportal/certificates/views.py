"""Pages: public verification and published keys; a business's certificates for its owner."""

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from singleportal.certificates import actions, selectors
from singleportal.certificates.keys import published_keys
from singleportal.core.access import public, signed_in


@public
def verify(request: HttpRequest, certificate_id: str) -> HttpResponse:
    """Anyone, no sign-in: is this certificate genuine, current, superseded or revoked?"""
    result = selectors.verify(certificate_id, request.GET.get("p", "")[:4000])
    status = 404 if result.state == "not_found" else 200
    return render(request, "certificates/verify.html", {"result": result}, status=status)


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
