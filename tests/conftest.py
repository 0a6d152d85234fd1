import pytest
from django.test import Client

from singleportal.accounts.sms import MemorySmsBackend
from singleportal.config.celery import app as celery_app


class CommittingClient(Client):
    """A test client whose requests run their on-commit work before returning.

    Each test runs inside one transaction that is rolled back, so `transaction.on_commit`
    callbacks would never fire; a real request commits at its end, so run them there. Work
    registered inside a rolled-back block is still dropped, as in production.
    """

    def request(self, **request):
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "singleportal.accounts.sms.MemorySmsBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    celery_app.conf.task_always_eager = True
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def sms_outbox():
    return MemorySmsBackend.outbox
