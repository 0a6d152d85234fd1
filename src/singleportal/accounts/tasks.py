from celery import shared_task
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from singleportal.accounts.models import Channel, CodePurpose, OneTimeCode
from singleportal.accounts.sms import send_sms
from singleportal.core.links import absolute

LINK_SALT = "accounts.verify-link"


def verification_link_token(code_id: int) -> str:
    return signing.dumps(code_id, salt=LINK_SALT)


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def deliver_code(self, code_id: int) -> None:  # type: ignore[no-untyped-def]
    """Send a one-time code by email or SMS, once: a delivered code is marked and skipped."""
    with transaction.atomic():
        code = (
            OneTimeCode.objects.select_for_update()
            .select_related("user")
            .filter(pk=code_id, sent_at__isnull=True)
            .first()
        )
        if code is None:
            return
        user = code.user
        with translation.override(user.preferred_language):
            context = {
                "user": user,
                "code": code.code,
                "minutes": int((code.expires_at - code.created_at).total_seconds() // 60),
                "purpose": code.purpose,
            }
            if code.purpose == CodePurpose.VERIFY and code.channel == Channel.EMAIL:
                path = reverse("accounts:verify_link", args=[verification_link_token(code.pk)])
                context["link"] = absolute(path)
            text = render_to_string("accounts/messages/code.txt", context).strip()
            if code.channel == Channel.EMAIL:
                subject = render_to_string("accounts/messages/code_subject.txt", context).strip()
                send_mail(subject, text, None, [str(user.email)])
            else:
                send_sms(str(user.phone), text)
        code.sent_at = timezone.now()
        code.save(update_fields=["sent_at"])
