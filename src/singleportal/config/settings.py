"""Settings for every mode. With no environment at all this is the embedded default:
SQLite and local files under SINGLEPORTAL_DATA_DIR (./var), tasks on a local-folder queue."""

from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from singleportal.config.env import env_bool, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("SINGLEPORTAL_DATA_DIR", "var")).resolve()

DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED = not DATABASE_URL
# The embedded default is for a laptop; production (a DATABASE_URL) is never in debug unless asked.
DEBUG = env_bool("DEBUG", EMBEDDED)
SECRET_KEY = env_secret(
    "SECRET_KEY", required=not DEBUG, fallback="embedded-default-not-for-production"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "ninja",
    "singleportal.core",
    "singleportal.audit",
    "singleportal.accounts",
    "singleportal.agencies",
    "singleportal.geo",
    "singleportal.registry",
    "singleportal.names",
    "singleportal.activities",
    "singleportal.applications",
    "singleportal.payments",
    "singleportal.certificates",
    "singleportal.directory",
    "singleportal.catalog",
    "singleportal.browse",
    "singleportal.labels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "singleportal.core.middleware.KhmerFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "singleportal.core.access.DefaultDenyMiddleware",
    "singleportal.accounts.middleware.RequireSecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "singleportal.config.urls"
WSGI_APPLICATION = "singleportal.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    }
]

DATABASES: dict[str, Any]
if EMBEDDED:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "singleportal.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
else:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# The public pages' version queries are prepared once per connection (core/db.py); turn off
# behind a pooler in transaction mode that cannot keep prepared statements.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASE_PREPARED_STATEMENTS and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # psycopg prepares nothing while this is None (Django's default). Django's cursors bind on
    # the client and never prepare; with a threshold no statement reaches, only those that
    # core/db.py asks for are.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "singleportal.accounts.backends.EmailOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Brute-force lockout: five wrong passwords for one account from one address locks it for 15 min.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "singleportal.accounts.identifiers.lockout_username"

OTP_TOTP_ISSUER = "Single Portal"

