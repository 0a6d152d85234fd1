"""Who is told about reports of copies: programme staff each working morning while reports
wait for review, and the business's members when staff find a likely copy of their label."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from singleportal.accounts.models import Role
from singleportal.core.calendar import add_working_days
from singleportal.directory.models import MemberRole, ProfileMember
from singleportal.labels import actions
from singleportal.labels.models import CopyReport, ReportStatus
from singleportal.labels.tasks import report_waiting_copies, tell_member_of_copy
from tests.factories import UserFactory
from tests.labels import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def label(people):
    return factories.run(people.product, people.owner).labels.get()


def reported(label, place: str):
    return actions.report_copy(
        label=label, code=label.code, by=None, place=place, description="Machine-made."
    )


@contextmanager
def on(day: datetime.date) -> Iterator[None]:
    """The tasks' clock says `day`."""
    with mock.patch("singleportal.labels.tasks.timezone") as clock:
        clock.localdate.return_value = day
        yield


def test_staff_get_the_reports_waiting_for_review_each_working_morning(people, label):
    waiting = reported(label, "Psar Chas market")
    seen = reported(label, "Old Market stall 12")
    actions.review_report(seen, by=people.staff, finding="not_a_copy", note="Ours, resold.")
    english = UserFactory(roles=[Role.PROGRAMME_STAFF], preferred_language="en")
    UserFactory()  # not staff: not told

    with on(add_working_days(timezone.localdate(), 0)):
        told = report_waiting_copies()

    assert told == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {people.staff.email, english.email}
    message = by_person[english.email]
    assert message.subject == "1 report of a suspected copy waits for review"
    assert waiting.place in message.body and seen.place not in message.body
    assert "/labels/reports/?status=new" in message.body
    assert "រង់ចាំ" in by_person[people.staff.email].subject  # Khmer by default


def test_no_message_on_a_day_off_or_with_nothing_waiting(people, label):
    saturday = timezone.localdate()
    while saturday.weekday() != 5:
        saturday += datetime.timedelta(days=1)
    reported(label, "Psar Chas market")
    with on(saturday):
        assert report_waiting_copies() == 0
    CopyReport.objects.update(status=ReportStatus.NOT_A_COPY)
    assert report_waiting_copies() == 0
    assert mail.outbox == []


def test_the_members_are_told_when_staff_find_a_likely_copy(
    people, label, django_capture_on_commit_callbacks
):
    helper = UserFactory(preferred_language="en")
    ProfileMember.objects.create(profile=people.product.profile, user=helper, role=MemberRole.STAFF)
    report = reported(label, "Psar Chas market")

    with django_capture_on_commit_callbacks(execute=True):
        actions.review_report(
            report, by=people.staff, finding="likely_copy", note="Printed, not woven."
        )

    assert {m.to[0] for m in mail.outbox} == {people.owner.email, helper.email}
    english = next(m for m in mail.outbox if m.to == [helper.email])
    assert english.subject == f"A likely copy of your label {label.code}"
    assert "Psar Chas market" in english.body and "Printed, not woven." in english.body
    assert people.product.title_en in english.body
    assert f"/labels/reports/{report.pk}/" in english.body
    assert people.other.email not in {m.to[0] for m in mail.outbox}


def test_other_findings_tell_nobody_and_a_changed_finding_is_not_sent(
    people, label, django_capture_on_commit_callbacks
):
    report = reported(label, "Psar Chas market")
    with django_capture_on_commit_callbacks(execute=True):
        actions.review_report(report, by=people.staff, finding="not_a_copy", note="Ours.")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=False):
        review = actions.review_report(
            report, by=people.staff, finding="likely_copy", note="Looked again."
        )
    actions.review_report(report, by=people.staff, finding="unclear", note="Cannot tell.")
    tell_member_of_copy(review.pk, people.owner.pk)  # ran late, after the change
    assert mail.outbox == []
