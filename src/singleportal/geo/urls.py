from django.urls import path

from singleportal.geo import views

app_name = "geo"
urlpatterns = [
    path("place/", views.place_picker, name="place_picker"),
    path("options/<str:level>/", views.place_options, name="place_options"),
]
