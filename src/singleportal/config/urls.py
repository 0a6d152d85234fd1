from django.urls import include, path
from django.views.i18n import set_language

from singleportal.config.admin import admin_site
from singleportal.config.api import api
from singleportal.core import views as core_views
from singleportal.core.access import Rule, before_second_factor, mark_patterns, public

admin_urls = admin_site.urls
mark_patterns(admin_urls[0], Rule.ADMIN)
api_urls = api.urls
mark_patterns(api_urls[0], Rule.API)

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("i18n/setlang/", before_second_factor(public(set_language)), name="set_language"),
    path("accounts/", include("singleportal.accounts.urls")),
    path("geo/", include("singleportal.geo.urls")),
    path("names/", include("singleportal.names.urls")),
    path("applications/", include("singleportal.applications.urls")),
    path("office/", include("singleportal.agencies.urls")),
    path("payments/", include("singleportal.payments.urls")),
    path("", include("singleportal.certificates.urls")),  # /verify/, /.well-known/, /certificates/
    path("registry/", include("singleportal.registry.urls")),
    path("directory/", include("singleportal.directory.urls")),
    path("catalog/", include("singleportal.catalog.urls")),
    path("", include("singleportal.browse.urls")),  # /find/, /sitemap.xml
    path("", include("singleportal.labels.urls")),  # /labels/, /l/<code>/
    path("api/v1/", api_urls),
    path("admin/", admin_urls),
]
