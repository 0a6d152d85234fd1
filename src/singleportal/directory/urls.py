from django.urls import path

from singleportal.directory import views

app_name = "directory"
# Fixed paths come before <slug>/: actions.profiles.RESERVED_SLUGS keeps profiles off them.
urlpatterns = [
    path("", views.profile_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("claim/", views.claim, name="claim"),
    path("new/", views.create, name="create"),
    path("claims/", views.claims_queue, name="claims"),
    path("claims/<int:claim_id>/decide/", views.decide, name="decide"),
    path("photos/<int:photo_id>/<str:kind>.jpg", views.photo, name="photo"),
    path("<slug:slug>/", views.profile, name="profile"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/photos/", views.photos, name="photos"),
    path("<slug:slug>/photos/<int:photo_id>/remove/", views.remove_photo, name="remove_photo"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/<int:member_id>/remove/", views.remove_member, name="remove_member"),
]
