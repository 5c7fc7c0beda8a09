"""Settings, read only from environment variables (see deploy/env.example).

With no variables set the service runs on embedded defaults: SQLite and a
broker on the local disk under ``var/``, and emails written to ``var/mail/``.
``DJANGO_DEBUG=false`` switches to production mode, where the secret key and
allowed hosts must be given and every ``check --deploy`` warning is addressed.
"""

from __future__ import annotations

import os
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from dsar.client_address import parse_networks
from dsar.env import env_bool, env_choice, env_int, env_list, env_optional, env_rate, env_str
from routing.files.crypto import new_master_key_entry, parse_keyring

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DSAR_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", True)


def _development_secret_key() -> str:
    """A random key kept under var/, so sessions survive restarts of a local run."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


if DEBUG:
    SECRET_KEY = env_optional("DJANGO_SECRET_KEY") or _development_secret_key()
    ALLOWED_HOSTS = env_list(
        "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]
    )
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 varied characters.")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG=false.")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin on a site that asks staff for their second factor (dsar/admin_site.py).
    "dsar.apps.DsarAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "anymail",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",
    "routing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: a session past the password only is anonymous outside enrolment.
    "routing.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a lockout recorded during the request into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so it is first to see a view's exception: a database out of reach is a 503.
    "routing.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "dsar.urls"
WSGI_APPLICATION = "dsar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = env_optional("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                _database_url,
                conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
                # A kept connection is checked before reuse, so one the database dropped
                # (a restart, a failover) is replaced instead of failing the request.
                conn_health_checks=True,
            )
        }
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable host must fail fast (a 503) rather than hold a worker until
        # gunicorn kills it; the URL may set its own (?connect_timeout=N).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
            # A long timeout lets the web server and the worker share the file.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DATABASES["default"]["TEST"] = {"NAME": env_optional("DATABASE_TEST_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env_optional("REDIS_URL")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    # kombu's filesystem transport needs no server, so a first run still starts a
    # real worker and beat that exchange messages through files.
    CELERY_BROKER_URL = "filesystem://"
    for _folder in ("queue", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A broker that is down must not hold a web request: give up fast, the relay resends.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "routing.tasks.record_heartbeat", "schedule": 60.0},
    "relay-outbox": {"task": "routing.tasks.relay_outbox", "schedule": 60.0},
    # Reminders and follow-ups read stored, indexed times; every few minutes is enough.
    "sweep-reminders": {"task": "routing.tasks.sweep_reminders", "schedule": 300.0},
    "sweep-follow-ups": {"task": "routing.tasks.sweep_follow_ups", "schedule": 300.0},
    "sweep-recipient-follow-ups": {
        "task": "routing.tasks.sweep_recipient_follow_ups",
        "schedule": 300.0,
    },
    "send-digests": {"task": "routing.tasks.send_digests", "schedule": crontab(hour=6, minute=0)},
    # Hourly: close download windows past their end and delete their files.
    "close-download-windows": {
        "task": "routing.tasks.close_download_windows",
        "schedule": crontab(minute=40),
    },
    "relay-webhooks": {"task": "routing.webhook_tasks.relay_webhooks", "schedule": 60.0},
    "sweep-deadline-webhooks": {
        "task": "routing.webhook_tasks.sweep_deadline_webhooks",
        "schedule": 300.0,
    },
    "purge-idempotency-keys": {
        "task": "routing.webhook_tasks.purge_idempotency_keys",
        "schedule": crontab(minute=50),
    },
    # Daily, at a quiet hour: purge personal data of requests closed past retention.
    "purge-closed-requests": {
        "task": "routing.tasks.purge_closed_requests",
        "schedule": crontab(hour=3, minute=20),
    },
    # Hourly: expire, and erase, requests their subject never confirmed.
    "expire-unverified-requests": {
        "task": "routing.tasks.expire_unverified_requests",
        "schedule": crontab(minute=35),
    },
}

# --- Cache (rate limits, shared by every web process) -----------------------------------------
if REDIS_URL:
    _cache_location = env_str("CACHE_URL", REDIS_URL)
    # A cache out of reach is skipped (rate limits, the registry snapshot): it must fail in
    # a second, not after the system's TCP timeout.
    _cache_options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_location,
            "OPTIONS": _cache_options,
        },
        # The same Redis; its errors read as "not counted", so an outage lets people in.
        "ratelimit": {
            "BACKEND": "dsar.cache.FailOpenRedisCache",
            "LOCATION": _cache_location,
            "OPTIONS": _cache_options,
        },
    }
    # django-ratelimit lists only third-party Redis backends as supported; Django's own
    # increments atomically too. dsar.E001 (dsar/checks.py) checks what this one would
    # have: that the rate-limit cache is shared and fails open.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    # The embedded default runs one web process (runserver), so a process-local cache is
    # shared enough for rate limits; any deployment with several processes sets REDIS_URL.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_USE_CACHE = "ratelimit"
# Rate limits and login lockouts count per client address (dsar/client_address.py): the
# connection's, or the one a trusted proxy forwarded.
RATELIMIT_IP_META_KEY = "dsar.client_address.client_ip"
RATELIMIT_VIEW = "routing.views.errors.ratelimited"
# A cache outage must not turn people away: limits are skipped until it is back.
RATELIMIT_FAIL_OPEN = True
# The header a trusted proxy puts the client's address in (a META key).
DSAR_CLIENT_IP_HEADER = env_str("DSAR_CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
# Addresses or networks of the proxies whose header is believed; nobody else's is. The
# default suits a proxy on the same host, gunicorn's only neighbour on loopback.
DSAR_TRUSTED_PROXIES = env_list("DSAR_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
parse_networks(DSAR_TRUSTED_PROXIES, name="DSAR_TRUSTED_PROXIES")  # a typo stops the start

# Public forms, per client address or per email address (django-ratelimit rates: 10/h, 30/15m).
DSAR_INTAKE_RATE_PER_IP = env_rate("DSAR_INTAKE_RATE_PER_IP", "10/h")
DSAR_INTAKE_RATE_PER_EMAIL = env_rate("DSAR_INTAKE_RATE_PER_EMAIL", "5/h")
DSAR_CONFIRM_RATE_PER_IP = env_rate("DSAR_CONFIRM_RATE_PER_IP", "30/h")
DSAR_STATUS_RATE_PER_IP = env_rate("DSAR_STATUS_RATE_PER_IP", "30/h")
# One-time download codes a request may be sent.
DSAR_DOWNLOAD_CODE_RATE = env_rate("DSAR_DOWNLOAD_CODE_RATE", "5/h")
# Days an answer package can be downloaded after the part is completed; then its files go.
DSAR_DOWNLOAD_DAYS = env_int("DSAR_DOWNLOAD_DAYS", 30, minimum=1)

# --- Email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "DSAR desk <privacy@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ANYMAIL_ESP = env_optional("ANYMAIL_ESP")
if ANYMAIL_ESP:
    # Any provider anymail supports: "postmark", "mailgun", "sendgrid", "amazon_ses", ...
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_ESP}.EmailBackend"
    ANYMAIL = {
        key.removeprefix("ANYMAIL_"): value
        for key, value in os.environ.items()
        if key.startswith("ANYMAIL_") and key != "ANYMAIL_ESP"
    }
else:
    EMAIL_DELIVERY = env_choice("EMAIL_DELIVERY", "files", ("files", "console", "smtp"))
    if EMAIL_DELIVERY == "files":
        EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        EMAIL_FILE_PATH = str(VAR_DIR / "mail")
    elif EMAIL_DELIVERY == "console":
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    else:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
        EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
        EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
        EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
        EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
        EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("sl", "Slovenščina")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Staff sign-in --------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff sign in with a password, then a code from an authenticator app (TOTP) or one of
# their recovery codes. Production requires it; development and the tests may skip it.
DSAR_REQUIRE_SECOND_FACTOR = env_bool("DSAR_REQUIRE_SECOND_FACTOR", not DEBUG)
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "admin:index"
# The admin site decides itself where to send staff (dsar/admin_site.py).
TWO_FACTOR_PATCH_ADMIN = False
OTP_TOTP_ISSUER = "DSAR routing"
# Failed sign-ins (a wrong password or a wrong code) from one username at one address
# before both are locked out, and for how long.
AXES_FAILURE_LIMIT = env_int("DSAR_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DSAR_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "dsar.client_address.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "two_factor/locked.html"
# Failures are kept (and purged at cool-off); a row per successful sign-in is not needed.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "script-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    # TLS ends at the proxy in front of gunicorn; trust its header only when told to.
    if env_bool("DJANGO_BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The load balancer probes /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["routing.api.authentication.IntegrationTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["routing.api.permissions.IsIntegration"],
    "DEFAULT_THROTTLE_CLASSES": ["routing.api.throttling.IntegrationRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"integration": env_str("DSAR_API_THROTTLE", "1200/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only, and nested past a few dozen levels is a 400, not a RecursionError
    # (routing/api/parsers.py; the API's views say the same in ApiViewMixin).
    "DEFAULT_PARSER_CLASSES": ["routing.api.parsers.DepthLimitedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "routing.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DSAR routing API",
    "DESCRIPTION": "Create, sync and act on data-subject requests; read the registry and clock.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from local static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_links": {"()": "dsar.log_redaction.RedactSubjectLinks"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            # Status, confirmation and acknowledgement links are secrets (dsar/log_redaction.py).
            "filters": ["redact_links"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own handlers for these would write request paths unredacted.
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}

# --- Service --------------------------------------------------------------------------------
# Seconds after which a worker that has not written its heartbeat is reported stale.
DSAR_HEARTBEAT_STALE_AFTER = env_int("DSAR_HEARTBEAT_STALE_AFTER", 180, minimum=10)
# Days after closing that a request's personal data is purged (counts and audit shape stay).
DSAR_RETENTION_DAYS = env_int("DSAR_RETENTION_DAYS", 730, minimum=1)
# Days a request may wait for its subject's confirmation before it expires and is erased.
DSAR_UNVERIFIED_EXPIRY_DAYS = env_int("DSAR_UNVERIFIED_EXPIRY_DAYS", 7, minimum=1)
# Attempts before an email is marked failed and a staff task raised.
DSAR_EMAIL_MAX_ATTEMPTS = env_int("DSAR_EMAIL_MAX_ATTEMPTS", 8, minimum=1)
# Seconds before the first retry of an email; each later retry waits twice as long (at most 1 h).
DSAR_EMAIL_RETRY_BASE_SECONDS = env_int("DSAR_EMAIL_RETRY_BASE_SECONDS", 60, minimum=1)
# The address links in emails point to, e.g. https://privacy.example.com
DSAR_PUBLIC_URL = env_str("DSAR_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Where people write when a page cannot help them (the "too many requests" page, when the
# organisation has no privacy contact of its own). Default: the address emails come from.
DSAR_CONTACT_EMAIL = env_str("DSAR_CONTACT_EMAIL", parseaddr(DEFAULT_FROM_EMAIL)[1] or SERVER_EMAIL)

# Webhook URLs may name loopback, private, link-local or metadata addresses (a receiver on the
# same host or network). Off: such URLs are refused when saved and when a delivery is sent.
DSAR_WEBHOOK_ALLOW_PRIVATE = env_bool("DSAR_WEBHOOK_ALLOW_PRIVATE", False)

# --- Files: answer packages, proofs of identity, correspondence -----------------------------
# Encrypted at rest (routing/files/crypto.py), in a folder under var/ or an S3-compatible bucket.
DSAR_FILES_STORAGE = env_choice("DSAR_FILES_STORAGE", "filesystem", ("filesystem", "s3"))
DSAR_FILES_DIR = env_str("DSAR_FILES_DIR", str(VAR_DIR / "files"))
DSAR_FILES_S3_BUCKET = env_str("DSAR_FILES_S3_BUCKET", "")
DSAR_FILES_S3_ENDPOINT_URL = env_optional("DSAR_FILES_S3_ENDPOINT_URL")
DSAR_FILES_S3_REGION = env_optional("DSAR_FILES_S3_REGION")
# Absent: boto3's own chain (AWS_* variables, the instance's role).
DSAR_FILES_S3_ACCESS_KEY_ID = env_optional("DSAR_FILES_S3_ACCESS_KEY_ID")
DSAR_FILES_S3_SECRET_ACCESS_KEY = env_optional("DSAR_FILES_S3_SECRET_ACCESS_KEY")
DSAR_FILES_S3_ADDRESSING_STYLE = env_choice(
    "DSAR_FILES_S3_ADDRESSING_STYLE", "path", ("path", "virtual", "auto")
)
if DSAR_FILES_STORAGE == "s3" and not DSAR_FILES_S3_BUCKET:
    raise ImproperlyConfigured("DSAR_FILES_S3_BUCKET is required when DSAR_FILES_STORAGE=s3.")
# Megabytes an answer package or a correspondence file may hold (a proof of identity: 10).
DSAR_FILES_MAX_MB = env_int("DSAR_FILES_MAX_MB", 100, minimum=1)


def _development_file_keys() -> str:
    """A master key kept under var/, so files stored by a local run open after a restart."""
    path = VAR_DIR / "file_keys"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(new_master_key_entry("dev1"))
        path.chmod(0o600)
    return path.read_text().strip()


# Master keys that wrap each file's data key: id:base64key (32 random bytes), comma-separated,
# the first current. Production gives them; without them storing or opening a file fails.
DSAR_FILE_KEYS = env_optional("DSAR_FILE_KEYS") or (_development_file_keys() if DEBUG else "")
if DSAR_FILE_KEYS:
    try:
        parse_keyring(DSAR_FILE_KEYS)
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from None
