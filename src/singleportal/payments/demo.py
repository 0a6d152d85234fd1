"""Demo payments: the demo's files are paid as the sandbox bank's webhook would report them
(the same action a verified webhook calls), so the agencies' work starts."""

from datetime import UTC, datetime
from typing import Any

from singleportal.payments import actions
from singleportal.payments.models import Invoice
from singleportal.payments.providers import PAYMENT, ProviderEventData


def sandbox_event(
    bill_number: str,
    amount: int,
    *,
    event_id: str,
    transaction_id: str,
    currency: str = "KHR",
    kind: str = PAYMENT,
    refund_of: str | None = None,
    occurred_at: datetime | None = None,
    payer_account: str = "sokha@aba",
) -> ProviderEventData:
    """An event shaped as the sandbox bank sends it (the contract in sandbox_bank)."""
    occurred = occurred_at or datetime.now(UTC)
    body: dict[str, Any] = {
        "id": event_id,
        "type": kind,
        "created": int(occurred.timestamp()),
        "data": {
            "transaction_id": transaction_id,
            "bill_number": bill_number,
            "amount": amount,
            "currency": currency,
            "occurred_at": occurred.isoformat().replace("+00:00", "Z"),
            "payer_account": payer_account,
            "refund_of": refund_of,
        },
    }
    return ProviderEventData(
        event_id=event_id,
        kind=kind,
        transaction_id=transaction_id,
        bill_number=bill_number,
        amount=amount,
        currency=currency,
        occurred_at=occurred,
        payer_account=payer_account,
        refund_of=refund_of,
        body=body,
    )


def pay(application: Any) -> None:
    """Pay the file's invoice in full; a second call is a replay and changes nothing."""
    invoice = Invoice.objects.filter(application=application).first()
    if invoice is None:
        return
    reference = invoice.reference
    event = sandbox_event(
        reference,
        invoice.total,
        event_id=f"evt_demo_{reference}",
        transaction_id=f"txn_demo_{reference}",
    )
    actions.receive_event("sandbox", event)
