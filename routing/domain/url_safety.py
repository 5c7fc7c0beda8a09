"""Webhook URLs reach public addresses only.

A webhook URL is typed by staff, but the worker that posts to it sits inside the
deployment's network: a URL naming a loopback, private, link-local or metadata address
(or a hostname resolving to one) would let it reach services no outsider should. So:

- when a URL is saved, its host (an address, or every address its name resolves to) must
  be public; a name that does not resolve yet is accepted and checked when sending;
- when sending, the host is resolved, every address is checked, and the connection goes
  to a checked address, so a name that resolves elsewhere a moment later (DNS rebinding)
  changes nothing. TLS still verifies the certificate against the host name.

``DSAR_WEBHOOK_ALLOW_PRIVATE = True`` lifts both checks (a receiver on the same host or
network, and the tests' local receivers).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Named for the message; anything else that is not globally routable is refused as well.
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
}

SETTING = "DSAR_WEBHOOK_ALLOW_PRIVATE"


class AddressRefused(Exception):
    """A webhook host that is, or resolves to, an address that is not public.

    Not an OSError, so the HTTP libraries pass it through instead of retrying it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def private_allowed() -> bool:
    return bool(getattr(settings, SETTING, False))


def address_problem(address: str) -> str | None:
    """What kind of non-public address ``address`` (an IP, possibly with an IPv6 zone) is,
    e.g. "a loopback address"; None for a public one."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_multicast or not ip.is_global:
        return "not a public address"
    return None


def _resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order; raises socket.gaierror."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def _literal(host: str) -> str | None:
    """``host`` if it is an IP address (an IPv6 one possibly with its zone), else None."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    return host


def _refusal(host: str, address: str, kind: str) -> str:
    said = f"{host} is {kind}" if _literal(host) else f"{host} resolves to {address}, {kind}"
    return f"{said}: webhooks go to public addresses only (setting {SETTING})."


def checked_addresses(host: str, port: int) -> list[str]:
    """The addresses of ``host``, each checked; raises AddressRefused if any is not public
    (one bad address among good ones is refused too: the resolver may pick it)."""
    addresses = _resolve(host, port)
    if not private_allowed():
        for address in addresses:
            kind = address_problem(address)
            if kind is not None:
                raise AddressRefused(_refusal(host, address, kind))
    return addresses


def webhook_url_problem(url: str) -> str | None:
    """Why a webhook URL may not be saved, or None. A host that does not resolve now is
    accepted: it is checked again when a delivery is sent."""
    if not url or private_allowed():
        return None
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None  # not a URL: the URL validator says so
    if not host:
        return None
    literal = _literal(host)
    if literal is not None:
        kind = address_problem(literal)
        return None if kind is None else _refusal(host, literal, kind)
    try:
        checked_addresses(host.rstrip("."), port or (443 if parts.scheme == "https" else 80))
    except AddressRefused as refused:
        return refused.message
    except (OSError, UnicodeError):
        return None
    return None


# --- sending ---------------------------------------------------------------------------------


class _CheckedConnectionMixin:
    """Connects to an address checked at connection time, never to a second resolution."""

    host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def _new_conn(self) -> socket.socket:
        try:
            addresses = checked_addresses(self.host, self.port)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error  # type: ignore[arg-type]
        failure: Exception | None = None
        for address in addresses:
            try:
                return connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as error:
                failure = ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                )
                failure.__cause__ = error
            except OSError as error:
                failure = NewConnectionError(
                    self,  # type: ignore[arg-type]
                    f"Failed to establish a new connection: {error}",
                )
                failure.__cause__ = error
        raise failure or NewConnectionError(self, f"{self.host} has no address")  # type: ignore[arg-type]


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def checked_post(url: str, **kwargs: Any) -> requests.Response:
    """``requests.post`` to public addresses only; raises AddressRefused otherwise."""
    with requests.Session() as session:
        # No proxy from the environment: it would resolve the host itself, unchecked.
        session.trust_env = False
        adapter = _CheckedAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session.post(url, **kwargs)
