"""Signed webhook delivery with retries, as a payment provider does it.

Each attempt is signed with a fresh timestamp, so a merchant may reject stale signatures (replay
protection) and still accept a retry; the event id and body never change between attempts, so
the merchant can deduplicate on the id.
"""

import hashlib
import hmac
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

logger = logging.getLogger(__name__)

ATTEMPT_TIMEOUT_SECONDS = 10

RecordAttempt = Callable[[str, str, int | None, str], None]


def signature_header(secret: str, body: bytes, timestamp: int) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def utc_now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WebhookSender:
    """Deliver each event in its own daemon thread: wait, try, then retry after each delay."""

    def __init__(
        self, url: str, secret: str, retry_delays: Sequence[float], record: RecordAttempt
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"the webhook URL must be http(s): {url!r}")
        self.url, self.secret, self.retry_delays = url, secret, tuple(retry_delays)
        self._record = record
        self.clock: Callable[[], float] = time.time  # the signatures' time; tests replace it
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._threads_lock = threading.Lock()  # HTTP request threads schedule concurrently

    def send(self, event_id: str, body: bytes, delay: float = 0) -> None:
        thread = threading.Thread(
            target=self._deliver, args=(event_id, body, delay), name=f"webhook {event_id}"
        )
        thread.daemon = True
        with self._threads_lock:
            self._threads = [thread for thread in self._threads if thread.is_alive()]
            self._threads.append(thread)
        thread.start()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every scheduled delivery has ended, delivered or given up."""
        deadline = time.monotonic() + timeout
        with self._threads_lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in threads)

    def stop(self, timeout: float = 5) -> None:
        """Wake every waiting delivery so it ends; an attempt in flight finishes first."""
        self._stopping.set()
        self.wait_idle(timeout)

    def _deliver(self, event_id: str, body: bytes, delay: float) -> None:
        for wait in (delay, *self.retry_delays):
            if self._stopping.wait(wait):
                return
            status, error = self._attempt(event_id, body)
            self._record(event_id, utc_now_iso(), status, error)
            if status is not None and 200 <= status < 300:
                return
        logger.warning("Gave up delivering %s; the merchant has to poll for it.", event_id)

    def _attempt(self, event_id: str, body: bytes) -> tuple[int | None, str]:
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Sandbox-Event-Id": event_id,
                "X-Sandbox-Signature": signature_header(self.secret, body, int(self.clock())),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=ATTEMPT_TIMEOUT_SECONDS) as response:  # noqa: S310
                return response.status, ""
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code, ""
        except OSError as exc:  # refused, reset, timed out: the merchant is down
            return None, str(exc)
