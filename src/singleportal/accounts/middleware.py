from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from singleportal.core.access import ACCESS_ATTR, BEFORE_SECOND_FACTOR_ATTR, Rule


class RequireSecondFactorMiddleware:
    """Officers, operators and staff use pages only after proving their TOTP second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], *args: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or not user.needs_second_factor:  # type: ignore[union-attr]
            return None
        if user.is_verified():  # type: ignore[union-attr,attr-defined]
            return None
        # The API checks the factor in its session auth; public pages need no sign-in at all.
        if getattr(view_func, ACCESS_ATTR, None) in (Rule.API, Rule.PUBLIC):
            return None
        if getattr(view_func, BEFORE_SECOND_FACTOR_ATTR, False):
            return None
        return redirect_to_second_factor(request)


def redirect_to_second_factor(request: HttpRequest) -> HttpResponse:
    """To the code page, coming back afterwards to the page asked for (GET only: a form posted
    before the second factor is not replayed)."""
    url = reverse("accounts:second_factor")
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)
