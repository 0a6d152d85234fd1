import pytest

from singleportal.names.ratelimit import hit, parse_rate


@pytest.mark.parametrize(
    ("rate", "expected"), [("30/60", (30, 60)), ("5/m", (5, 60)), ("1000/h", (1000, 3600))]
)
def test_parse_rate(rate, expected):
    assert parse_rate(rate) == expected


def test_limit_resets_with_the_next_window():
    now = 60 * 16667 + 20.0  # 20 s into a 60 s window
    assert hit("t", "a", "2/60", now=now).allowed
    assert hit("t", "a", "2/60", now=now + 1).remaining == 0
    refused = hit("t", "a", "2/60", now=now + 2)
    assert not refused.allowed
    assert refused.retry_after == 38
    assert hit("t", "b", "2/60", now=now + 2).allowed  # another client
    assert hit("t", "a", "2/60", now=now + 40).allowed  # next window


def test_on_redis_one_counter_per_window_lives_just_past_its_window(settings):
    """The production path (one round trip: INCR, then EXPIRE only when the counter is new)
    on the real Redis, in a database of its own."""
    import uuid

    import redis
    from django.core.cache import caches

    url, prefix = "redis://127.0.0.1:6379/13", uuid.uuid4().hex  # runs in parallel stay apart
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    now = 60 * 16667 + 20.0
    assert [hit("t", "a", "2/60", now=now + i).allowed for i in range(3)] == [True, True, False]
    assert hit("t", "a", "2/60", now=now + 40).allowed  # the next window, a new counter
    keys = redis.Redis.from_url(url).keys(f"{prefix}:*ratelimit:t:a:*")
    assert len(keys) == 2
    assert all(0 < redis.Redis.from_url(url).ttl(k) <= 61 for k in keys)
    assert caches["default"].get("ratelimit:t:a:16667") == 3  # readable through the cache API
