from routing.models.operations import Heartbeat, WorkerCheck
from routing.models.registry import (
    Customer,
    CustomerIdentifier,
    Organisation,
    Scope,
    ThirdParty,
)

__all__ = [
    "Customer",
    "CustomerIdentifier",
    "Heartbeat",
    "Organisation",
    "Scope",
    "ThirdParty",
    "WorkerCheck",
]
