"""Recipients of each organisation's data: who is told of an erasure, rectification or
restriction (GDPR Art. 19), editable by the organisation's staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from routing.admin.registry import ContactMissingFilter
from routing.admin.tenancy import OrganisationListFilter, TenantAdmin
from routing.models import Recipient


class RecipientForm(forms.ModelForm):
    class Meta:
        model = Recipient
        fields = [
            "organisation",
            "slug",
            "name",
            "role",
            "purpose",
            "scopes",
            "privacy_email",
            "contact_problem",
            "source",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation, scopes = data.get("organisation"), data.get("scopes")
        if organisation is not None and scopes is not None:
            foreign = [scope.key for scope in scopes if scope.organisation_id != organisation.pk]
            if foreign:
                self.add_error("scopes", f"Not scopes of {organisation}: {', '.join(foreign)}.")
        return data


@admin.register(Recipient)
class RecipientAdmin(TenantAdmin):
    form = RecipientForm
    list_display = ["name", "organisation", "role", "contact", "scope_list"]
    list_filter = [("organisation", OrganisationListFilter), "role", ContactMissingFilter]
    search_fields = ["name", "slug", "purpose"]
    filter_horizontal = ["scopes"]
    list_select_related = ["organisation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Recipient]:
        return super().get_queryset(request).prefetch_related("scopes")

    @admin.display(description="privacy contact")
    def contact(self, obj: Recipient) -> str:
        if obj.privacy_email:
            return obj.privacy_email
        return format_html(
            '<strong class="errornote">missing</strong> {}', obj.contact_problem or "no address"
        )

    @admin.display(description="scopes")
    def scope_list(self, obj: Recipient) -> str:
        return ", ".join(scope.key for scope in obj.scopes.all())
