"""Processes the tests start (gunicorn, Celery workers, manage.py) and the SMTP server
they send to."""

from __future__ import annotations

import socket
import subprocess
from email import message_from_bytes
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# The settings a started process runs on: the service's own. pytest-django exports the
# tests' settings module in DJANGO_SETTINGS_MODULE, which a child would otherwise inherit.
SERVICE_SETTINGS = {"DJANGO_SETTINGS_MODULE": "dsar.settings"}


def database_url() -> str:
    """The test database (pytest-django created it under its own name) as a DATABASE_URL."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"


def stop_process(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def smtp_env(controller: Controller) -> dict[str, str]:
    """Worker settings that send through ``controller``."""
    return {"EMAIL_DELIVERY": "smtp", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(controller.port)}
