"""One message to one person: by email when they have an address, else by SMS, in the language
of their profile."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from singleportal.accounts.models import User
from singleportal.accounts.sms import send_sms


def send_message(user: User, template: str, context: dict) -> None:
    """Render `<template>.txt` (and `<template>_subject.txt` for email) and send it. A gateway
    that is down raises OSError: callers in tasks retry on it."""
    with translation.override(user.preferred_language):
        text = render_to_string(f"{template}.txt", context).strip()
        if user.email:
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            send_mail(subject, text, None, [user.email])
        elif user.phone:
            send_sms(user.phone, text)
