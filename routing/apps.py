from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = "DSAR routing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anymail.signals import tracking

        # Registered in every process, so services hand them work by name (domain.jobs).
        import routing.tasks
        import routing.webhook_tasks  # noqa: F401
        from routing.domain.registry_snapshot import connect_signals
        from routing.receivers import record_tracking

        connect_signals()
        tracking.connect(record_tracking, dispatch_uid="routing.record_tracking")
