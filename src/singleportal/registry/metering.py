"""Who is calling the open data API, and how often they may.

Anonymous callers are counted per client address at REGISTRY_API_ANON_RATE; a caller with a
valid key (header X-Api-Key) per key, at the key's own rate or REGISTRY_API_KEY_RATE. A key that
is unknown or switched off is refused (401) rather than served as anonymous, so that a client
with a mistyped key finds out at once. Counting reuses the names app's fixed-window limiter on
the shared cache (Redis in production), so the limits hold across web nodes.
"""

import hashlib
import secrets
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.names import ratelimit
from singleportal.registry.models import ApiKey

R = TypeVar("R", bound=HttpResponseBase)
HEADER = "X-Api-Key"
KEY_PREFIX = "spk_"
SCOPE = "registry-api"
# How often a key's last use is written (one UPDATE per key per period, not per request).
LAST_USED_EVERY_SECONDS = 3600


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str, str]:
    """(key, its prefix shown in lists, its hash): the key itself is shown once and not kept."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key[:12], hash_key(key)


@dataclass(frozen=True)
class Caller:
    ident: str  # what the limit counts: "ip:<address>" or "key:<id>"
    rate: str
    key: ApiKey | None


def _key_of(raw: str) -> ApiKey | None:
    key = ApiKey.objects.filter(key_hash=hash_key(raw.strip()), active=True).first()
    if key is not None and cache.add(f"registry-apikey-used:{key.pk}", 1, LAST_USED_EVERY_SECONDS):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def error(status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def meter(request: HttpRequest) -> tuple[Caller | None, HttpResponse | None]:
    """Count this request against the caller's limit: (caller, None) when it may go on, or
    (None, the 401 or 429 answer) when not."""
    raw = request.headers.get(HEADER)
    if raw is not None:
        key = _key_of(raw)
        if key is None:
            return None, error(401, _("This API key is not valid. Check it, or call without one."))
        caller = Caller(f"key:{key.pk}", key.rate or settings.REGISTRY_API_KEY_RATE, key)
    else:
        ident = f"ip:{ratelimit.client_ident(request)}"
        caller = Caller(ident, settings.REGISTRY_API_ANON_RATE, None)
    verdict = ratelimit.hit(SCOPE, caller.ident, caller.rate)
    if not verdict.allowed:
        response = error(
            429,
            _("Too many requests. Try again in %(seconds)s seconds, or ask for an API key.")
            % {"seconds": verdict.retry_after},
        )
        response["Retry-After"] = str(verdict.retry_after)
        return None, response
    request.registry_rate_remaining = verdict.remaining  # type: ignore[attr-defined]
    return caller, None


def label(response: R, request: HttpRequest) -> R:
    """Tell the caller how many requests are left in the current window."""
    remaining = getattr(request, "registry_rate_remaining", None)
    if remaining is not None:
        response["X-RateLimit-Remaining"] = str(remaining)
    return response
