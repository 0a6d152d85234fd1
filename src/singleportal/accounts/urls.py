from django.urls import path

from singleportal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.sign_up, name="signup"),
    path("verify/", views.verify, name="verify"),
    path("verify/resend/", views.resend_code, name="resend_code"),
    path("verify/link/<str:token>/", views.verify_link, name="verify_link"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/reset/", views.reset_request, name="reset_request"),
    path("password/reset/code/", views.reset_confirm, name="reset_confirm"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("second-factor/", views.second_factor, name="second_factor"),
]
