"""The client's address, for rate limits and login lockouts.

A forwarded-for header is believed only when the connection comes from a proxy listed in
DSAR_TRUSTED_PROXIES; anyone else could write any address there and escape every limit.
A header that is missing or malformed never fails the request: the connection's own
address is used instead.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Rate limits need some address: a connection without one (a Unix socket) shares this.
UNKNOWN = "0.0.0.0"  # noqa: S104 (a placeholder address, nothing binds to it)
# A header longer than this many hops is cut to its last ones, the ones proxies added.
MAX_HOPS = 20


def parse_networks(values: list[str] | tuple[str, ...], *, name: str) -> tuple[IPNetwork, ...]:
    """Addresses or ranges (``10.0.0.0/8``), refused at start-up with the setting's name."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {value!r} is not an IP address or network."
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_networks(values, name="DSAR_TRUSTED_PROXIES")


def parse_address(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address: IPAddress, trusted: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent ``request``, never raising.

    With the connection from a trusted proxy, the forwarded-for header is read from its
    right end (what the nearest proxy added) leftwards, past further trusted proxies; the
    first address not trusted is the client. Left of it, anything may be forged.
    """
    remote = parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    if remote is None:
        return UNKNOWN
    trusted = _trusted(tuple(settings.DSAR_TRUSTED_PROXIES))
    header = settings.DSAR_CLIENT_IP_HEADER
    if header == "REMOTE_ADDR" or not _is_trusted(remote, trusted):
        return str(remote)
    raw = str(request.META.get(header) or "")
    client = remote
    for hop in reversed(raw.split(",")[-MAX_HOPS:]):
        address = parse_address(hop)
        if address is None:
            if raw.strip():
                logger.warning("client address: malformed %s from a trusted proxy", header)
            break
        client = address
        if not _is_trusted(address, trusted):
            break
    return str(client)
