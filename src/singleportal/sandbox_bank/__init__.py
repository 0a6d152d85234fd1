"""A sandbox bank standing in for the KHQR payment provider, in the demo and in tests.

It is a separate system from the portal: standard library only, no Django. Run it with
`singleportal sandbox-bank`, or in tests `base_url = SandboxBank(...).start()` and `.stop()`.

Contract with the merchant (the portal's payments app):

Webhook: POST to `webhook_url`, body compact UTF-8 JSON, headers `Content-Type:
application/json`, `X-Sandbox-Event-Id: <event id>`, `X-Sandbox-Signature: t=<unix seconds>,
v1=<hex HMAC-SHA256(secret, f"{t}.".encode() + body)>`. Body:

    {"id": "evt_<uuid hex>", "type": "payment.succeeded" | "refund.succeeded",
     "created": <unix seconds>,
     "data": {"transaction_id": "txn_<hex>", "bill_number": "<KHQR tag 62/01>",
              "amount": <int minor units: riel or US cents>, "currency": "KHR" | "USD",
              "occurred_at": "<ISO 8601 UTC>Z", "payer_account": "<name@bank>",
              "refund_of": null | "txn_..."}}

A 2xx answer means delivered. Otherwise (other status, connection error) it is retried after each
of `retry_delays` seconds, re-signed with a fresh timestamp, same event id and body; every
attempt is recorded; after the last one the bank gives up and the merchant polls.

Bank app (the payer): `GET /` pastes a KHQR code and lists recent transactions with their
delivery attempts; `GET /pay?khqr=<payload>[&return_url=]` shows the code (400 for a bad CRC or an
expired code); `POST /pay` (khqr, payer_account, notify = now | late | never, return_url) pays it
once per payload (paying again returns the first payment) and shows "Paid / បានបង់".

API (`Authorization: Bearer <api_key>`, 401 JSON otherwise):
- `GET /api/v1/events?bill_number=<ref>` -> `{"events": [...]}`, payments and refunds of that
  bill, oldest first (the polling fallback).
- `POST /api/v1/refunds` `{"transaction_id", "amount", "reference"}` -> 200 `{"event": ...}`
  (a `refund.succeeded` event, also sent as a webhook); the same reference returns the same
  event; 422 `{"error": ...}` for an unknown transaction, amount <= 0, refunds above the payment,
  or a reference reused with another transaction or amount.
"""

from .bank import PaymentRefused, SandboxBank
from .store import RefundRefused
from .webhooks import signature_header

__all__ = ["PaymentRefused", "RefundRefused", "SandboxBank", "signature_header"]
