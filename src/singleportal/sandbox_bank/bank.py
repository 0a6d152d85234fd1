"""The sandbox bank itself: pay a KHQR code, refund, list events, serve HTTP."""

import logging
import signal
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer

from singleportal.payments.khqr import decode, is_expired

from .store import Event, RefundRefused, Store, event_body
from .webhooks import WebhookSender

logger = logging.getLogger(__name__)

NOTIFY_CHOICES = ("now", "late", "never")
DEFAULT_PAYER = "demo.payer@aba"


class PaymentRefused(ValueError):
    """The bank app will not pay this code (expired, bad form); the message says why."""


class SandboxBank:
    def __init__(
        self,
        bind: str = "127.0.0.1:0",
        *,
        webhook_url: str,
        webhook_secret: str,
        api_key: str,
        db_path: str = ":memory:",
        retry_delays: Sequence[float] = (1, 2, 4, 8, 16, 32),
        late_delay: float = 60,
    ) -> None:
        if not api_key or not webhook_secret:
            raise ValueError("the sandbox bank needs an API key and a webhook secret")
        host, _, port = bind.rpartition(":")
        self.address = (host or "127.0.0.1", int(port))
        self.api_key = api_key
        self.late_delay = late_delay
        self.store = Store(db_path)
        self.webhooks = WebhookSender(
            webhook_url, webhook_secret, retry_delays, self.store.record_attempt
        )
        self._server: ThreadingHTTPServer | None = None

    # The bank's operations, shared by the pages, the API and tests.

    def pay(self, khqr: str, payer_account: str = DEFAULT_PAYER, notify: str = "now") -> Event:
        """Pay a KHQR code once: paying it again returns the first payment's event and sends
        nothing. Raises KhqrError for a code that does not decode, PaymentRefused else."""
        payload = khqr.strip()
        code = decode(payload)
        existing = self.store.payment_event(payload)
        if existing is not None:
            return existing
        if notify not in NOTIFY_CHOICES:
            raise PaymentRefused(f"notify must be one of {', '.join(NOTIFY_CHOICES)}")
        payer_account = payer_account.strip()
        if not 0 < len(payer_account) <= 64 or "@" not in payer_account:
            raise PaymentRefused("the payer account looks like name@bank")
        if is_expired(code, int(time.time() * 1000)):
            raise PaymentRefused("this code has expired")
        event = _new_event(
            "payment.succeeded",
            bill_number=code.bill_number,
            amount=code.amount,
            currency=code.currency,
            payer_account=payer_account,
            refund_of=None,
        )
        event, created = self.store.record_payment(payload, event)
        if created and notify != "never":
            self._send(event, delay=self.late_delay if notify == "late" else 0)
        return event

    def refund(self, transaction_id: str, amount: int, reference: str) -> Event:
        """Refund part or all of a payment, once per merchant reference, never above the
        payment's amount in total. Raises RefundRefused."""
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise RefundRefused("amount must be a positive whole number of minor units")
        if not isinstance(reference, str) or not reference:
            raise RefundRefused("reference (the merchant's idempotency key) is required")

        def refund_event(payment: Event) -> Event:
            data = payment["data"]
            return _new_event(
                "refund.succeeded",
                bill_number=data["bill_number"],
                amount=amount,
                currency=data["currency"],
                payer_account=data["payer_account"],
                refund_of=data["transaction_id"],
            )

        event, created = self.store.record_refund(
            reference, str(transaction_id), amount, refund_event
        )
        if created:
            self._send(event, delay=0)
        return event

    def events_for_bill(self, bill_number: str) -> list[Event]:
        return self.store.events_for_bill(bill_number)

    def _send(self, event: Event, delay: float) -> None:
        # The stored body is the one signed on every attempt, byte for byte.
        self.webhooks.send(event["id"], event_body(event).encode(), delay)

    # Serving.

    def _make_server(self) -> ThreadingHTTPServer:
        from .server import BankHTTPServer

        return BankHTTPServer(self.address, self)

    def start(self) -> str:
        """Serve in a daemon thread; returns the base URL (port 0 picks a free port)."""
        self._server = self._make_server()
        # A short poll makes stop() quick, which a test suite starting many banks notices.
        thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="sandbox bank"
        )
        thread.daemon = True
        thread.start()
        return self.base_url

    @property
    def base_url(self) -> str:
        assert self._server is not None, "the sandbox bank is not serving"
        host = "127.0.0.1" if self.address[0] == "0.0.0.0" else self.address[0]  # noqa: S104
        return f"http://{host}:{self._server.server_port}"

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C or SIGTERM (the CLI). The handlers are set here
        because a process started with SIGINT ignored (by a test runner, nohup) inherits that."""
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        self._server = self._make_server()
        logger.info("Sandbox bank at %s/", self.base_url)
        try:
            self._server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._server.server_close()
            self._server = None
            self._close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self._close()

    def _close(self) -> None:
        self.webhooks.stop()
        self.store.close()


def _new_event(
    event_type: str,
    *,
    bill_number: str,
    amount: int,
    currency: str,
    payer_account: str,
    refund_of: str | None,
) -> Event:
    now = time.time()
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": event_type,
        "created": int(now),
        "data": {
            "transaction_id": f"txn_{uuid.uuid4().hex}",
            "bill_number": bill_number,
            "amount": amount,
            "currency": currency,
            "occurred_at": datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "payer_account": payer_account,
            "refund_of": refund_of,
        },
    }
