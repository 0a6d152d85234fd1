from django.urls import path

from singleportal.catalog.views import manage, public, staff

app_name = "catalog"
# Fixed paths come before <profile_slug>/ (a profile's catalogue); see docs/catalog.md for the
# words a profile's address must not take.
urlpatterns = [
    path("products/<slug:slug>/", public.product, name="product"),
    path("photos/<int:photo_id>/<str:kind>.jpg", public.photo, name="photo"),
    path("manage/", manage.mine, name="mine"),
    path("manage/new/<slug:profile_slug>/", manage.add_product, name="add"),
    path("manage/import/<slug:profile_slug>/", manage.import_products, name="import_products"),
    path("manage/imports/<int:import_id>/", manage.import_result, name="import"),
    path(
        "manage/imports/<int:import_id>/errors.csv", manage.import_errors_csv, name="import_errors"
    ),
    path("manage/products/<slug:slug>/edit/", manage.edit_product, name="edit"),
    path("manage/products/<slug:slug>/delete/", manage.delete_product, name="delete"),
    path("manage/products/<slug:slug>/photos/", manage.photos, name="photos"),
    path(
        "manage/products/<slug:slug>/photos/<int:photo_id>/",
        manage.photo_change,
        name="photo_change",
    ),
    path("manage/products/<slug:slug>/variants/", manage.variants, name="variants"),
    path("manage/products/<slug:slug>/variants/<int:variant_id>/", manage.variants, name="variant"),
    path("manage/products/<slug:slug>/marks/", manage.marks, name="marks"),
    path("marks/<int:mark_id>/document", manage.mark_document, name="mark_document"),
    path("marks/", staff.mark_queue, name="mark_queue"),
    path("marks/<int:mark_id>/decide/", staff.decide_mark, name="decide_mark"),
    path("<slug:profile_slug>/", public.profile_catalogue, name="profile"),
]
