from django.urls import path

from singleportal.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("events/stream", views.event_stream, name="event_stream"),
    path("exports/", views.exports, name="exports"),
    path("exports/manifest.json", views.exports_manifest, name="exports_manifest"),
    path("exports/<str:day>/<str:name>", views.export_file, name="export_file"),
    path("<path:registration_number>/", views.business, name="business"),
]
