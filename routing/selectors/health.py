"""Reads that tell whether the service's parts are up."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dsar.celery import app as celery_app
from routing.models import Heartbeat

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComponentState:
    """Whether a part answers; ``detail`` names the backend or the error's type, never
    a host or message, since the endpoint is public."""

    ok: bool
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


def database_state() -> ComponentState:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("health: database unavailable: %s", error)
        return ComponentState(False, type(error).__name__)
    return ComponentState(True, connection.vendor)


def broker_state() -> ComponentState:
    try:
        with celery_app.connection_for_write() as conn:
            # One quick attempt: a load balancer must get an answer, not a hang.
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            driver = conn.transport.driver_type
            if driver == "redis":
                conn.default_channel.client.ping()  # type: ignore[attr-defined]
            elif driver == "filesystem":
                folder = (conn.transport_options or {})["data_folder_in"]
                if not os.access(folder, os.W_OK):
                    return ComponentState(False, "queue folder not writable")
            return ComponentState(True, driver)
    except Exception as error:
        logger.warning("health: broker unavailable: %s", error)
        return ComponentState(False, type(error).__name__)


def scheduler_state() -> dict[str, Any]:
    """Age of the last heartbeat: informative only, a stale worker does not fail the web check."""
    beat = Heartbeat.objects.filter(source="scheduler").first()
    if beat is None:
        return {"last_seen": None, "age_seconds": None, "stale": True}
    age = (timezone.now() - beat.seen_at).total_seconds()
    return {
        "last_seen": beat.seen_at.isoformat(),
        "age_seconds": round(age),
        "stale": age > settings.DSAR_HEARTBEAT_STALE_AFTER,
    }


def system_health() -> tuple[bool, dict[str, Any]]:
    database = database_state()
    broker = broker_state()
    payload: dict[str, Any] = {
        "status": "ok" if database.ok and broker.ok else "unavailable",
        "database": database.as_json(),
        "broker": broker.as_json(),
    }
    if database.ok:
        payload["scheduler"] = scheduler_state()
    return database.ok and broker.ok, payload
