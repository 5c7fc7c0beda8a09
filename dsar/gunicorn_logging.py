"""gunicorn's logger, with the secret part of subject links removed from access lines."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from dsar.log_redaction import redact


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        values = super().atoms(resp, req, environ, request_time)
        # Every text atom: the request line, the path, the query and any header (Referer).
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in values.items()
        }
