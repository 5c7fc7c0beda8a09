"""Subject and customer links carry their secret in the path: logs keep only its place.

``/s/<token>/`` opens a person's request, ``/confirm/<payload>/`` confirms it and
``/ack/<payload>/`` acknowledges a forwarded part (``/ack/r/<payload>/`` a notice to a
recipient). Anyone who reads a log line with one
of them whole could act in that person's place, so access logs and Django's request
logs write ``/s/[redacted]/`` instead.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
# The secret is the whole path segment after the prefix, wherever the path appears: the
# request line, the path alone, or a Referer sent from one of those pages.
_SECRET_SEGMENT = re.compile(r"(/(?:s|confirm|ack/r|ack)/)(?!\[redacted\])[^/?#\s\"']+")


def redact(text: str) -> str:
    return _SECRET_SEGMENT.sub(rf"\g<1>{REDACTED}", text)


class RedactSubjectLinks(logging.Filter):
    """Rewrites a record's message with the links' secrets removed; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
