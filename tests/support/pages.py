"""Reading the public pages and the emails that link to them."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail


def link_in(message: mail.EmailMessage, path_part: str) -> str:
    """The first link in an email's text body whose path contains ``path_part``."""
    for url in re.findall(r"https?://\S+", str(message.body)):
        if path_part in url:
            return url
    raise AssertionError(f"no link with {path_part!r} in: {message.body}")


def fr(text: str) -> str:
    """French as the pages write it, with typographic apostrophes: fr("d'accès")."""
    return text.replace("'", "\u2019")


def local_path(url: str) -> str:
    return url.replace(settings.DSAR_PUBLIC_URL, "", 1)
