from django.urls import path

from singleportal.names import views

app_name = "names"
urlpatterns = [
    path("", views.check, name="check"),
    path("reserve/", views.reserve, name="reserve"),
    path("reservations/", views.reservations, name="reservations"),
    path("reservations/<int:reservation_id>/extend/", views.extend, name="extend"),
    path("reservations/<int:reservation_id>/cancel/", views.cancel, name="cancel"),
]
