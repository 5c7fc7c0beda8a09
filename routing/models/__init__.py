from routing.models.integrations import (
    DeliveryStatus,
    IdempotencyRecord,
    Integration,
    WebhookDelivery,
)
from routing.models.operations import Heartbeat, WorkerCheck
from routing.models.outbox import MessageStatus, OutboundMessage
from routing.models.registry import (
    Customer,
    CustomerIdentifier,
    Organisation,
    Scope,
    ThirdParty,
)
from routing.models.requests import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ROUTE_OPEN_STATUSES,
    WORKING_STATUSES,
    ActorType,
    Channel,
    Event,
    Membership,
    ReferenceCounter,
    Request,
    Route,
    RouteStatus,
    Status,
)

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "ROUTE_OPEN_STATUSES",
    "WORKING_STATUSES",
    "ActorType",
    "Channel",
    "Customer",
    "CustomerIdentifier",
    "DeliveryStatus",
    "Event",
    "Heartbeat",
    "IdempotencyRecord",
    "Integration",
    "Membership",
    "MessageStatus",
    "Organisation",
    "OutboundMessage",
    "ReferenceCounter",
    "Request",
    "Route",
    "RouteStatus",
    "Scope",
    "Status",
    "ThirdParty",
    "WebhookDelivery",
    "WorkerCheck",
]
