"""The request admin: the staff queue's columns, filters and search, with the bulk actions
(``RequestActionsMixin``) and the request page (``RequestPageMixin``) mixed in.

Staff never edit a request's fields: the page is read-only, and every change is an action
that calls a lifecycle service, which checks the move, locks the row and writes the event.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from routing.admin.requests.filters import (
    AssigneeFilter,
    DueFilter,
    KindFilter,
    RegimeFilter,
    RouteActionFilter,
    RouteStatusFilter,
    StatusFilter,
)
from routing.admin.requests.page import RequestPageMixin, due_html
from routing.admin.tenancy import OrganisationListFilter, TenantAdmin
from routing.models import Request
from routing.selectors import queue
from routing.selectors.deadlines import request_deadlines
from routing.selectors.tenancy import visible_organisations


@admin.register(Request)
class RequestAdmin(RequestPageMixin, TenantAdmin):
    list_display = [
        "reference",
        "organisation",
        "kind_list",
        "subject",
        "received",
        "due",
        "status_label",
        "assignee",
        "routes_to_act",
    ]
    list_display_links = ["reference"]
    list_filter = [
        ("organisation", OrganisationListFilter),
        StatusFilter,
        DueFilter,
        AssigneeFilter,
        RegimeFilter,
        KindFilter,
        RouteActionFilter,
        RouteStatusFilter,
    ]
    search_fields = ["reference", "subject_email", "subject_name"]
    search_help_text = "Reference, email, name or phone number, typed as you like."
    ordering = ["effective_due_on", "id"]
    actions = [
        "assign_to_me",
        "assign",
        "extend",
        "pause",
        "deny",
        "mark_duplicate",
        "close_flagged_duplicates",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "organisation",
                    "status",
                    "kind_list",
                    "assignee",
                    "possible_duplicate_of",
                    "duplicate_of",
                ]
            },
        ),
        (
            "Dates",
            {
                "fields": [
                    "received_at",
                    "acknowledge_by",
                    "effective_due_on",
                    "due_on",
                    "extended_due_on",
                    "forward_due_on",
                    "opt_out_due_on",
                    "extended_at",
                    "extension_reason",
                    "paused_since",
                    "pause_reason",
                    "paused_days",
                ]
            },
        ),
        (
            "Subject",
            {
                "fields": [
                    "subject_name",
                    "subject_email",
                    "subject_phone",
                    "subject_country",
                    "subject_region",
                    "subject_language",
                    "identifiers",
                    "details",
                    "channel",
                    "scope_keys",
                    "verified_at",
                    "verification",
                ]
            },
        ),
        (
            "Law: how each date was worked out",
            {
                "classes": ["collapse"],
                "fields": ["regime", "regime_reason", "restarted_on", "clock"],
            },
        ),
        ("Outcome", {"fields": ["closed_at", "denial_ground", "outcome_note", "purged_at"]}),
    ]
    readonly_fields = ["kind_list", "clock"]

    class Media:
        css = {"all": ["routing/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Request]:
        return queue.with_queue_columns(super().get_queryset(request))

    # Requests arrive through the intake form and the API, change only through services,
    # and leave only through the retention purge: the page itself is view-only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # --- columns

    @admin.display(description="kinds")
    def kind_list(self, obj: Request) -> str:
        return ", ".join(kind.replace("_", " ") for kind in obj.kinds)

    @admin.display(description="subject", ordering="subject_email")
    def subject(self, obj: Request) -> str:
        if obj.purged_at:
            return "(personal data purged)"
        return format_html(
            '{}<br><span class="subject-email">{}</span>', obj.subject_name, obj.subject_email
        )

    @admin.display(description="received", ordering="received_at")
    def received(self, obj: Request) -> str:
        return obj.received_on.isoformat()

    @admin.display(description="due", ordering="effective_due_on")
    def due(self, obj: Request) -> str:
        return due_html(obj)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: Request) -> str:
        label = obj.get_status_display()
        if obj.possible_duplicate_of and obj.is_open:
            return format_html(
                '{}<br><small class="duplicate-flag">possible duplicate of {}</small>',
                label,
                obj.possible_duplicate_of.reference,
            )
        return label

    @admin.display(description="routes to act on", ordering="routes_to_act")
    def routes_to_act(self, obj: Any) -> int:
        return int(obj.routes_to_act)

    @admin.display(description="how each date was worked out")
    def clock(self, obj: Request) -> str:
        steps = request_deadlines(obj).explanation()
        return format_html(
            '<ol class="clock-explanation">{}</ol>',
            format_html_join("", "<li>{}</li>", ((step,) for step in steps)),
        )

    # --- search

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Request], search_term: str
    ) -> tuple[QuerySet[Request], bool]:
        # A reference, however typed, names one request: word-by-word matching would also
        # return every reference that merely contains its digits.
        references = queue.reference_forms(search_term)
        if references:
            return queryset.filter(reference__in=references), False
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return results, may_have_duplicates
        # A number is read in each of the user's organisations' countries: staff type it
        # the way the caller said it, often without the country code.
        regions = sorted(
            {c for c in visible_organisations(request.user).values_list("country", flat=True) if c}
        )
        phones = queue.phone_forms(search_term, regions)
        if phones:
            results = results | queryset.filter(subject_phone__in=phones)
        return results, may_have_duplicates
