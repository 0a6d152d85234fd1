from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from singleportal.accounts.identifiers import IdentifierError, normalize_identifier


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with an email address or a Cambodian mobile number in any common spelling."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or password is None:
            return None
        try:
            username = normalize_identifier(username).value
        except IdentifierError:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
