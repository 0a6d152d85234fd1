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
