from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class SinglePortalAdminSite(OTPAdminSite):
    """The operator's admin: staff only, and only after the second factor (TOTP)."""

    site_header = _("Single Portal administration")
    site_title = _("Single Portal administration")
    index_title = _("Operator tools")

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """One sign-in for everyone: the site's, with its lockout and second factor."""
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), reverse("accounts:login")
        )

    def logout(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return redirect("accounts:login")


admin_site = SinglePortalAdminSite(name="admin")
