"""Pages for data subjects (the intake form, the status page)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
