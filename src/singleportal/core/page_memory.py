"""Whole public pages kept in the web process, for anonymous visitors.

A page is kept under a key that holds the version of everything it shows (the business's
`updated_at`, the certificate's state...), the language and the path: a key never changes its
page, so nothing needs invalidating, only a bound on how many are kept (PAGES_IN_MEMORY per
memory, oldest dropped first). Serving one skips the shared cache's round trip and the
rendering of the site's frame; the CSRF token and the CSP nonce, which differ per visitor, are
put in on the way out.

Only visitors whose page is the same as anyone's are served from it: no session cookie (so
not signed in, and no messages kept there) and no messages cookie.
"""

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
CSRF_SLOT = b"\x00csrf\x00"
NONCE_SLOT = b"\x00nonce\x00"


class PageMemory:
    def __init__(self) -> None:
        self._pages: OrderedDict[Hashable, tuple[bytes, bool, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    @staticmethod
    def serves(request: HttpRequest) -> bool:
        """Whether `request` may get, and give, a kept page."""
        return (
            settings.PAGES_IN_MEMORY > 0
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        )

    def keep(self, key: Hashable, request: HttpRequest, response: HttpResponse) -> None:
        page = response.content
        nonce = str(getattr(request, "_csp_nonce", None) or "").encode()
        uses_nonce = bool(nonce) and nonce in page
        if uses_nonce:
            page = page.replace(nonce, NONCE_SLOT)
        page = CSRF_FIELD.sub(rb"\1" + CSRF_SLOT + rb"\3", page)
        with self._lock:
            self._pages[key] = (page, uses_nonce, response.status_code)
            while len(self._pages) > settings.PAGES_IN_MEMORY:
                self._pages.popitem(last=False)

    def recall(self, key: Hashable, request: HttpRequest) -> HttpResponse | None:
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
        if found is None:
            return None
        page, uses_nonce, status = found
        if CSRF_SLOT in page:
            page = page.replace(CSRF_SLOT, get_token(request).encode())
        if uses_nonce:
            page = page.replace(NONCE_SLOT, str(request.csp_nonce).encode())  # type: ignore[attr-defined]
        return HttpResponse(page, status=status)
