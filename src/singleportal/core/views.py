from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from singleportal.agencies.models import Agency
from singleportal.core.access import public


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"agencies": Agency.objects.all()})


@public
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
