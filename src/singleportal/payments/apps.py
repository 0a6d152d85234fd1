from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "singleportal.payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from singleportal.applications import hooks
        from singleportal.payments import actions

        hooks.on_submitted(actions.issue_invoice)
        hooks.withdrawn.add(actions.cancel_invoice)
        hooks.rejected.add(actions.refund_rejected)
        hooks.fee_questions.add(actions.invoice_unpaid)
