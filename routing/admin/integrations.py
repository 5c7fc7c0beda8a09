"""Integrations (API clients) and their webhook deliveries in the admin.

An integration grants access to organisations' data, as a membership does, so only
superusers see and manage integrations. Deliveries are shown to staff of the request's
organisation, read-only, with a redeliver action; their filters name only the staff
user's organisations and integrations, and what a receiver answered (which may echo
anything) is shown to superusers only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.debug import sensitive_variables

from routing.admin.tenancy import (
    OrganisationListFilter,
    SuperuserOnlyAdmin,
    TenantAdmin,
    visible_ids,
)
from routing.models import DeliveryStatus, Integration, WebhookDelivery
from routing.services.integrations import (
    integration_revoke,
    integration_rotate_token,
    integration_save,
    webhook_url_check,
)
from routing.services.webhook_delivery import delivery_redeliver

ISSUED_PAGE = "admin/routing/integration/token.html"


@dataclass(frozen=True)
class IssuedToken:
    pk: int
    name: str
    # Kept out of reprs, which error reports print.
    token: str = field(repr=False)


def token_page(request: HttpRequest, issued: list[IssuedToken]) -> HttpResponse:
    """The new tokens, on the answer to the POST itself: never in a message, which would
    keep them in the session or a cookie until shown, and never cached."""
    response = TemplateResponse(
        request,
        ISSUED_PAGE,
        {**admin.site.each_context(request), "title": "New token", "tokens": issued},
    )
    patch_cache_control(response, no_store=True, private=True)
    # Rendered here, inside the caller's transaction: a failure to show the tokens undoes
    # their issue instead of leaving ones nobody has seen.
    response.render()
    return response


class IntegrationForm(forms.ModelForm):
    # A URL typed without a scheme is taken as https, never http.
    webhook_url = forms.URLField(
        label="Webhook URL", required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Integration
        fields = ["name", "organisations", "can_write", "webhook_url", "webhook_secret"]

    def clean_webhook_url(self) -> str:
        url: str = self.cleaned_data.get("webhook_url", "")
        try:
            webhook_url_check(url)
        except ValidationError as error:
            raise ValidationError(error.message_dict["webhook_url"]) from None
        return url


@admin.register(Integration)
class IntegrationAdmin(SuperuserOnlyAdmin):
    form = IntegrationForm
    list_display = [
        "name", "token_prefix", "access", "organisation_list", "webhook_url", "last_used_at",
        "state",
    ]  # fmt: skip
    list_filter = ["can_write", ("revoked_at", admin.EmptyFieldListFilter), "organisations"]
    search_fields = ["name", "token_prefix"]
    filter_horizontal = ["organisations"]
    fields = [
        "name", "organisations", "can_write", "webhook_url", "webhook_secret", "token_prefix",
        "created_at", "last_used_at", "revoked_at",
    ]  # fmt: skip
    readonly_fields = ["token_prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke", "rotate_token"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Integration]:
        return super().get_queryset(request).prefetch_related("organisations")

    @admin.display(description="access")
    def access(self, obj: Integration) -> str:
        return "read and write" if obj.can_write else "read only"

    @admin.display(description="organisations")
    def organisation_list(self, obj: Integration) -> str:
        return ", ".join(o.slug for o in obj.organisations.all())

    @admin.display(description="state")
    def state(self, obj: Integration) -> str:
        if obj.revoked_at is None:
            return "active"
        return format_html('<strong class="errornote">revoked</strong> {}', obj.revoked_at)

    def save_model(self, request: HttpRequest, obj: Integration, form: Any, change: bool) -> None:
        token = integration_save(integration=obj, new=not change)
        if token is not None:
            # For response_add, on this request only.
            request.issued_token = IssuedToken(obj.pk, obj.name, token)  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: Integration, post_url_continue: str | None = None
    ) -> HttpResponse:
        issued = getattr(request, "issued_token", None)
        if issued is None:
            return super().response_add(request, obj, post_url_continue)
        return token_page(request, [issued])

    @admin.action(description="Revoke the selected integrations (their tokens stop working)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Integration]) -> None:
        revoked = 0
        for integration in queryset:
            if integration_revoke(integration=integration, now=timezone.now()):
                revoked += 1
                # The admin's history of the integration says who cut it off, and when.
                self.log_change(request, integration, "Revoked the token.")
        self.message_user(request, f"{revoked} integration(s) revoked.", messages.SUCCESS)

    @admin.action(description="Issue a new token (the old one stops working)")
    @method_decorator(sensitive_variables("token"))
    @transaction.atomic
    def rotate_token(
        self, request: HttpRequest, queryset: QuerySet[Integration]
    ) -> HttpResponse | None:
        issued = []
        for integration in queryset:
            if integration.revoked_at is not None:
                self.message_user(
                    request, f"{integration.name} is revoked; create a new integration.",
                    messages.ERROR,
                )  # fmt: skip
                continue
            token = integration_rotate_token(integration=integration)
            self.log_change(
                request, integration, f"Issued a new token (prefix {integration.token_prefix})."
            )
            issued.append(IssuedToken(integration.pk, integration.name, token))
        return token_page(request, issued) if issued else None


class IntegrationListFilter(admin.RelatedFieldListFilter):
    """The integration filter, listing only integrations of the user's organisations."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[Any, Any]]:
        integrations = Integration.objects.order_by("name")
        ids = visible_ids(request)
        if ids is not None:
            integrations = integrations.filter(organisations__in=ids).distinct()
        return [(i.pk, str(i)) for i in integrations]


def error_summary(last_error: str) -> str:
    """The kind of failure without what follows it: "HTTP 500" of "HTTP 500: <body>", the
    exception's name of "ConnectionError: <detail>", "Refused" of a refusal."""
    return last_error.split(":", 1)[0]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(TenantAdmin):
    tenant_path = "request__organisation"
    list_display = [
        "created_at", "event_type", "integration", "request", "status", "attempts",
        "last_status_code", "next_attempt_at", "delivered_at",
    ]  # fmt: skip
    list_filter = [
        "status",
        "event_type",
        ("integration", IntegrationListFilter),
        ("request__organisation", OrganisationListFilter),
    ]
    search_fields = ["event_id", "request__reference", "integration__name"]
    list_select_related = ["integration", "request"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "event_id", "event_type", "integration", "request", "status", "attempts", "created_at",
        "next_attempt_at", "delivered_at", "last_status_code", "last_error", "last_failure",
        "payload",
    ]  # fmt: skip
    actions = ["redeliver"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The receiver's answer and the error's detail (which names the URL, a superuser's
        # setting) are a superuser's; staff see the status code and the times.
        hidden = "last_failure" if request.user.is_superuser else "last_error"
        return tuple(name for name in self.readonly_fields if name != hidden)

    @admin.display(description="last error")
    def last_failure(self, obj: WebhookDelivery) -> str:
        return error_summary(obj.last_error) if obj.last_error else "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Redeliver the selected events now")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        count = 0
        for delivery in queryset.select_related("integration"):
            if delivery.integration.revoked_at is not None:
                continue
            delivery_redeliver(delivery=delivery)
            count += 1
        pending = DeliveryStatus.PENDING.label
        self.message_user(
            request, f"{count} event(s) queued for delivery ({pending}).", messages.SUCCESS
        )
