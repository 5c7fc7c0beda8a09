from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = "DSAR routing"
    default_auto_field = "django.db.models.BigAutoField"
