from django.urls import path

from singleportal.certificates import views

app_name = "certificates"
urlpatterns = [
    path("verify/<uuid:certificate_id>/", views.verify, name="verify"),
    path(".well-known/singleportal-keys.json", views.keys, name="keys"),
    path(
        "certificates/business/<str:registration_number>/",
        views.business_certificates,
        name="business",
    ),
    path(
        "certificates/business/<str:registration_number>/extract/",
        views.issue_extract,
        name="issue_extract",
    ),
    path("certificates/<uuid:certificate_id>.pdf", views.download, name="download"),
]
