"""Default deny: every view states who may use it, or it is refused.

A view carries its rule as an attribute set by one of the decorators below; the middleware
refuses any view that has none, so a page added without a rule fails closed.
"""

import inspect
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver

ACCESS_ATTR = "access_rule"
# Pages a signed-in officer may reach before proving the second factor (the 2FA pages themselves).
BEFORE_SECOND_FACTOR_ATTR = "allowed_before_second_factor"


class Rule(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    ROLE = "role"
    ADMIN = "admin"  # Django admin: the admin site checks staff status and the second factor
    API = "api"  # django-ninja: each operation declares its own auth


View = Callable[..., Any]


def _mark(view: View, rule: Rule) -> View:
    setattr(view, ACCESS_ATTR, rule)
    return view


def public(view: View) -> View:
    """Anyone, signed in or not."""
    return _mark(view, Rule.PUBLIC)


def signed_in(view: View) -> View:
    """Any signed-in user."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapper, Rule.SIGNED_IN)


def role_required(*roles: str) -> Callable[[View], View]:
    """Signed-in users holding at least one of `roles`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_any_role(*roles):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_roles = roles  # type: ignore[attr-defined]
        return _mark(wrapper, Rule.ROLE)

    return decorator


def before_second_factor(view: View) -> View:
    setattr(view, BEFORE_SECOND_FACTOR_ATTR, True)
    return view


def mark_patterns(patterns: Iterable[URLPattern | URLResolver], rule: Rule) -> None:
    """Give every view under `patterns` the rule of the component that guards them."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            mark_patterns(entry.url_patterns, rule)
        elif inspect.ismethod(entry.callback):
            # Bound methods take no attributes: give the pattern a plain function instead.
            entry.callback = _mark(_as_function(entry.callback), rule)
        else:
            _mark(entry.callback, rule)


def _as_function(method: View) -> View:
    @wraps(method)
    def view(*args: Any, **kwargs: Any) -> Any:
        return method(*args, **kwargs)

    return view


class DefaultDenyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: View, *args: Any) -> None:
        if getattr(view_func, ACCESS_ATTR, None) is None:
            raise PermissionDenied("This page declares no access rule.")
