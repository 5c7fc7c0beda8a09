"""The customer's acknowledgement page: what the link they were sent stands for now.

A customer may open the link long after it was sent: the request may have been
acknowledged (by them, by staff or through an integration), answered, found not to apply,
or closed before anyone confirmed receipt. The page says which, so it never claims a
confirmation nobody made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from routing.domain.wording import local_date
from routing.models import (
    CLOSED_STATUSES,
    WORKING_STATUSES,
    ActorType,
    Organisation,
    Request,
    Route,
    RouteStatus,
)
from routing.selectors.acknowledgements import route_acknowledgement

# How the acknowledgement link labels its actor (routing.views.acknowledge).
LINK_ACTOR_PREFIX = "customer link:"


@dataclass(frozen=True)
class AcknowledgementPage:
    route: Route
    request: Request
    organisation: Organisation
    # open: receipt can be confirmed; acknowledged; done; not_applicable; closed (before
    # anyone confirmed receipt); elsewhere (the request is not with the customer).
    state: str
    acknowledged_on: date | None = None
    # link: this page's button; staff; integration (the organisation's own system).
    acknowledged_by: str = ""
    done_on: date | None = None
    # The request's end, when it ended: its status, day and the earlier request of a
    # duplicate.
    closed_status: str = ""
    closed_on: date | None = None
    original: str = ""

    @property
    def can_acknowledge(self) -> bool:
        return self.state == "open"


def _acknowledged_by(route: Route) -> str:
    event = route_acknowledgement(route)
    if event is None:
        return ""
    if event.actor_type == ActorType.STAFF:
        return "staff"
    if event.actor_type == ActorType.INTEGRATION:
        return "integration"
    if event.actor_label.startswith(LINK_ACTOR_PREFIX):
        return "link"
    return ""


def _state(route: Route, request: Request) -> str:
    if route.status == RouteStatus.ACKNOWLEDGED:
        return "acknowledged"
    if route.status == RouteStatus.DONE:
        return "done"
    if route.status == RouteStatus.NOT_APPLICABLE:
        return "not_applicable"
    if route.status == RouteStatus.SENT:
        if request.status in WORKING_STATUSES:
            return "open"
        return "closed"
    return "elsewhere"


def acknowledgement_page(route: Route) -> AcknowledgementPage:
    request = route.request
    organisation = request.organisation
    state = _state(route, request)
    closed = request.status in CLOSED_STATUSES
    return AcknowledgementPage(
        route=route,
        request=request,
        organisation=organisation,
        state=state,
        acknowledged_on=local_date(organisation, route.acknowledged_at)
        if route.acknowledged_at
        else None,
        acknowledged_by=_acknowledged_by(route) if state == "acknowledged" else "",
        done_on=local_date(organisation, route.done_at) if route.done_at else None,
        closed_status=str(request.status) if closed else "",
        closed_on=local_date(organisation, request.closed_at)
        if closed and request.closed_at
        else None,
        original=request.duplicate_of.reference
        if closed and request.duplicate_of is not None
        else "",
    )
