"""Payment providers: the edge of the world, behind one interface.

A provider tells us about money by signed webhooks, answers when we ask about a bill (the
fallback when a webhook is late), and sends refunds. The sandbox bank shipped with the project
(`singleportal sandbox-bank`) is the one implementation; a Bakong or card-gateway adapter
implements the same Protocol. Its contract is tested against the running sandbox
(tests/payments/test_provider_contract.py).
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from django.conf import settings

PAYMENT = "payment.succeeded"
REFUND = "refund.succeeded"


class WebhookRefused(Exception):
    """The request is not a genuine, fresh notification; `reason` says why (for the provider's
    logs, so in English)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered with an error: try again later."""


@dataclass(frozen=True)
class ProviderEventData:
    event_id: str
    kind: str
    transaction_id: str
    bill_number: str
    amount: int  # minor units of `currency`
    currency: str
    occurred_at: datetime
    payer_account: str
    refund_of: str | None
    body: dict[str, Any]


class PaymentProvider(Protocol):
    name: str

    def verify_webhook(
        self, headers: Mapping[str, str], body: bytes, now: float
    ) -> ProviderEventData: ...

    def events_for(self, bill_number: str) -> list[ProviderEventData]: ...

    def refund(self, transaction_id: str, amount: int, reference: str) -> ProviderEventData: ...

    def pay_url(self, khqr: str, return_url: str) -> str | None: ...


def event_from(body: dict[str, Any]) -> ProviderEventData:
    """The contract's event object, checked field by field."""
    try:
        data = body["data"]
        occurred = datetime.fromisoformat(data["occurred_at"].replace("Z", "+00:00"))
        event = ProviderEventData(
            event_id=str(body["id"]),
            kind=str(body["type"]),
            transaction_id=str(data["transaction_id"]),
            bill_number=str(data["bill_number"]),
            amount=int(data["amount"]),
            currency=str(data["currency"]),
            occurred_at=occurred if occurred.tzinfo else occurred.replace(tzinfo=UTC),
            payer_account=str(data.get("payer_account") or ""),
            refund_of=data.get("refund_of"),
            body=body,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise WebhookRefused(f"malformed event: {exc!r}") from exc
    if event.kind not in (PAYMENT, REFUND) or event.amount <= 0 or not event.event_id:
        raise WebhookRefused("malformed event: unknown type or amount")
    return event


class SandboxBank:
    """Client of the sandbox bank (src/singleportal/sandbox_bank) over HTTP."""

    name = "sandbox"
    signature_header = "X-Sandbox-Signature"

    def __init__(
        self,
        base_url: str,
        webhook_secret: str,
        api_key: str,
        public_url: str = "",
        tolerance_seconds: int = 300,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.public_url = (public_url or base_url).rstrip("/")  # what browsers reach
        self.webhook_secret = webhook_secret.encode()
        self.api_key = api_key
        self.tolerance_seconds = tolerance_seconds

    def verify_webhook(
        self, headers: Mapping[str, str], body: bytes, now: float
    ) -> ProviderEventData:
        parts = dict(
            item.split("=", 1)
            for item in headers.get(self.signature_header, "").split(",")
            if "=" in item
        )
        if "t" not in parts or "v1" not in parts:
            raise WebhookRefused("missing signature")
        try:
            timestamp = int(parts["t"])
        except ValueError as exc:
            raise WebhookRefused("malformed signature timestamp") from exc
        expected = hmac.new(
            self.webhook_secret, f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(expected, parts["v1"]):
            raise WebhookRefused("bad signature")
        # Checked after the signature, so a forger learns nothing about our clock.
        if abs(now - timestamp) > self.tolerance_seconds:
            raise WebhookRefused("stale timestamp")
        try:
            decoded = json.loads(body)
        except ValueError as exc:
            raise WebhookRefused("body is not JSON") from exc
        if not isinstance(decoded, dict):
            raise WebhookRefused("body is not a JSON object")
        return event_from(decoded)

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(  # noqa: S310 (the configured provider's http(s) URL)
            self.base_url + path,
            method=method,
            data=json.dumps(payload).encode() if payload is not None else None,
            headers={"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode(errors="replace")
            raise ProviderUnavailable(f"{exc.code} {detail}") from exc
        except (OSError, ValueError) as exc:
            raise ProviderUnavailable(str(exc)) from exc

    def events_for(self, bill_number: str) -> list[ProviderEventData]:
        query = urllib.parse.urlencode({"bill_number": bill_number})
        answer = self._call("GET", f"/api/v1/events?{query}")
        return [event_from(body) for body in answer["events"]]

    def refund(self, transaction_id: str, amount: int, reference: str) -> ProviderEventData:
        answer = self._call(
            "POST",
            "/api/v1/refunds",
            {"transaction_id": transaction_id, "amount": amount, "reference": reference},
        )
        return event_from(answer["event"])

    def pay_url(self, khqr: str, return_url: str) -> str | None:
        query = urllib.parse.urlencode({"khqr": khqr, "return_url": return_url})
        return f"{self.public_url}/pay?{query}"


def provider(name: str | None = None) -> PaymentProvider | None:
    """The configured provider, when `name` is None or names it; else None (a provider that is
    not configured accepts no webhooks and sends no refunds)."""
    if name not in (None, settings.PAYMENT_PROVIDER) or settings.PAYMENT_PROVIDER != "sandbox":
        return None
    return SandboxBank(
        settings.PAYMENT_SANDBOX_URL,
        settings.PAYMENT_WEBHOOK_SECRET,
        settings.PAYMENT_API_KEY,
        public_url=settings.PAYMENT_SANDBOX_PUBLIC_URL,
    )
