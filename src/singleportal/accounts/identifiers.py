"""The sign-in identifier: an email address, or a Cambodian mobile number stored as E.164."""

from dataclasses import dataclass
from typing import Literal

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from singleportal.core.text import to_ascii_digits


class IdentifierError(ValidationError):
    pass


@dataclass(frozen=True)
class Identifier:
    kind: Literal["email", "phone"]
    value: str


def normalize_phone(raw: str) -> str:
    """+855 / 0-prefixed Cambodian numbers, Khmer or Latin digits, to E.164 (+85512345678)."""
    text = to_ascii_digits(raw.strip())
    try:
        number = phonenumbers.parse(text, "KH")
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError(
            _("Enter a phone number such as 012 345 678 or +855 12 345 678."), code="phone_format"
        ) from exc
    if number.country_code != 855:
        raise IdentifierError(_("Enter a Cambodian phone number (+855)."), code="phone_country")
    if not phonenumbers.is_valid_number(number):
        raise IdentifierError(
            _("This is not a valid Cambodian phone number. Check the digits."), code="phone_invalid"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    value = raw.strip()
    try:
        validate_email(value)
    except ValidationError as exc:
        raise IdentifierError(
            _("Enter an email address such as name@example.com."), code="email_invalid"
        ) from exc
    return value.lower()


def normalize_identifier(raw: str) -> Identifier:
    if "@" in raw:
        return Identifier("email", normalize_email(raw))
    return Identifier("phone", normalize_phone(raw))


def lockout_username(request: object, credentials: dict | None) -> str | None:
    """django-axes: count failures per account whatever spelling of the number was typed."""
    raw = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username")
    if not raw:
        return None
    try:
        return normalize_identifier(raw).value
    except IdentifierError:
        return raw.strip().lower()
