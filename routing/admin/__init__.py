from routing.admin import operations, registry, requests, tenancy

__all__ = ["operations", "registry", "requests", "tenancy"]
