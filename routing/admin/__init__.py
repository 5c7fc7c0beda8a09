from routing.admin import integrations, operations, registry, requests, tenancy

__all__ = ["integrations", "operations", "registry", "requests", "tenancy"]
