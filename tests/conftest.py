import pytest

from singleportal.accounts.sms import MemorySmsBackend


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "singleportal.accounts.sms.MemorySmsBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def sms_outbox():
    return MemorySmsBackend.outbox
