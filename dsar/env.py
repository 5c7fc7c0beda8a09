"""Typed readers for settings that come from environment variables.

Each reader fails loudly with the variable's name, so a typo in a deployment is
found at start-up rather than as odd behaviour later.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_optional(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    return _raw(name, environ)


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean; use one of "
        f"{', '.join(sorted(_TRUE | _FALSE))}."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not an integer."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"Environment variable {name}={number} is below {minimum}.")
    return number


def env_list(
    name: str, default: list[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: tuple[str, ...], *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ) or default
    if value not in choices:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not one of: {', '.join(choices)}."
        )
    return value


_RATE = re.compile(r"^\d+/\d*[smhd]$")


def env_rate(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """A rate as django-ratelimit reads it: ``10/h``, ``100/15m``, ``5/d``."""
    value = _raw(name, environ) or default
    if not _RATE.match(value):
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not a rate; write it as 10/h, 30/15m "
            "or 5/d (count / seconds, minutes, hours or days)."
        )
    return value
