from routing.models.downloads import DownloadCode, DownloadWindow
from routing.models.events import Event, EventType
from routing.models.files import FilePurpose, RequestFile
from routing.models.integrations import (
    DeliveryStatus,
    IdempotencyRecord,
    Integration,
    WebhookDelivery,
)
from routing.models.operations import Heartbeat, WorkerCheck
from routing.models.outbox import MessageStatus, OutboundMessage
from routing.models.parts import PartStatus, RequestPart
from routing.models.recipients import NoticeStatus, Recipient, RecipientNotice
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
    Membership,
    ReferenceCounter,
    Request,
    Role,
    Route,
    RouteAction,
    RouteStatus,
    Status,
    TargetType,
    WaitingFor,
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
    "DownloadCode",
    "DownloadWindow",
    "Event",
    "EventType",
    "FilePurpose",
    "Heartbeat",
    "IdempotencyRecord",
    "Integration",
    "Membership",
    "MessageStatus",
    "NoticeStatus",
    "Organisation",
    "OutboundMessage",
    "PartStatus",
    "Recipient",
    "RecipientNotice",
    "ReferenceCounter",
    "Request",
    "RequestFile",
    "RequestPart",
    "Role",
    "Route",
    "RouteAction",
    "RouteStatus",
    "Scope",
    "Status",
    "TargetType",
    "ThirdParty",
    "WaitingFor",
    "WebhookDelivery",
    "WorkerCheck",
]
