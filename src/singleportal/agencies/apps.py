from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "singleportal.agencies"
    verbose_name = _("Agencies")

    def ready(self) -> None:
        from singleportal.agencies import actions
        from singleportal.applications import hooks

        hooks.on_submitted(actions.plan_tasks)
        hooks.withdrawn.add(actions.cancel_tasks)
