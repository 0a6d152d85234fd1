from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from singleportal.accounts import actions, selectors
from singleportal.accounts.forms import (
    ApiTokenForm,
    CodeForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
    TotpForm,
)
from singleportal.accounts.qr import qr_svg
from singleportal.accounts.tasks import LINK_SALT
from singleportal.core.access import before_second_factor, public, signed_in
from singleportal.core.forms import apply_errors

LINK_MAX_AGE = 60 * 60 * 24  # seconds


@public
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None, initial={"preferred_language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.sign_up(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, user, backend="singleportal.accounts.backends.EmailOrPhoneBackend")
            return redirect("accounts:verify")
    return render(request, "accounts/sign_up.html", {"form": form})


@before_second_factor
@signed_in
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.verified_at is not None:  # type: ignore[union-attr]
        return redirect("accounts:profile")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.verify_contact(user, form.cleaned_data["code"])  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your account is verified."))
            return redirect("accounts:profile")
    return render(request, "accounts/verify.html", {"form": form})


@before_second_factor
@signed_in
@require_POST
def resend_code(request: HttpRequest) -> HttpResponse:
    try:
        actions.resend_code(request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("We sent you a new code."))
    return redirect("accounts:verify")


@public
def verify_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        code_id = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        actions.verify_contact_by_link(code_id)
    except (signing.BadSignature, ValidationError):
        messages.error(request, _("This link has expired. Sign in and ask for a new code."))
        return redirect("accounts:login")
    messages.success(request, _("Thank you. Your account is verified."))
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Pages keep the language chosen on this device (the switcher sets the cookie); a
        device with no choice yet follows the profile's language from now on."""
        response = super().form_valid(form)
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        languages = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in languages else form.get_user().preferred_language
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response

    def get_default_redirect_url(self) -> str:
        if self.request.user.verified_at is None:  # type: ignore[union-attr]
            return reverse("accounts:verify")
        return super().get_default_redirect_url()


sign_in = before_second_factor(public(SignInView.as_view()))
sign_out = before_second_factor(public(LogoutView.as_view()))


@public
def reset_request(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_password_reset(form.cleaned_data["identifier"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session["reset_identifier"] = form.cleaned_data["identifier"]
            return redirect("accounts:reset_confirm")
    return render(request, "accounts/reset_request.html", {"form": form})


@public
def reset_confirm(request: HttpRequest) -> HttpResponse:
    identifier = request.session.get("reset_identifier")
    if not identifier:
        return redirect("accounts:reset_request")
    form = ResetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reset_password(
                identifier=identifier,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            del request.session["reset_identifier"]
            messages.success(request, _("Your password is changed. Sign in with it."))
            return redirect("accounts:login")
    return render(request, "accounts/reset_confirm.html", {"form": form, "identifier": identifier})


@signed_in
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "preferred_language": user.preferred_language},  # type: ignore[union-attr]
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_profile(user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("accounts:profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.cleaned_data["preferred_language"],
                samesite="Lax",
            )
            return response
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "roles": selectors.roles_of(user)},  # type: ignore[arg-type]
    )


@signed_in
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    clear = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, clear = actions.create_api_token(request.user, form.cleaned_data["name"])  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "clear": clear, "tokens": selectors.tokens_of(request.user)},  # type: ignore[arg-type]
    )


@signed_in
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    actions.revoke_api_token(request.user, token_id)  # type: ignore[arg-type]
    messages.success(request, _("The token is revoked. Programs using it can no longer sign in."))
    return redirect("accounts:api_tokens")


def _after_second_factor(request: HttpRequest) -> str:
    """The page the officer was going to (on this site only), else their back office."""
    wanted = request.GET.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("agencies:home") if request.user.is_officer else reverse("home")  # type: ignore[union-attr]


@before_second_factor
@signed_in
def second_factor(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app on first use; afterwards, ask for its code at each sign-in."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect("accounts:profile")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None or request.method == "GET":
            device = actions.start_totp_setup(user)  # type: ignore[arg-type]
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        try:
            if setting_up:
                actions.confirm_totp(user, device, token)  # type: ignore[arg-type]
            elif not device.verify_token(token):
                raise ValidationError(
                    {
                        "token": _(
                            "The code is not right. Check the time on your phone and try again."
                        )
                    }
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            otp_login(request, device)
            return redirect(_after_second_factor(request))
    context = {"form": form, "setting_up": setting_up}
    if setting_up:
        context |= {"qr": qr_svg(device.config_url), "secret": selectors.totp_secret(device)}
    return render(request, "accounts/second_factor.html", context)
