"""The staff queue, the request page and the audit trail in the admin.

Importing the package registers ``RequestAdmin`` and ``EventAdmin``.
"""

from routing.admin.requests.events import EventAdmin
from routing.admin.requests.request_admin import RequestAdmin

__all__ = ["EventAdmin", "RequestAdmin"]
