"""The HTTP API at /api/v1/. Every operation requires a signed-in caller (API token or
session) unless it says `auth=None`, which marks it public."""

from ninja import NinjaAPI

from singleportal.accounts.api import router as accounts_router
from singleportal.accounts.api_auth import default_api_auth
from singleportal.agencies.api import router as office_router
from singleportal.applications.api import router as applications_router
from singleportal.browse.api import router as browse_router
from singleportal.catalog.api import router as catalog_router
from singleportal.directory.api import router as directory_router
from singleportal.geo.api import router as geo_router
from singleportal.labels.api import router as labels_router
from singleportal.names.api import router as names_router
from singleportal.payments.api import router as payments_router
from singleportal.registry.api import router as registry_router

api = NinjaAPI(
    title="Single Portal API",
    version="1",
    description="One-stop business registration and promotion for Cambodia.",
    auth=default_api_auth(),
    urls_namespace="api",
)
api.add_router("/accounts", accounts_router)
api.add_router("/geo", geo_router)
api.add_router("/names", names_router)
api.add_router("/applications", applications_router)
api.add_router("/office", office_router)
api.add_router("/payments", payments_router)
api.add_router("/registry", registry_router)
api.add_router("/directory", directory_router)
api.add_router("/catalog", catalog_router)
api.add_router("/search", browse_router)
api.add_router("/labels", labels_router)
