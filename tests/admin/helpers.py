"""Small helpers shared by the admin tests."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.urls import reverse


def admin_url(model: str, view: str, *args: Any) -> str:
    return reverse(f"admin:routing_{model}_{view}", args=args)


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def listed(response: Any) -> list[Any]:
    return list(response.context["cl"].result_list)


def filter_choices(response: Any, title: str) -> list[str]:
    """The labels a changelist filter offers, without "All"."""
    for spec in response.context["cl"].filter_specs:
        if spec.title == title:
            return [str(c["display"]) for c in spec.choices(response.context["cl"])][1:]
    raise AssertionError(f"no filter titled {title!r}")
