from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from singleportal.accounts.sms import MemorySmsBackend
from singleportal.config.celery import app as celery_app
from singleportal.names.rules import forget_configuration
from singleportal.names.search import forget_indexes
from singleportal.sandbox_bank.store import Store


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


@pytest.fixture(scope="session")
def sandbox_bank():
    """The sandbox bank (the payment provider of tests), serving on a free port. Its webhooks
    go nowhere and are not retried: tests that need them start a bank of their own."""
    from django.conf import settings

    from singleportal.sandbox_bank import SandboxBank

    bank = SandboxBank(
        webhook_url="http://127.0.0.1:9/",
        webhook_secret=settings.PAYMENT_WEBHOOK_SECRET,
        api_key=settings.PAYMENT_API_KEY,
        retry_delays=(),
    )
    bank.start()
    yield bank
    bank.stop()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, sandbox_bank):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "singleportal.accounts.sms.MemorySmsBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    # A deliberately slow hash protects real passwords; tests need none of that cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production serves hashed static files after collectstatic; tests use the plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    celery_app.conf.task_always_eager = True
    settings.NAMES_REFRESH_MILLISECONDS = 0  # tests check right after they write
    MemorySmsBackend.outbox.clear()
    # Each test's invoices start from the same numbers again: the bank forgets the last test's.
    sandbox_bank.store = Store(":memory:")
    settings.PAYMENT_SANDBOX_URL = sandbox_bank.base_url
    # Each test rolls back the name keys and rules it added; what was built would outlive them.
    forget_indexes()
    forget_configuration()


@pytest.fixture(autouse=True)
def _certificates_only_where_asked(request):
    """Certifying a register record renders a PDF (about a third of a second): only the tests
    marked `certificates` (all of tests/certificates/) pay for it; elsewhere the register
    records without certifying."""
    from singleportal.certificates import actions as certificates
    from singleportal.registry import hooks as registry_hooks

    if request.node.get_closest_marker("certificates"):
        yield
        return
    registry_hooks.recorded.remove(certificates.on_recorded)
    yield
    registry_hooks.recorded.add(certificates.on_recorded)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves its language active in the thread: the next test must not inherit it
    (an English assertion would pass or fail depending on the order the tests ran in)."""
    yield
    translation.deactivate()


@pytest.fixture
def signing_key(settings, tmp_path_factory):
    """The signing key of the test session for certificates and labels (production mode: a
    key is never generated on demand)."""
    from singleportal.certificates.keys import write_new_key

    path = tmp_path_factory.getbasetemp() / "signing-keys" / "signing.pem"
    if not path.exists():
        write_new_key(path)
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(path)
    settings.CERTIFICATE_GENERATE_KEY = False
    settings.SITE_URL = "https://portal.example.kh"
    return path


@pytest.fixture
def sms_outbox():
    return MemorySmsBackend.outbox


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL stage)")
    certificates = Path(__file__).parent / "certificates"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
        if certificates in item.path.parents:
            item.add_marker(pytest.mark.certificates)


def ensure_reference_data() -> None:
    """Put back what migrations seed (agencies, holidays, geography, legal forms, activities)
    if a flush removed it."""
    from django.apps import apps as django_apps
    from django.utils import timezone

    from singleportal.activities import loading as activity_loading
    from singleportal.activities.models import Activity
    from singleportal.agencies.models import Agency, PlanStep
    from singleportal.agencies.reference import seed_agencies, seed_plan
    from singleportal.applications.models import LegalForm
    from singleportal.applications.reference import seed_legal_forms
    from singleportal.core.calendar import seed_public_holidays
    from singleportal.core.models import PublicHoliday
    from singleportal.geo import data_file, loading
    from singleportal.geo.models import Province
    from singleportal.payments.reference import seed_fees

    if not Agency.objects.exists():
        seed_agencies(Agency)
    if not PlanStep.objects.exists():
        seed_plan(django_apps)
    if not PublicHoliday.objects.exists():
        year = timezone.localdate().year
        seed_public_holidays([year, year + 1])
    if not Province.objects.exists():
        loading.sync(loading.place_models(), data_file.read())
    if not LegalForm.objects.exists():
        seed_legal_forms(LegalForm)
    if not Activity.objects.exists():
        activity_loading.sync(Activity, activity_loading.read())
        activity_loading.mark_licensed(Activity)
    seed_fees(django_apps)  # leaves an existing schedule alone


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests (live server, real worker) end with a flush of every table, so the
    next one reloads the reference data. They run in their own stages (browser, broker) so that
    the flush never reaches the fast, rolled-back tests."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        return
    stages = {mark.name for mark in request.node.iter_markers()} & {"browser", "broker"}
    assert stages, "mark transactional tests `browser` or `broker`: they flush the database"
    request.getfixturevalue("transactional_db")
    ensure_reference_data()


def in_english(client: Client) -> None:
    """Pages are in Khmer unless the visitor chose English: set the switcher's cookie."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
