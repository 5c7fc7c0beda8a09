from django.contrib.admin.apps import AdminConfig


class DsarAdminConfig(AdminConfig):
    """Django's admin, on the site that asks staff for their second factor."""

    default_site = "dsar.admin_site.DsarAdminSite"

    def ready(self) -> None:
        super().ready()
        from dsar import checks  # noqa: F401  (registers the service's own system checks)
