"""A real HTTP receiver on the loopback interface, and integrations pointing at it.

The receiver stands for what a webhook URL must never reach: a service inside the
deployment's network. ``DSAR_WEBHOOK_ALLOW_PRIVATE`` is off unless a test turns it on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from routing.models import Integration, Organisation
from routing.services import webhook_delivery
from routing.services.integrations import integration_create


class Receiver:
    """Records each POST (path, Host header) and answers ``status`` with ``body``."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.status = 200
        self.body = b"ok"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"path": self.path, "host": self.headers["Host"]})
                self.send_response(receiver.status)
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )


@pytest.fixture(autouse=True)
def private_refused(settings: Any) -> None:
    """The default, stated: a test that allows private addresses says so itself."""
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = False


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def no_broker(monkeypatch: Any) -> list[int]:
    """Deliveries are attempted by the tests themselves; what would be enqueued, in order."""
    ids: list[int] = []
    monkeypatch.setattr(webhook_delivery, "_enqueue", ids.append)
    return ids


@pytest.fixture
def hook_to(registry: Any, settings: Any, no_broker: list[int]) -> Callable[[str], Integration]:
    """An integration of Callkom whose webhook is ``url``, stored as it was before the
    rule (or with the setting on), whatever the setting is when it sends."""

    def make(url: str) -> Integration:
        allowed = settings.DSAR_WEBHOOK_ALLOW_PRIVATE
        settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True
        try:
            return integration_create(
                name=f"Hooks {Integration.objects.count() + 1}",
                organisations=[Organisation.objects.get(slug="callkom")],
                webhook_url=url,
            ).integration
        finally:
            settings.DSAR_WEBHOOK_ALLOW_PRIVATE = allowed

    return make
