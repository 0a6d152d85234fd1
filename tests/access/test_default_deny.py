"""Every URL declares who may use it; anonymous visitors get nothing that is not public."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path

from singleportal.config.api import api
from singleportal.core.access import ACCESS_ATTR, DefaultDenyMiddleware, Rule

pytestmark = pytest.mark.django_db


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


ALL = list(walk(get_resolver().url_patterns))


def sample_url(route: str) -> str:
    """A concrete URL for a route, with harmless values for its parameters."""
    url = re.sub(r"<int:\w+>", "1", route)
    url = re.sub(r"<(?:str|slug|path):?\w*>", "x", url)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "x", url)
    url = url.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + url


@pytest.mark.parametrize(("route", "entry"), ALL, ids=[route for route, _ in ALL])
def test_every_view_declares_an_access_rule(route, entry: URLPattern):
    assert getattr(entry.callback, ACCESS_ATTR, None) in set(Rule), route


NON_PUBLIC = [
    (route, entry)
    for route, entry in ALL
    if getattr(entry.callback, ACCESS_ATTR, None) in (Rule.SIGNED_IN, Rule.ROLE, Rule.ADMIN)
]


@pytest.mark.parametrize(("route", "entry"), NON_PUBLIC, ids=[r for r, _ in NON_PUBLIC])
def test_anonymous_visitors_are_sent_to_sign_in(client, route, entry):
    response = client.get(sample_url(route), follow=True)
    if response.redirect_chain:
        assert response.redirect_chain[-1][0].startswith("/accounts/login/"), route
    else:
        assert response.status_code in (403, 404, 405), route


def test_a_view_without_a_rule_is_refused():
    def undeclared(request):
        return HttpResponse("secret")

    request = RequestFactory().get("/x")
    middleware = DefaultDenyMiddleware(lambda r: HttpResponse())
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        middleware.process_view(request, path("x", undeclared).callback, (), {})


def api_operations():
    """(method, path, operation) from the published OpenAPI document, as clients see it."""
    schema = api.get_openapi_schema()
    for route, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, route, operation


# Tags whose operations are open to anyone (open data, reference lists).
PUBLIC_API_TAGS = {"geography", "names", "registry", "directory", "catalog", "search", "labels"}
OPERATIONS = list(api_operations())


@pytest.mark.parametrize(
    ("method", "route", "operation"), OPERATIONS, ids=[f"{m} {r}" for m, r, _ in OPERATIONS]
)
def test_api_operations_require_auth_unless_meant_public(client, method, route, operation):
    if not operation.get("security"):
        assert set(operation.get("tags", [])) & PUBLIC_API_TAGS, f"{method} {route} is open"
        return
    response = getattr(client, method)(re.sub(r"\{\w+\}", "1", route))
    assert response.status_code == 401, (method, route)
