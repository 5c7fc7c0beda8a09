"""The request's state machine as one table: which action each status allows, and where
it leads. The services check it before every change; the admin and the API list a
request's allowed actions from it; the tests read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from routing.models import OPEN_STATUSES, WORKING_STATUSES, RouteStatus, Status


class TransitionError(Exception):
    """A move the request's state does not allow; nothing was changed."""

    def __init__(self, message: str, *, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Transition:
    # How a refusal names the action: "Cannot <verb> a request that is ...".
    verb: str
    allowed: tuple[str, ...]
    # Where it leads; None: the status does not change.
    to: str | None = None
    # Offered by the API as POST /api/v1/requests/{id}/<name>/ (others: admin, tasks).
    api: bool = True


# Keyed by the action's name in the API (POST /api/v1/requests/{id}/<name>/).
TRANSITIONS: dict[str, Transition] = {
    "verify": Transition("verify", (Status.UNVERIFIED,), Status.NEW),
    "assign": Transition("assign", OPEN_STATUSES),
    "pause": Transition(
        "pause the clock of", (Status.NEW, Status.IN_PROGRESS), Status.AWAITING_SUBJECT
    ),
    "resume": Transition("resume", (Status.AWAITING_SUBJECT,), Status.IN_PROGRESS),
    "extend": Transition("extend", WORKING_STATUSES),
    "regime": Transition("change the regime of", OPEN_STATUSES, api=False),
    "complete": Transition("complete", (Status.NEW, Status.IN_PROGRESS), Status.COMPLETED),
    "deny": Transition("deny", OPEN_STATUSES, Status.DENIED),
    "withdraw": Transition("withdraw", OPEN_STATUSES, Status.WITHDRAWN),
    "duplicate": Transition("close as duplicate", OPEN_STATUSES, Status.DUPLICATE),
    "expire": Transition("expire", (Status.UNVERIFIED,), Status.EXPIRED, api=False),
    "replan": Transition("plan the routes of", OPEN_STATUSES, api=False),
}

# A route is acted on only while its request is worked on.
ROUTE_ACTIONS_WHEN = WORKING_STATUSES
ROUTE_TRANSITIONS: dict[str, Transition] = {
    "sent": Transition("mark sent", (RouteStatus.PENDING,), RouteStatus.SENT),
    "acknowledged": Transition("mark acknowledged", (RouteStatus.SENT,), RouteStatus.ACKNOWLEDGED),
    "done": Transition(
        "mark done",
        (RouteStatus.PENDING, RouteStatus.SENT, RouteStatus.ACKNOWLEDGED),
        RouteStatus.DONE,
    ),
    "not_applicable": Transition(
        "mark not applicable",
        (RouteStatus.PENDING, RouteStatus.NEEDS_CUSTOMER),
        RouteStatus.NOT_APPLICABLE,
    ),
    "customer": Transition(
        "set the customer of",
        (RouteStatus.NEEDS_CUSTOMER, RouteStatus.PENDING),
        RouteStatus.PENDING,
    ),
}


def allowed_actions(status: str, *, api: bool = False) -> list[str]:
    """The actions a request in ``status`` allows, in the table's order; ``api``: only
    those the API offers."""
    return [
        name
        for name, transition in TRANSITIONS.items()
        if status in transition.allowed and (transition.api or not api)
    ]


def allowed_route_actions(request_status: str, route_status: str) -> list[str]:
    if request_status not in ROUTE_ACTIONS_WHEN:
        return []
    return [n for n, t in ROUTE_TRANSITIONS.items() if route_status in t.allowed]


def _label(status: str) -> str:
    return str(Status(status).label if status in Status.values else RouteStatus(status).label)


def check(action: str, status: str, *, table: dict[str, Transition] | None = None) -> Transition:
    """The transition, or TransitionError naming the statuses that allow it."""
    transition = (table or TRANSITIONS)[action]
    if status not in transition.allowed:
        labels = [_label(s) for s in transition.allowed]
        current = _label(status)
        noun = "a request" if table is None else "a route"
        raise TransitionError(
            f"Cannot {transition.verb} {noun} that is {current}; allowed when {', '.join(labels)}."
        )
    return transition
