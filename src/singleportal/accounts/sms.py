"""SMS delivery backends. The embedded default writes each message to a file; tests keep
them in memory. A gateway backend implements the same `send(to, text)`."""

import json
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> None: ...


class FileSmsBackend:
    def send(self, to: str, text: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        (folder / f"{stamp}-{to.lstrip('+')}.json").write_text(
            json.dumps({"to": to, "text": text}, ensure_ascii=False), encoding="utf-8"
        )


class MemorySmsBackend:
    outbox: list[dict[str, str]] = []

    def send(self, to: str, text: str) -> None:
        MemorySmsBackend.outbox.append({"to": to, "text": text})


def send_sms(to: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(to, text)
