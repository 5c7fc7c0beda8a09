"""The request lifecycle: one service per transition, used alike by the admin, the API,
the intake pages and the tasks. ``receive`` stores a new request; ``transitions`` moves
it; ``routes`` plans and moves its routes; ``locking``, ``dates`` and ``references``
serve them. Each change records its events through the consequences table
(routing.services.consequences), which sends what they cause."""

from routing.domain.transitions import TransitionError
from routing.services.requests.receive import Received, request_receive
from routing.services.requests.routes import (
    route_mark_acknowledged,
    route_mark_done,
    route_mark_not_applicable,
    route_mark_sent,
    route_set_customer,
)
from routing.services.requests.transitions import (
    request_assign,
    request_complete,
    request_deny,
    request_expire_unverified,
    request_extend,
    request_mark_duplicate,
    request_note,
    request_override_regime,
    request_pause,
    request_replan,
    request_resume,
    request_verify,
    request_withdraw,
)

__all__ = [
    "Received",
    "TransitionError",
    "request_assign",
    "request_complete",
    "request_deny",
    "request_expire_unverified",
    "request_extend",
    "request_mark_duplicate",
    "request_note",
    "request_override_regime",
    "request_pause",
    "request_receive",
    "request_replan",
    "request_resume",
    "request_verify",
    "request_withdraw",
    "route_mark_acknowledged",
    "route_mark_done",
    "route_mark_not_applicable",
    "route_mark_sent",
    "route_set_customer",
]
