from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from singleportal.accounts.models import Language
from singleportal.core.text import to_ascii_digits

IDENTIFIER_HELP = _("Your email address, or your Cambodian mobile number such as 012 345 678.")
IDENTIFIER_WIDGET = forms.TextInput(attrs={"autocomplete": "username"})


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    identifier = forms.CharField(
        label=_("Email address or mobile phone number"),
        max_length=254,
        help_text=IDENTIFIER_HELP,
        widget=IDENTIFIER_WIDGET,
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. Do not use a password you use elsewhere."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for messages"), choices=Language.choices, initial=Language.KHMER
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The six digits we sent you. Khmer or Latin digits are both fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        return to_ascii_digits(self.cleaned_data["code"]).replace(" ", "")


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email address or mobile phone number"),
        max_length=254,
        help_text=IDENTIFIER_HELP,
        widget=IDENTIFIER_WIDGET,
    )
    error_messages = {
        "invalid_login": _(
            "The email, phone number or password is not right. Check them and try again."
        ),
        "inactive": _("This account is closed."),
    }


class ResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Email address or mobile phone number"),
        max_length=254,
        help_text=IDENTIFIER_HELP,
        widget=IDENTIFIER_WIDGET,
    )


class ResetPasswordForm(CodeForm):
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, such as the name of your accounting program."),
    )


class TotpForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_token(self) -> str:
        return to_ascii_digits(self.cleaned_data["token"]).replace(" ", "")
