"""A request's parts as staff pages read them."""

from __future__ import annotations

from routing.clock import REGIMES
from routing.models import PartStatus, Request, RequestPart

# The attribute the request's services keep its parts in while they change them.
PARTS_HELD = "_part_rows"


def kind_name(request: Request, kind: str) -> str:
    regime = REGIMES.get(request.regime)
    return (regime.label(kind) if regime else None) or kind.replace("_", " ")


def request_parts_list(request: Request) -> list[RequestPart]:
    """Its parts in order; those a service just stored with it are not read back."""
    held: list[RequestPart] | None = getattr(request, PARTS_HELD, None)
    if held is not None:
        return sorted(held, key=lambda part: part.position)
    return list(request.parts.order_by("position"))


def open_part_choices(request: Request) -> list[tuple[str, str]]:
    """(kind, name) of each open part, for a form that names the parts it acts on."""
    return [
        (part.kind, kind_name(request, part.kind))
        for part in request_parts_list(request)
        if part.status == PartStatus.OPEN
    ]
