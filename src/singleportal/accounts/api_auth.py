"""API authentication: personal bearer tokens, or the browser session (with CSRF)."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from singleportal.accounts.models import ApiToken, hash_secret


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_secret(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class Session(SessionAuth):
    """The page session; officers and operators count only once past the second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if user.needs_second_factor and not user.is_verified():  # type: ignore[union-attr,attr-defined]
            return None
        return user


def default_api_auth() -> list:
    return [BearerToken(), Session()]
