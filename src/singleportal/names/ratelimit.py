"""A small fixed-window rate limiter on Django's cache (Redis in production, memory embedded).

`hit(scope, ident)` counts one request and says whether it is allowed and, if not, how many
seconds until the window turns. Windows are aligned to the clock so every web node computes the
same key; the count lives in the shared cache, so the limit holds across nodes with Redis.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds; 0 when allowed
    remaining: int


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/60" -> 30 requests per 60 seconds; "30/m" and "1000/h" work too."""
    count, _, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(period, 0) or int(period or 60)
    return int(count), seconds


def hit(scope: str, ident: str, rate: str, *, now: float | None = None) -> Verdict:
    limit, window = parse_rate(rate)
    now = time.time() if now is None else now
    slot = int(now // window)
    key = f"ratelimit:{scope}:{ident}:{slot}"
    retry_after = max(1, int((slot + 1) * window - now))
    count = _count(key, window + 1)
    if count > limit:
        return Verdict(False, retry_after, 0)
    return Verdict(True, 0, limit - count)


# INCR, and the counter's lifetime when INCR created it: one command, so one round trip.
COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


def _count(key: str, timeout: int) -> int:
    """Add one to the counter `key` and return it. On Redis one round trip (the cache API's
    add, then incr, which checks that the key exists first, costs three on every request)."""
    shared = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(shared, RedisCache):
        real_key = shared.make_and_validate_key(key)
        client = shared._cache.get_client(real_key, write=True)
        return int(client.eval(COUNT_SCRIPT, 1, real_key, timeout))
    # add() only creates; incr() is atomic under the lock of locmem.
    shared.add(key, 0, timeout=timeout)
    try:
        return shared.incr(key)
    except ValueError:  # expired between add and incr
        shared.set(key, 1, timeout=timeout)
        return 1


def client_ident(request: HttpRequest) -> str:
    """The client's address as the web server saw it. Behind a proxy, the proxy must set
    REMOTE_ADDR (gunicorn --forwarded-allow-ips); a client-sent X-Forwarded-For is not trusted."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def check_rate() -> str:
    return str(getattr(settings, "NAMES_CHECK_RATE", "60/60"))
