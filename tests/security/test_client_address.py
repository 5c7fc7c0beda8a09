"""The client's address: a forwarded-for header counts only from a trusted proxy, and a
bad one never fails the request."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from dsar.client_address import UNKNOWN, client_ip, parse_networks
from tests.intake.test_form import CALLKOM, callkom_post
from tests.support.recipes import compose

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.DSAR_TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]
    settings.DSAR_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"


def _ip(remote: str | None, forwarded: str | None = None) -> str:
    meta: dict[str, Any] = {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return client_ip(request)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Not from a proxy: the header is anyone's to write, and ignored.
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),
        # From the proxy: the address it saw.
        ("10.0.0.2", "203.0.113.9", "203.0.113.9"),
        # The client wrote its own header; the proxy appended the address it saw.
        ("10.0.0.2", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        # Two proxies in a row: past the trusted hop.
        ("10.0.0.2", "203.0.113.9, 10.0.0.3", "203.0.113.9"),
        ("::1", "2001:db8::5", "2001:db8::5"),
        ("10.0.0.2", "[2001:db8::5]", "2001:db8::5"),
        # Missing, empty or malformed: the connection's own address.
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "unknown", "10.0.0.2"),
        ("10.0.0.2", "::zz, <script>", "10.0.0.2"),
        ("10.0.0.2", "203.0.113.9:4711", "10.0.0.2"),
        # Malformed to the left of a good hop: the good hop.
        ("10.0.0.2", "garbage, 203.0.113.9", "203.0.113.9"),
        # No usable connection address at all.
        (None, "203.0.113.9", UNKNOWN),
        ("not-an-ip", "203.0.113.9", UNKNOWN),
    ],
)
def test_client_ip(
    behind_proxy: None, remote: str | None, forwarded: str | None, expected: str
) -> None:
    assert _ip(remote, forwarded) == expected


def test_without_trusted_proxies_no_header_is_believed(settings: Any) -> None:
    settings.DSAR_TRUSTED_PROXIES = []

    assert _ip("127.0.0.1", "203.0.113.9") == "127.0.0.1"


def test_a_bad_trusted_proxy_setting_is_named() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"DSAR_TRUSTED_PROXIES: 'proxy\.local'"):
        parse_networks(["10.0.0.1", "proxy.local"], name="DSAR_TRUSTED_PROXIES")


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_limit(
    client: Client, registry: Any, settings: Any, behind_proxy: None
) -> None:
    settings.DSAR_INTAKE_RATE_PER_IP = "1/h"
    first = client.post(
        CALLKOM, callkom_post(email="a@example.org"),
        REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1",
    )  # fmt: skip
    forged = client.post(
        CALLKOM, callkom_post(email="b@example.org"),
        REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.2",
    )  # fmt: skip

    assert first.status_code == 302
    assert forged.status_code == 429


@pytest.mark.django_db
def test_the_proxys_header_tells_clients_apart(
    client: Client, registry: Any, settings: Any, behind_proxy: None
) -> None:
    settings.DSAR_INTAKE_RATE_PER_IP = "1/h"
    for n in (1, 2):
        response = client.post(
            CALLKOM, callkom_post(email=f"p{n}@example.org"),
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )  # fmt: skip
        assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "", "garbage", "::zz", "1.2.3.4.5"])
@pytest.mark.parametrize("meta_key", ["HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP"])
def test_a_missing_or_malformed_header_is_not_a_500(
    client: Client, registry: Any, settings: Any, meta_key: str, header: str | None
) -> None:
    settings.DSAR_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.DSAR_CLIENT_IP_HEADER = meta_key
    extra: dict[str, Any] = {} if header is None else {meta_key: header}

    response = client.post(CALLKOM, callkom_post(), REMOTE_ADDR="127.0.0.1", **extra)

    assert response.status_code == 302


# --- Where gunicorn listens -----------------------------------------------------------------


def _gunicorn_bind(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for key in ("DSAR_BIND", "GUNICORN_BIND"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return str(runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["bind"])


def test_gunicorn_binds_loopback_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _gunicorn_bind(monkeypatch) == "127.0.0.1:8000"


def test_dsar_bind_moves_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _gunicorn_bind(monkeypatch, DSAR_BIND="10.1.2.3:9000") == "10.1.2.3:9000"
    assert _gunicorn_bind(monkeypatch, GUNICORN_BIND="127.0.0.1:9001") == "127.0.0.1:9001"


def test_compose_publishes_web_on_the_hosts_loopback_only() -> None:
    services = compose()["services"]

    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_compose_trusts_only_its_own_network() -> None:
    data = compose()
    subnets = [entry["subnet"] for entry in data["networks"]["default"]["ipam"]["config"]]
    trusted = data["services"]["web"]["environment"]["DSAR_TRUSTED_PROXIES"].split(",")

    assert trusted == subnets
