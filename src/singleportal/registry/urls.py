from django.urls import path

from singleportal.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("events/stream", views.event_stream, name="event_stream"),
    path("<path:registration_number>/", views.business, name="business"),
]
