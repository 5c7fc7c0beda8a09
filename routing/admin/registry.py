"""The registry in the admin: problems visible, customers findable by number or domain."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html

from routing.admin.tenancy import (
    NotFoundAdmin,
    OrganisationListFilter,
    SuperuserWritesMixin,
    TenantAdmin,
    TenantInline,
)
from routing.identifiers import InvalidIdentifier, normalise_domain, normalise_phone
from routing.models import Customer, CustomerIdentifier, Organisation, Scope, ThirdParty


def _contact(obj: Organisation | ThirdParty) -> str:
    if obj.privacy_email:
        return obj.privacy_email
    return format_html(
        '<strong class="errornote">missing</strong> {}', obj.contact_problem or "no address"
    )


class ContactMissingFilter(admin.SimpleListFilter):
    title = "contact address"
    parameter_name = "contact"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("missing", "missing"), ("present", "present")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "missing":
            return queryset.filter(privacy_email="")
        if self.value() == "present":
            return queryset.exclude(privacy_email="")
        return queryset


# Shown where an organisation names no supervisory authority (Art. 77(1) GDPR).
NO_AUTHORITY_WARNING = (
    "No supervisory authority is named for this organisation: refusals will name the "
    "authority of the subject's country instead. Add the lead authority's name and address "
    "under “Law and clock” once the organisation states it."
)


class AuthorityMissingFilter(admin.SimpleListFilter):
    title = "supervisory authority"
    parameter_name = "authority"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("missing", "not named"), ("named", "named")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "missing":
            return queryset.filter(authority_name="")
        if self.value() == "named":
            return queryset.exclude(authority_name="")
        return queryset


# Addresses typed without a scheme are taken as https, never http.
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class ScopeInline(TenantInline):
    model = Scope
    fields = ["key", "name", "role", "action", "third_party", "policy_section"]
    show_change_link = True
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(TenantAdmin):
    tenant_path = "pk"
    list_display = [
        "name",
        "slug",
        "country",
        "default_regime",
        "contact",
        "authority",
        "policy_date",
        "scope_count",
        "customer_count",
    ]
    list_filter = [ContactMissingFilter, AuthorityMissingFilter, "default_regime", "country"]
    search_fields = ["name", "slug", "legal_name"]
    inlines = [ScopeInline]
    formfield_overrides = URL_FIELDS
    fieldsets = [
        (None, {"fields": ["name", "slug", "legal_name", "reference_prefix", "website"]}),
        ("Privacy contact", {"fields": ["privacy_email", "contact_problem", "address"]}),
        (
            "Law and clock",
            {
                "fields": [
                    "country",
                    "timezone",
                    "holiday_country",
                    "holiday_subdivision",
                    "default_regime",
                    "authority_name",
                    "authority_url",
                    "commitments",
                    "forward_within_working_days",
                    "kinds",
                    "minimum_age",
                ]
            },
        ),
        ("Policy", {"fields": ["policy_url", "policy_date"]}),
        ("Customers", {"fields": ["customer_language"]}),
        (
            "Reminders",
            {"fields": ["team_email", "reminder_days_before", "remind_when_overdue"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                scope_total=Count("scopes", distinct=True),
                customer_total=Count("customers", distinct=True),
            )
            # A grouped query drops Meta.ordering; autocomplete pages need an order.
            .order_by("name")
        )

    # A new tenant, or removing one, is a superuser's decision; members may correct theirs.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)

    @admin.display(description="privacy contact")
    def contact(self, obj: Organisation) -> str:
        return _contact(obj)

    @admin.display(description="supervisory authority", ordering="authority_name")
    def authority(self, obj: Organisation) -> str:
        if obj.authority_name:
            return obj.authority_name
        return format_html(
            '<strong class="errornote">not named</strong> {}',
            "refusals name the subject's country's authority",
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        organisation = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if not organisation.authority_name:
            context["authority_warning"] = NO_AUTHORITY_WARNING
        return super().change_view(request, object_id, form_url, context)

    @admin.display(description="scopes", ordering="scope_total")
    def scope_count(self, obj: Any) -> int:
        return int(obj.scope_total)

    @admin.display(description="customers", ordering="customer_total")
    def customer_count(self, obj: Any) -> int:
        return int(obj.customer_total)


@admin.register(Scope)
class ScopeAdmin(TenantAdmin):
    list_display = [
        "key",
        "name",
        "organisation",
        "role",
        "action",
        "third_party",
        "policy_section",
    ]
    list_filter = [("organisation", OrganisationListFilter), "role", "action"]
    search_fields = ["key", "name", "description"]
    list_select_related = ["organisation", "third_party"]


# Third parties are shared by all organisations: every staff user reads them.
@admin.register(ThirdParty)
class ThirdPartyAdmin(SuperuserWritesMixin, NotFoundAdmin):
    list_display = ["name", "slug", "contact", "policy_url"]
    list_filter = [ContactMissingFilter]
    search_fields = ["name", "slug"]
    formfield_overrides = URL_FIELDS

    @admin.display(description="privacy contact")
    def contact(self, obj: ThirdParty) -> str:
        return _contact(obj)


class CustomerIdentifierInline(TenantInline):
    model = CustomerIdentifier
    fields = ["type", "value", "warning"]
    readonly_fields = ["warning"]
    extra = 1


@admin.register(Customer)
class CustomerAdmin(TenantAdmin):
    list_display = ["name", "organisation", "email", "identifier_list", "is_demo", "source"]
    list_filter = [
        ("organisation", OrganisationListFilter),
        "is_demo",
        "source",
        "identifiers__type",
    ]
    search_fields = ["name", "email", "identifiers__value"]
    inlines = [CustomerIdentifierInline]
    list_select_related = ["organisation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Customer]:
        return super().get_queryset(request).prefetch_related("identifiers")

    @admin.display(description="identifiers")
    def identifier_list(self, obj: Customer) -> str:
        return ", ".join(f"{i.type} {i.value}" for i in obj.identifiers.all())

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Customer], search_term: str
    ) -> tuple[QuerySet[Customer], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Staff paste numbers and addresses as people write them: match the stored form too.
        forms = _normalised_forms(search_term)
        if forms:
            matched = queryset.filter(Q(identifiers__value__in=forms))
            results = results | matched
            may_have_duplicates = True
        return results, may_have_duplicates


class CustomerIdentifierForm(forms.ModelForm):
    class Meta:
        model = CustomerIdentifier
        fields = ["customer", "type", "value"]

    def _post_clean(self) -> None:
        # The model's checks read the customer's organisation; with no valid customer
        # (blank, or not one of the user's) the customer field's error is the answer.
        if self.cleaned_data.get("customer") is None:
            return
        super()._post_clean()  # type: ignore[misc]


@admin.register(CustomerIdentifier)
class CustomerIdentifierAdmin(TenantAdmin):
    """Which customer a number or domain finds; edited with its customer as well."""

    form = CustomerIdentifierForm

    list_display = ["value", "type", "customer", "organisation", "warning"]
    list_filter = [("organisation", OrganisationListFilter), "type"]
    search_fields = ["value", "customer__name"]
    list_select_related = ["customer", "organisation"]
    fields = ["customer", "type", "value", "warning"]
    readonly_fields = ["warning"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[CustomerIdentifier], search_term: str
    ) -> tuple[QuerySet[CustomerIdentifier], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        forms = _normalised_forms(search_term)
        if forms:
            results = results | queryset.filter(value__in=forms)
        return results, may_have_duplicates


def _normalised_forms(term: str) -> list[str]:
    term = term.strip()
    if not term:
        return []
    forms = []
    if term.startswith(("+", "00")):
        with suppress(InvalidIdentifier):
            forms.append(normalise_phone(term, default_region=None).e164)
    if "." in term and " " not in term:
        with suppress(InvalidIdentifier):
            forms.append(normalise_domain(term))
    return forms
