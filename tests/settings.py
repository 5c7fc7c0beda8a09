"""Settings of the test run: the service's own settings, with what every test wants.

pytest reads this module (``[tool.pytest.ini_options]`` in pyproject.toml). Processes the
tests start (gunicorn, Celery workers, ``manage.py``) are given ``dsar.settings``, as in
production, and so are mypy's Django plugin and every command outside the tests.
"""

from __future__ import annotations

from dsar.settings import *  # noqa: F403

# Most tests make staff users or log them in; the real hasher is slow by design.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Emails go to django.core.mail.outbox, where tests read them. Django's test runner sets
# the same backend when the run starts; saying it here keeps it for code that reads the
# setting before then. A test that needs another backend sets it with the settings fixture.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
