"""The operator sees certificates, revocations and keys; none is edited here. Certificates
are issued by the register's hook and revoked through actions.revoke_certificate; keys are
rotated and revoked with `manage.py certificate_key`."""

from django.contrib import admin

from singleportal.certificates.models import Certificate, CertificateRevocation, SigningKey
from singleportal.config.admin import ViewOnlyAdmin, admin_site


@admin.register(Certificate, site=admin_site)
class CertificateAdmin(ViewOnlyAdmin):
    list_display = ("id", "kind", "business", "version", "issued_at", "key")
    list_filter = ("kind",)
    list_select_related = ("business", "key")
    search_fields = ("id", "business__registration_number", "business__name_km")
    date_hierarchy = "issued_at"


@admin.register(CertificateRevocation, site=admin_site)
class CertificateRevocationAdmin(ViewOnlyAdmin):
    list_display = ("certificate", "at", "reason", "by_label")
    list_select_related = ("certificate__business",)


@admin.register(SigningKey, site=admin_site)
class SigningKeyAdmin(ViewOnlyAdmin):
    list_display = ("kid", "not_before", "revoked_at", "revocation_reason")
