"""A merchant's webhook endpoint, a running sandbox bank, KHQR codes and a small HTTP client."""

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from singleportal.payments import khqr
from singleportal.sandbox_bank import SandboxBank

SECRET = "test-webhook-secret"
API_KEY = "test-api-key"
FAST_RETRIES = (0.05, 0.1)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


class Receiver:
    """Records every webhook; answers 500 to the first `failures` of them, then 200."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.requests: list[Received] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._arrived:
                    receiver.requests.append(Received(dict(self.headers.items()), body))
                    status = 500 if len(receiver.requests) <= receiver.failures else 200
                    receiver._arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhooks/sandbox/"
        serve = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        serve.daemon = True
        serve.start()

    def wait_for(self, count: int, timeout: float = 5) -> list[Received]:
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.requests) >= count, timeout)
            assert arrived, f"expected {count} webhooks, got {len(self.requests)}"
            return list(self.requests)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def make_bank(receiver):
    banks: list[SandboxBank] = []

    def make(**options: Any) -> SandboxBank:
        options = {
            "webhook_url": receiver.url,
            "webhook_secret": SECRET,
            "api_key": API_KEY,
            "retry_delays": FAST_RETRIES,
            **options,
        }
        bank = SandboxBank(**options)
        bank.start()
        banks.append(bank)
        return bank

    yield make
    for bank in banks:
        bank.stop()


@pytest.fixture
def bank(make_bank):
    return make_bank()


def make_code(
    bill_number: str = "SP-2026-000123",
    amount: int = 400_000,
    currency: str = "KHR",
    expires_in_ms: int = 600_000,
    **fields: Any,
) -> str:
    now_ms = int(time.time() * 1000)
    created_ms = min(now_ms, now_ms + expires_in_ms - 60_000)  # expired codes were made earlier
    return khqr.encode(
        khqr.KhqrCode(
            account_id="singleportal@aclb",
            merchant_name="Single Portal",
            merchant_city="Phnom Penh",
            currency=currency,
            amount=amount,
            bill_number=bill_number,
            created_ms=created_ms,
            expires_ms=now_ms + expires_in_ms,
            **fields,
        )
    )


def call(
    method: str,
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    """(status, body text) of one request, whatever the status."""
    assert url.startswith("http://127.0.0.1:")  # only ever the local bank
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode()


def api(method: str, url: str, payload: Any = None, key: str = API_KEY) -> tuple[int, Any]:
    data = None if payload is None else json.dumps(payload).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    status, body = call(method, url, data=data, headers=headers)
    return status, json.loads(body)
