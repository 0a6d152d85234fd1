"""HTTP routes: the bank app's pages for the payer and the JSON API for the merchant."""

import hmac
import json
import logging
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from singleportal.payments import khqr

from . import pages
from .store import RefundRefused

if TYPE_CHECKING:
    from .bank import SandboxBank

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024


class BankHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], bank: "SandboxBank") -> None:
        self.bank = bank
        super().__init__(address, BankRequestHandler)


def _first(values: dict[str, list[str]], name: str, default: str = "") -> str:
    return values.get(name, [default])[0]


def _safe_return_url(url: str) -> str:
    """Only http(s) links go back to the merchant: a `javascript:` URL would run in our page."""
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


class BankRequestHandler(BaseHTTPRequestHandler):
    server_version = "SandboxBank/1"

    @property
    def bank(self) -> "SandboxBank":
        server = self.server
        assert isinstance(server, BankHTTPServer)
        return server.bank

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path.startswith("/api/"):
            if not self._authorised():
                return
            if url.path != "/api/v1/events":
                self._json(404, {"error": "not found"})
            elif not (bill_number := _first(query, "bill_number")):
                self._json(400, {"error": "bill_number is required"})
            else:
                self._json(200, {"events": self.bank.events_for_bill(bill_number)})
        elif url.path == "/":
            self._html(200, pages.home(self.bank.store.recent()))
        elif url.path == "/pay":
            self._pay_page(query)
        else:
            self._html(404, pages.refused("not_found"))

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._body()
        if body is None:
            return
        if path.startswith("/api/"):
            if not self._authorised():
                return
            if path == "/api/v1/refunds":
                self._refund(body)
            else:
                self._json(404, {"error": "not found"})
        elif path == "/pay":
            self._pay(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
        else:
            self._html(404, pages.refused("not_found"))

    def _pay_page(self, query: dict[str, list[str]]) -> None:
        payload = _first(query, "khqr").strip()
        try:
            code = khqr.decode(payload)
        except khqr.KhqrError as exc:
            self._html(400, pages.refused("invalid", str(exc)))
            return
        if khqr.is_expired(code, int(time.time() * 1000)):
            self._html(400, pages.refused("expired"))
            return
        return_url = _safe_return_url(_first(query, "return_url"))
        self._html(200, pages.pay_form(code, payload, return_url, self.bank.late_delay))

    def _pay(self, form: dict[str, list[str]]) -> None:
        from .bank import PaymentRefused

        try:
            event = self.bank.pay(
                _first(form, "khqr"), _first(form, "payer_account"), _first(form, "notify", "now")
            )
        except khqr.KhqrError as exc:
            self._html(400, pages.refused("invalid", str(exc)))
        except PaymentRefused as exc:
            self._html(400, pages.refused("cannot_pay", str(exc)))
        else:
            # No redirect after the POST: paying again is idempotent, so a reload is harmless.
            self._html(200, pages.paid(event, _safe_return_url(_first(form, "return_url"))))

    def _refund(self, body: bytes) -> None:
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        if not isinstance(request, dict):
            self._json(400, {"error": "the body must be a JSON object"})
            return
        try:
            event = self.bank.refund(
                request.get("transaction_id", ""),
                request.get("amount", 0),
                request.get("reference", ""),
            )
        except RefundRefused as exc:
            self._json(422, {"error": str(exc)})
        else:
            self._json(200, {"event": event})

    def _authorised(self) -> bool:
        """Answer 401 unless the request carries the merchant's API key."""
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        expected = self.bank.api_key.encode()
        if scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected):
            return True
        self._json(401, {"error": "send the API key as Authorization: Bearer <key>"})
        return False

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY_BYTES:
            self._json(413, {"error": f"send a Content-Length of at most {MAX_BODY_BYTES}"})
            return None
        return self.rfile.read(length)

    def _html(self, status: int, html: str) -> None:
        self._send(status, "text/html; charset=utf-8", html.encode())

    def _json(self, status: int, data: Any) -> None:
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
        body = json.dumps(data, ensure_ascii=False).encode()
        self._send(status, "application/json", body, headers)

    def _send(
        self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # The pages load nothing from elsewhere and run no script; say so.
        self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)
