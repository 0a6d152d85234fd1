from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "singleportal.certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from django.core import checks

        from singleportal.certificates import actions
        from singleportal.certificates.checks import signing_key_configured
        from singleportal.registry import hooks

        hooks.recorded.add(actions.on_recorded)
        checks.register(signing_key_configured, checks.Tags.security, deploy=True)
