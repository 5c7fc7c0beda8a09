from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = "DSAR routing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anymail.signals import tracking

        from routing.receivers import record_tracking
        from routing.selectors.registry_snapshot import connect_signals

        connect_signals()
        tracking.connect(record_tracking, dispatch_uid="routing.record_tracking")
