from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class SinglePortalAdminSite(OTPAdminSite):
    """The operator's admin: staff only, and only after the second factor (TOTP)."""

    site_header = _("Single Portal administration")
    site_title = _("Single Portal administration")
    index_title = _("Operator tools")


admin_site = SinglePortalAdminSite(name="admin")
