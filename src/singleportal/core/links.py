"""Links that leave the site: in messages, feeds, the API and meta tags."""

from django.conf import settings


def absolute(path: str) -> str:
    """A URL on the public site (SITE_URL), never on whatever Host header a request sent."""
    return settings.SITE_URL.rstrip("/") + path
