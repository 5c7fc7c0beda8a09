"""Acting on some parts of a request: which parts a change names, and closing them.

``kinds`` absent means every open part; a kind the request does not hold, or a part
already closed, is refused by name so nothing changes half-way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError

from routing.domain.transitions import TransitionError
from routing.models import PartStatus, Request, RequestPart
from routing.selectors.deadlines import local_today
from routing.services.requests.dates import request_parts


def chosen_parts(request: Request, kinds: Sequence[str] | None) -> list[RequestPart]:
    """The open parts ``kinds`` names (every open part when None)."""
    parts = request_parts(request)
    if kinds is None:
        return [part for part in parts if part.status == PartStatus.OPEN]
    by_kind = {part.kind: part for part in parts}
    unknown = [kind for kind in kinds if kind not in by_kind]
    if unknown:
        raise ValidationError(
            {
                "kinds": f"Not a part of this request: {', '.join(unknown)}; its parts are "
                f"{', '.join(by_kind)}."
            }
        )
    if not kinds:
        raise ValidationError({"kinds": "Name at least one part, or leave kinds out for all."})
    closed = [kind for kind in kinds if by_kind[kind].status != PartStatus.OPEN]
    if closed:
        raise ValidationError({"kinds": f"Already closed: {', '.join(closed)}."})
    return [by_kind[kind] for kind in dict.fromkeys(kinds)]


def extend_parts(
    request: Request, kinds: Sequence[str] | None, reason: str, now: datetime
) -> list[RequestPart]:
    """Extend each named part once, before its first due date passes (GDPR Art. 12(3),
    CCPA § 1798.130(a)(2)): the law allows one extension per request, and each part is
    answered on its own clock."""
    parts = chosen_parts(request, kinds)
    if kinds is None:
        # "Extend" with no kinds: every open part that can still be extended.
        candidates = [p for p in parts if p.extendable_to is not None and p.extended_at is None]
        if not candidates:
            if any(p.extended_at is not None for p in parts):
                raise TransitionError("This request was already extended; the law allows it once.")
            raise TransitionError(f"{request.regime} has no extension.", code="no_extension")
        parts = candidates
    today = local_today(request.organisation, now)
    for part in parts:
        if part.extended_at is not None:
            raise TransitionError(
                f"The {part.kind} part was already extended; the law allows it once."
            )
        if part.extendable_to is None:
            raise TransitionError(
                f"The {part.kind} part has no extension under {request.regime}.",
                code="no_extension",
            )
        if today > part.due_on:
            raise TransitionError(
                f"The {part.kind} part's first due date, {part.due_on.isoformat()}, has "
                "passed; an extension must be notified before it.",
                code="too_late",
            )
    for part in parts:
        part.extended_at = now
        part.extension_reason = reason
    return parts


def close_parts(parts: Sequence[RequestPart], status: str, now: datetime, ground: str = "") -> None:
    for part in parts:
        part.status = status
        part.closed_at = now
        part.denial_ground = ground


def open_parts(request: Request) -> list[RequestPart]:
    return [part for part in request_parts(request) if part.status == PartStatus.OPEN]


def kinds_data(request: Request, parts: Sequence[RequestPart]) -> dict[str, Any]:
    """``kinds`` for an event that acted on only some of the request's parts."""
    if len(parts) == len(request_parts(request)):
        return {}
    return {"kinds": [part.kind for part in parts]}
