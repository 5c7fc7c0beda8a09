"""Pages for data subjects (the intake form, the status page)."""

from django.urls import path

urlpatterns: list = []
