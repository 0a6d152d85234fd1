"""The product's URLs plus /bench/bare/: the baseline of bench/registry.py, a public view that
returns two bytes through the same server, settings and middleware as the measured pages."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from singleportal.config.urls import urlpatterns as product_urls
from singleportal.core.access import public


@public
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *product_urls]
