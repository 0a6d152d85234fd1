from django.urls import path

from singleportal.browse import views

app_name = "browse"
urlpatterns = [
    path("find/", views.products, name="products"),
    path("find/businesses/", views.businesses, name="businesses"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