LANGUAGE_CODE = "km"
LANGUAGES = [("km", _("Khmer")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "singleportal_language"
TIME_ZONE = "Asia/Phnom_Penh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
# Application documents (PDF, JPEG, PNG); larger uploads are refused with a message.
APPLICATION_UPLOAD_MAX_BYTES = env_int("APPLICATION_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if EMBEDDED
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "outbox" / "email"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Single Portal <no-reply@singleportal.localhost>"
)
# Where links in messages point (the public address of the site).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# SMS: "file" writes each message under the data folder (the embedded default); a gateway
# adapter is added when the notifications app lands.
SMS_BACKEND = env_str("SMS_BACKEND", "singleportal.accounts.sms.FileSmsBackend")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(DATA_DIR / "outbox" / "sms"))

# Background work. Production: RabbitMQ. Embedded default: a queue in local folders, so the
# same tasks run through a real worker with no server to install.
QUEUE_DIR = DATA_DIR / "queue"
CELERY_BROKER_URL = env_str("BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    for sub in ("out", "processed", "control"):
        (QUEUE_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(QUEUE_DIR / "out"),
        "data_folder_out": str(QUEUE_DIR / "out"),
        "processed_folder": str(QUEUE_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(QUEUE_DIR / "control"),
    }
# The queue tasks are sent to and a worker consumes: one name for the web nodes and workers of
# one deployment; tests and benchmarks give their worker a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = env_str("TASK_QUEUE", "celery")
CELERY_TASK_ALWAYS_EAGER = env_bool("TASKS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# Business names (issue 4). Periods are defaults the operator may change per deployment.
NAMES_RESERVATION_DAYS = env_int("NAMES_RESERVATION_DAYS", 30)
NAMES_EXTENSION_DAYS = env_int("NAMES_EXTENSION_DAYS", 30)  # one extension per reservation
NAMES_REMINDER_DAYS = env_int("NAMES_REMINDER_DAYS", 5)  # remind this many days before expiry
NAMES_MAX_ACTIVE_RESERVATIONS = env_int("NAMES_MAX_ACTIVE_RESERVATIONS", 3)
NAMES_MAX_LENGTH = 200
NAMES_CHECK_RATE = env_str("NAMES_CHECK_RATE", "60/60")  # checks per client address per seconds
# How long a process may answer name checks from the rules and the similar-name index it holds
# before asking the database whether they changed. Identical names and reservations are always
# read from the database; a name registered elsewhere shows as similar after at most this long.
NAMES_REFRESH_MILLISECONDS = env_int("NAMES_REFRESH_MILLISECONDS", 2000)
# Agencies (issue 6): the legal promise for a whole file, and when a task counts as due soon.
FILE_SLA_WORKING_DAYS = env_int("FILE_SLA_WORKING_DAYS", 8)
SLA_NEAR_WORKING_DAYS = env_int("SLA_NEAR_WORKING_DAYS", 1)
# Public registry and open data (issue 8). Rates are requests per period in seconds ("60/60"),
# counted in the cache (Redis in production) per client address, or per key with X-Api-Key.
REGISTRY_API_ANON_RATE = env_str("REGISTRY_API_ANON_RATE", "60/60")
REGISTRY_API_KEY_RATE = env_str("REGISTRY_API_KEY_RATE", "1200/60")  # unless the key sets one
# Business pages and API answers are cached until the business changes (the key holds its
# updated_at); this bounds how long an unvisited entry stays in the cache.
REGISTRY_CACHE_SECONDS = env_int("REGISTRY_CACHE_SECONDS", 3600)
# Whole public pages for anonymous visitors (business pages, certificate verifications) kept in
# each web process, this many of each kind (about 5 KB a page; keyed by the version of what
# they show, so never stale; core/page_memory.py); 0 turns this off.
PAGES_IN_MEMORY = env_int("PAGES_IN_MEMORY", 2000)
# The Server-Sent Events stream polls for new events this long, then ends; the client comes
# back after the retry delay with Last-Event-ID. Bounded so that it never holds a web worker.
REGISTRY_STREAM_SECONDS = env_int("REGISTRY_STREAM_SECONDS", 15)
REGISTRY_STREAM_POLL_MILLISECONDS = env_int("REGISTRY_STREAM_POLL_MILLISECONDS", 1000)
REGISTRY_STREAM_RETRY_MILLISECONDS = env_int("REGISTRY_STREAM_RETRY_MILLISECONDS", 5000)

# Promotion hub. Photos (profiles, products, copy reports; core/images.py): size checked
# before decoding, and the pixel count that stops decompression bombs.
PHOTO_UPLOAD_MAX_BYTES = env_int("PHOTO_UPLOAD_MAX_BYTES", 8 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
# A catalogue CSV import (catalog/importing.py).
CATALOG_IMPORT_MAX_BYTES = env_int("CATALOG_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
CATALOG_IMPORT_MAX_ROWS = env_int("CATALOG_IMPORT_MAX_ROWS", 50_000)
# Reports of suspected copies from one address (labels/views.py).
LABELS_REPORT_RATE = env_str("LABELS_REPORT_RATE", "5/3600")
# Searches of the public search API (/api/v1/search/) from one address.
BROWSE_API_RATE = env_str("BROWSE_API_RATE", "60/60")
# How many streams may wait for new events at once (across web nodes with Redis); past that a
# stream sends what exists and ends, and its client comes back after the retry delay.
REGISTRY_STREAM_MAX_OPEN = env_int("REGISTRY_STREAM_MAX_OPEN", 4)
# The daily bulk export (registry/export.py): one folder per day, the newest N days kept.
REGISTRY_EXPORT_DIR = Path(env_str("REGISTRY_EXPORT_DIR", str(DATA_DIR / "exports"))).resolve()
REGISTRY_EXPORT_KEEP = env_int("REGISTRY_EXPORT_KEEP", 7)
# Payments (issue 7). The provider is the sandbox bank (`singleportal sandbox-bank`) until a
# bank's adapter is configured; its secrets are required outside the embedded default.
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "sandbox")
PAYMENT_SANDBOX_URL = env_str("PAYMENT_SANDBOX_URL", "http://127.0.0.1:8070")
PAYMENT_SANDBOX_PUBLIC_URL = env_str("PAYMENT_SANDBOX_PUBLIC_URL", PAYMENT_SANDBOX_URL)
PAYMENT_WEBHOOK_SECRET = env_secret(
    "PAYMENT_WEBHOOK_SECRET", required=not DEBUG, fallback="sandbox-webhook-secret"
)
PAYMENT_API_KEY = env_secret("PAYMENT_API_KEY", required=not DEBUG, fallback="sandbox-api-key")
# The receiving account in the KHQR code (Bakong account id, name and city as the bank holds them).
KHQR_ACCOUNT_ID = env_str("KHQR_ACCOUNT_ID", "singleportal@mef")
KHQR_MERCHANT_NAME = env_str("KHQR_MERCHANT_NAME", "SINGLE PORTAL MEF")
KHQR_MERCHANT_NAME_KM = env_str("KHQR_MERCHANT_NAME_KM", "ច្រកចេញចូលតែមួយ")
KHQR_MERCHANT_CITY = env_str("KHQR_MERCHANT_CITY", "PHNOM PENH")
# How long an invoice's payment code is valid; afterwards the applicant asks for a new code.
INVOICE_PAY_WITHIN_HOURS = env_int("INVOICE_PAY_WITHIN_HOURS", 72)
# A payment not notified by webhook within this many seconds is asked for (polling fallback).
PAYMENT_POLL_AFTER_SECONDS = env_int("PAYMENT_POLL_AFTER_SECONDS", 120)
# Certificates (issue 8): the Ed25519 key that signs new certificates, a PEM file. The embedded
# default makes one under the data folder on first use; production must name a file (its absence
# stops every certificate with a clear error, and `manage.py check --deploy` reports it).
CERTIFICATE_SIGNING_KEY_FILE = env_str(
    "CERTIFICATE_SIGNING_KEY_FILE",
    str(DATA_DIR / "keys" / "certificate-signing.pem") if EMBEDDED else "",
)
CERTIFICATE_GENERATE_KEY = EMBEDDED
CELERY_BEAT_SCHEDULE = {
    "agencies-report-deadlines": {
        "task": "singleportal.agencies.tasks.report_deadlines",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
    "names-expire-reservations": {
        "task": "singleportal.names.tasks.expire_name_reservations",
        "schedule": 3600.0,
    },
    "payments-poll-open-invoices": {
        "task": "singleportal.payments.tasks.poll_open_invoices",
        "schedule": 120.0,
    },
    "payments-sweep": {
        "task": "singleportal.payments.tasks.sweep",
        "schedule": 300.0,
    },
    "names-remind-reservations": {
        "task": "singleportal.names.tasks.remind_name_reservations",
        "schedule": 6 * 3600.0,
    },
    "labels-report-waiting-copies": {
        "task": "singleportal.labels.tasks.report_waiting_copies",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
    "registry-export": {  # 02:00 in Cambodia (CELERY_TIMEZONE)
        "task": "singleportal.registry.tasks.export_register",
        "schedule": crontab(hour=2, minute=0),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per sign-in at INFO is noise; lockouts are logged as warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
