from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "singleportal.registry"
    verbose_name = _("Business registry")

    def ready(self) -> None:
        from singleportal.registry import events, hooks

        # Every record appended to the register (registration, TIN, declarations...) becomes an
        # event of the change stream, in the same transaction.
        hooks.recorded.add(events.on_recorded)
