from routing.admin import integrations, operations, recipients, registry, requests, tenancy

__all__ = ["integrations", "operations", "recipients", "registry", "requests", "tenancy"]
