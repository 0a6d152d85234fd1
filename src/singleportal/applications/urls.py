from django.urls import path

from singleportal.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.start, name="start"),
    path("<uuid:public_id>/step/<slug:slug>/", views.step, name="step"),
    path("<uuid:public_id>/<slug:what>/<int:item_id>/remove/", views.remove, name="remove"),
    path("<uuid:public_id>/review/", views.review, name="review"),
    path("<uuid:public_id>/submitted/", views.submitted, name="submitted"),
    path("<uuid:public_id>/progress/", views.progress, name="progress"),
    path("<uuid:public_id>/representatives/", views.representatives, name="representatives"),
    path(
        "<uuid:public_id>/representatives/<int:authorisation_id>/revoke/",
        views.revoke,
        name="revoke",
    ),
    path("<uuid:public_id>/documents/<int:document_id>/", views.document, name="document"),
]
