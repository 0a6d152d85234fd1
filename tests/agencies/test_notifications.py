"""Messages: the applicant hears when the file needs a correction, is registered or rejected;
heads hear each working morning about tasks near or past their deadline. Each person gets the
message in their own language, by email, or by SMS when they have no email."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from singleportal.accounts.models import OfficerLevel
from singleportal.agencies import actions as agency_actions
from singleportal.agencies.models import Task
from singleportal.agencies.tasks import report_deadlines
from singleportal.applications import actions
from singleportal.core.calendar import add_working_days
from singleportal.registry.models import Business
from tests.applications.helpers import (
    complete_application,
    submitted_application,
    task_in_review,
    task_of,
)
from tests.factories import UserFactory, officer
from tests.payments.helpers import pay

pytestmark = pytest.mark.django_db

MOC_EN, MOC_KM = "Ministry of Commerce", "ក្រសួងពាណិជ្ជកម្ម"


def ask_correction(app, django_capture_on_commit_callbacks, note="Say what Mekong means."):
    moc = officer("MOC")
    task = task_in_review(app, "MOC", moc)
    agency_actions.comment_on_task(task, moc, text="Internal: ask the head.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agency_actions.request_correction(
            task, moc, reason="NAME_UNCLEAR", sections=["names", "documents"], note=note
        )


def test_correction_email_says_what_and_why_in_english(django_capture_on_commit_callbacks):
    owner = UserFactory(preferred_language="en")
    app = submitted_application(owner)
    ask_correction(app, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert app.reference in message.subject and "needs a correction" in message.subject
    assert f"{MOC_EN}: The business name must be changed or explained" in message.body
    assert "Say what Mekong means." in message.body
    assert "submit it again: Business name, Documents." in message.body
    assert f"/applications/{app.public_id}/progress/" in message.body
    assert "Internal" not in message.body  # officers' comments stay inside


def test_the_message_is_in_the_applicants_language(django_capture_on_commit_callbacks):
    owner = UserFactory(preferred_language="km")
    app = submitted_application(owner)
    ask_correction(app, django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    # The agency and the reason come from the data in Khmer, as the template is rendered in
    # the owner's language (the sentences around them follow once the catalogue has them).
    assert MOC_KM in body and "ឈ្មោះអាជីវកម្មត្រូវកែសម្រួល ឬបញ្ជាក់បន្ថែម" in body
    assert MOC_EN not in body and app.reference in mail.outbox[0].subject


def test_a_note_is_sent_as_typed(django_capture_on_commit_callbacks):
    owner = UserFactory(preferred_language="en")
    app = submitted_application(owner)
    ask_correction(app, django_capture_on_commit_callbacks, note='Don\'t use "&" in the name.')
    assert 'Don\'t use "&" in the name.' in mail.outbox[0].body


def test_registration_email_gives_the_registration_number_and_tin(
    django_capture_on_commit_callbacks,
):
    owner = UserFactory(preferred_language="en")
    representative = UserFactory(preferred_language="en")
    app = complete_application(owner)
    actions.authorise_representative(app, owner, representative.email)
    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.submit_application(app, representative, declared_by_name="Sok Chanda")
        pay(app)
    business = Business.objects.get(application_reference=app.reference)
    [message] = [m for m in mail.outbox if "registered" in m.subject]  # once, to the owner
    assert message.to == [owner.email] and app.reference in message.subject
    assert f"Registration number: {business.registration_number}" in message.body
    assert f"Tax identification number (TIN): {business.tin}" in message.body


def test_rejection_email_gives_the_reason(django_capture_on_commit_callbacks):
    owner = UserFactory(preferred_language="en")
    app = submitted_application(owner)
    mef = officer("MEF")
    task = task_in_review(app, "MEF", mef)
    with django_capture_on_commit_callbacks(execute=True):
        agency_actions.reject_task(task, mef, reason="NOT_PAID", note="Nothing received.")
    message = mail.outbox[0]
    assert "rejected" in message.subject
    expected = "Ministry of Economy and Finance: The fee was not paid\n  Nothing received."
    assert expected in message.body


def test_an_applicant_without_email_gets_the_same_text_by_sms(
    sms_outbox, django_capture_on_commit_callbacks
):
    owner = UserFactory(
        email=None, phone="+85512777888", username="+85512777888", preferred_language="en"
    )
    app = submitted_application(owner)
    ask_correction(app, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    [sms] = sms_outbox
    assert sms["to"] == "+85512777888"
    assert app.reference in sms["text"] and "The business name must be changed" in sms["text"]


def test_a_status_that_moved_on_before_the_message_ran_sends_nothing():
    from singleportal.agencies.tasks import tell_applicant

    owner = UserFactory()
    app = submitted_application(owner)
    tell_applicant(app.pk, "approved")  # it is still in progress
    assert mail.outbox == []


# ---------------------------------------------------------------- deadlines


def test_heads_get_the_late_and_near_tasks_each_working_morning(client):
    day = add_working_days(timezone.localdate(), 0)  # today, or the next working day
    owner = UserFactory()
    late_app, near_app, fine_app = (submitted_application(owner) for _ in range(3))
    Task.objects.filter(pk=task_of(late_app, "MEF").pk).update(
        due_on=day - datetime.timedelta(days=7)
    )
    Task.objects.filter(pk=task_of(near_app, "MEF").pk).update(due_on=day)
    Task.objects.filter(pk=task_of(fine_app, "MEF").pk).update(due_on=add_working_days(day, 5))
    head_en = officer("MEF", OfficerLevel.HEAD)
    head_en.preferred_language = "en"
    head_en.save()
    head_km = officer("MEF", OfficerLevel.HEAD)  # Khmer by default
    officer("MEF")  # a clerk: no report
    officer("MOC", OfficerLevel.HEAD)  # nothing at risk at MOC: no report

    with mock.patch("singleportal.agencies.tasks.timezone") as clock:
        clock.localdate.return_value = day
        sent = report_deadlines()

    assert sent == 2
    by_person = {tuple(m.to): m for m in mail.outbox}
    assert set(by_person) == {(head_en.email,), (head_km.email,)}
    english = by_person[(head_en.email,)]
    assert "Ministry of Economy and Finance" in english.subject
    assert "1 task is late" in english.body and "1 task is due soon" in english.body
    assert late_app.reference in english.body and near_app.reference in english.body
    assert fine_app.reference not in english.body
    assert "/office/mef/?risk=late" in english.body
    khmer = by_person[(head_km.email,)]
    assert "ក្រសួងសេដ្ឋកិច្ច និងហិរញ្ញវត្ថុ" in khmer.subject
    assert late_app.reference in khmer.body


def test_no_report_on_a_day_off():
    saturday = timezone.localdate()
    while saturday.weekday() != 5:
        saturday += datetime.timedelta(days=1)
    with mock.patch("singleportal.agencies.tasks.timezone") as clock:
        clock.localdate.return_value = saturday
        assert report_deadlines() == 0
    assert mail.outbox == []
