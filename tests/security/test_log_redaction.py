"""Status, confirmation and acknowledgement links never reach a log whole."""

from __future__ import annotations

import io
import logging
import runpy
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from dsar.gunicorn_logging import RedactingLogger
from dsar.log_redaction import RedactSubjectLinks, redact

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Xq3vT0kEn-secret_value"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/s/{TOKEN}/", "/s/[redacted]/"),
        (f"/s/{TOKEN}/answer/", "/s/[redacted]/answer/"),
        (f"/s/{TOKEN}", "/s/[redacted]"),
        (f"/confirm/{TOKEN}:1tX:abc/", "/confirm/[redacted]/"),
        (f"/ack/{TOKEN}/?x=1", "/ack/[redacted]/?x=1"),
        (
            f'"POST /s/{TOKEN}/withdraw/ HTTP/1.1" 302',
            '"POST /s/[redacted]/withdraw/ HTTP/1.1" 302',
        ),
        (f"https://privacy.example.com/s/{TOKEN}/", "https://privacy.example.com/s/[redacted]/"),
        ("/o/callkom/request/sent/", "/o/callkom/request/sent/"),
        ("/static/routing/public.css", "/static/routing/public.css"),
        ("/s/[redacted]/", "/s/[redacted]/"),
    ],
)
def test_redact_keeps_the_path_shape_without_the_secret(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_the_filter_rewrites_a_records_message_and_arguments() -> None:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s",
                               (f"/s/{TOKEN}/",), None)  # fmt: skip

    assert RedactSubjectLinks().filter(record) is True
    assert record.getMessage() == "Not Found: /s/[redacted]/"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """What the handlers of Django's request loggers write, while the test runs."""
    stream = io.StringIO()
    handlers = {
        handler
        for name in ("django.request", "django.server", "")
        for handler in logging.getLogger(name).handlers
        if isinstance(handler, logging.StreamHandler)
    }
    assert handlers, "the request loggers have a stream handler"
    previous = {handler: handler.setStream(stream) for handler in handlers}
    yield stream
    for handler, old in previous.items():
        handler.setStream(old)


@pytest.mark.parametrize("logger_name", ["django.request", "django.server"])
def test_djangos_request_logs_are_redacted(logger_name: str, captured: io.StringIO) -> None:
    logging.getLogger(logger_name).warning('"GET %s HTTP/1.1" 404 179', f"/s/{TOKEN}/")

    output = captured.getvalue()
    assert "/s/[redacted]/" in output
    assert TOKEN not in output


@pytest.mark.django_db
def test_a_not_found_status_link_is_logged_without_its_token(client, captured) -> None:
    client.get(f"/s/{TOKEN}/answer/")  # GET on a POST-only view: Django logs a warning

    output = captured.getvalue()
    assert "/s/[redacted]/answer/" in output
    assert TOKEN not in output


def _gunicorn_config(access_log: Path) -> Config:
    """deploy/gunicorn.conf.py as gunicorn reads it, with the access log in a file."""
    config = Config()
    for key, value in runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py")).items():
        if key in config.settings:
            config.set(key, value)
    config.set("accesslog", str(access_log))
    return config


def test_gunicorn_access_lines_are_redacted(tmp_path: Path) -> None:
    access_log = tmp_path / "access.log"
    config = _gunicorn_config(access_log)
    assert config.logger_class is RedactingLogger
    logger = config.logger_class(config)
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/s/{TOKEN}/withdraw/",
        "PATH_INFO": f"/s/{TOKEN}/withdraw/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://privacy.example.com/s/{TOKEN}/",
        "HTTP_USER_AGENT": "test",
    }
    response = SimpleNamespace(status="302 Found", response_length=0, headers=[], sent=0)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])

    logger.access(response, request, environ, SimpleNamespace(seconds=0, microseconds=1000))
    for handler in logger.access_log.handlers:
        handler.flush()

    line = access_log.read_text()
    assert '"POST /s/[redacted]/withdraw/ HTTP/1.1" 302' in line
    assert "https://privacy.example.com/s/[redacted]/" in line
    assert TOKEN not in line
