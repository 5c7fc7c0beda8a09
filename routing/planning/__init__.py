"""Registry specs, registry files and the pure routing planner (no Django, no database)."""

from .loading import (
    REGISTRY_DIR,
    RegistryFileError,
    load_demo_customers,
    load_registry_files,
)
from .memory import InMemoryRegistry
from .planner import (
    CustomerRef,
    Identifiers,
    Plan,
    PlanningError,
    RegistryView,
    RouteDecision,
    Target,
    Task,
    plan_routes,
)
from .specs import (
    ACTIONS,
    KIND_TASK_CODES,
    KINDS,
    REGIMES,
    ROLE_ACTIONS,
    ROLES,
    TASK_CODES,
    CustomerSpec,
    OrganisationSpec,
    RegistryFiles,
    ScopeSpec,
    ThirdPartySpec,
)

__all__ = [
    "ACTIONS",
    "KINDS",
    "KIND_TASK_CODES",
    "REGIMES",
    "REGISTRY_DIR",
    "ROLES",
    "ROLE_ACTIONS",
    "TASK_CODES",
    "CustomerRef",
    "CustomerSpec",
    "Identifiers",
    "InMemoryRegistry",
    "OrganisationSpec",
    "Plan",
    "PlanningError",
    "RegistryFileError",
    "RegistryFiles",
    "RegistryView",
    "RouteDecision",
    "ScopeSpec",
    "Target",
    "Task",
    "ThirdPartySpec",
    "load_demo_customers",
    "load_registry_files",
    "plan_routes",
]
