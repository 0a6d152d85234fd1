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
    # Production serves hashed static files after collectstatic; tests use the plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    celery_app.conf.task_always_eager = True
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def sms_outbox():
    return MemorySmsBackend.outbox


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL stage)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
