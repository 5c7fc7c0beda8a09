from routing.admin import operations, registry

__all__ = ["operations", "registry"]
