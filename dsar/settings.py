"""Settings, read only from environment variables (see deploy/env.example).

With no variables set the service runs on embedded defaults: SQLite and a
broker on the local disk under ``var/``, and emails written to ``var/mail/``.
``DJANGO_DEBUG=false`` switches to production mode, where the secret key and
allowed hosts must be given and every ``check --deploy`` warning is addressed.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from dsar.env import env_bool, env_choice, env_int, env_list, env_optional, env_str

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
    "django.contrib.admin",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    "send-digests": {"task": "routing.tasks.send_digests", "schedule": crontab(hour=6, minute=0)},
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
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL", REDIS_URL),
            # A cache out of reach is skipped (rate limits, the registry snapshot): it must
            # fail in a second, not after the system's TCP timeout.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Django's own Redis backend increments atomically (INCR); django-ratelimit only
    # lists third-party Redis backends as supported.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    # The embedded default runs one web process (runserver), so a process-local cache is
    # shared enough for rate limits; any deployment with several processes sets REDIS_URL.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Rate limits count per client address; behind the proxy that is the forwarded one.
RATELIMIT_IP_META_KEY = env_str("DSAR_CLIENT_IP_HEADER", "REMOTE_ADDR")  # e.g. HTTP_X_REAL_IP
RATELIMIT_VIEW = "routing.views.errors.ratelimited"
# A cache outage must not turn people away: limits are skipped until it is back.
RATELIMIT_FAIL_OPEN = True

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
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
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
