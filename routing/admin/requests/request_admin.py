"""The request admin: the staff queue's columns, filters and search, with the bulk actions
(``RequestActionsMixin``) and the request page (``RequestPageMixin``) mixed in.

Staff never edit a request's fields: the page is read-only, and every change is an action
that calls a lifecycle service, which checks the move, locks the row and writes the event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from routing.admin.requests.filters import (
    AssigneeFilter,
    ClockFilter,
    DueFilter,
    KindFilter,
    RegimeFilter,
    RouteActionFilter,
    RouteStatusFilter,
    StatusFilter,
)
from routing.admin.requests.page import RequestPageMixin, due_html
from routing.admin.requests.receive import RequestAddMixin
from routing.admin.tenancy import OrganisationListFilter, TenantAdmin, visible_ids
from routing.models import Request
from routing.presenters.formats import format_date, format_datetime
from routing.selectors import queue
from routing.selectors.deadlines import request_deadlines
from routing.selectors.tenancy import visible_organisations


def _shown_date(field: str, label: str) -> Callable[[Any, Request], str | None]:
    """A date field of the request in the admin's one format (None shows as empty)."""

    @admin.display(description=label)
    def show(self: Any, obj: Request) -> str | None:
        return format_date(getattr(obj, field)) or None

    return show


def _shown_time(field: str, label: str) -> Callable[[Any, Request], str | None]:
    """An instant of the request in its organisation's zone, the zone named."""

    @admin.display(description=label)
    def show(self: Any, obj: Request) -> str | None:
        return format_datetime(getattr(obj, field), obj.organisation.timezone) or None

    return show


# Shown only once the request was extended: before, the extended date is not a promise.
EXTENSION_FIELDS = ("extended_due_on_shown", "extended_at_shown", "extension_reason")


@admin.register(Request)
class RequestAdmin(RequestAddMixin, RequestPageMixin, TenantAdmin):
    # Narrow enough for a 1280-pixel screen beside the admin's two sidebars: the date
    # received (and the organisation, for those who see several) is shown under the
    # reference, the assignee under the status.
    list_display = [
        "request_ref",
        "kind_list",
        "subject",
        "due",
        "status_label",
        "routes_to_act",
    ]
    list_display_links = ["request_ref"]
    list_filter = [
        ("organisation", OrganisationListFilter),
        StatusFilter,
        DueFilter,
        ClockFilter,
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
                    "received_at_shown",
                    "acknowledge_by_shown",
                    "effective_due_on_shown",
                    "due_on_shown",
                    "extended_due_on_shown",
                    "forward_due_on_shown",
                    "opt_out_due_on_shown",
                    "extended_at_shown",
                    "extension_reason",
                    "paused_since_shown",
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
                    "verified_at_shown",
                    "verification",
                ]
            },
        ),
        (
            "Law: how each date was worked out",
            {
                "classes": ["collapse"],
                "fields": ["regime", "regime_reason", "restarted_on_shown", "clock"],
            },
        ),
        (
            "Outcome",
            {"fields": ["closed_at_shown", "denial_ground", "outcome_note", "purged_at_shown"]},
        ),
    ]
    received_at_shown = _shown_time("received_at", "received at")
    acknowledge_by_shown = _shown_date("acknowledge_by", "acknowledge by")
    effective_due_on_shown = _shown_date("effective_due_on", "effective due on")
    due_on_shown = _shown_date("due_on", "due on")
    extended_due_on_shown = _shown_date("extended_due_on", "extended due on")
    forward_due_on_shown = _shown_date("forward_due_on", "forward due on")
    opt_out_due_on_shown = _shown_date("opt_out_due_on", "opt-out due on")
    extended_at_shown = _shown_time("extended_at", "extended at")
    paused_since_shown = _shown_time("paused_since", "paused since")
    verified_at_shown = _shown_time("verified_at", "verified at")
    restarted_on_shown = _shown_date("restarted_on", "restarted on")
    closed_at_shown = _shown_time("closed_at", "closed at")
    purged_at_shown = _shown_time("purged_at", "purged at")
    readonly_fields = [
        "kind_list",
        "clock",
        "received_at_shown",
        "acknowledge_by_shown",
        "effective_due_on_shown",
        "due_on_shown",
        "extended_due_on_shown",
        "forward_due_on_shown",
        "opt_out_due_on_shown",
        "extended_at_shown",
        "paused_since_shown",
        "verified_at_shown",
        "restarted_on_shown",
        "closed_at_shown",
        "purged_at_shown",
    ]

    class Media:
        css = {"all": ["routing/admin.css", "routing/queue.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Request]:
        return queue.with_queue_columns(super().get_queryset(request))

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        columns = list(super().get_list_display(request))
        ids = visible_ids(request)
        if ids is None or len(ids) > 1:
            columns[columns.index("request_ref")] = "request_ref_with_organisation"
        return columns

    def get_list_display_links(
        self, request: HttpRequest, list_display: Sequence[Any]
    ) -> list[Any]:
        return [list_display[0]]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.extended_at is not None:
            return list(fieldsets)
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f not in EXTENSION_FIELDS]},
            )
            for name, options in fieldsets
        ]

    # Requests are entered through the add page (letters, calls, emails), the intake form
    # and the API, all by the receive service; they change only through services and leave
    # only through the retention purge: the change page itself is view-only.
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

    @admin.display(description="request", ordering="received_at")
    def request_ref(self, obj: Request) -> str:
        return format_html(
            '{}<br><small class="received">{}</small>', obj.reference, format_date(obj.received_on)
        )

    @admin.display(description="request", ordering="received_at")
    def request_ref_with_organisation(self, obj: Request) -> str:
        return format_html(
            '{}<br><small class="received">{}</small><br><small class="organisation">{}</small>',
            obj.reference,
            format_date(obj.received_on),
            obj.organisation.name,
        )

    @admin.display(description="due", ordering="effective_due_on")
    def due(self, obj: Request) -> str:
        return due_html(obj)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: Request) -> str:
        label = format_html("{}", obj.get_status_display())
        if obj.assignee:
            label = format_html(
                '{}<br><small class="assignee">{}</small>', label, obj.assignee.get_username()
            )
        if obj.possible_duplicate_of and obj.is_open:
            return format_html(
                '{}<br><small class="duplicate-flag">possible duplicate of {}</small>',
                label,
                obj.possible_duplicate_of.reference,
            )
        return label

    @admin.display(description="to act", ordering="routes_to_act")
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
