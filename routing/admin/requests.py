"""The staff queue, the request page and the audit trail in the admin.

Staff never edit a request's fields: the page is read-only, and every change is an action
that calls a lifecycle service, which checks the move, locks the row and writes the event.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from routing.admin.tenancy import OrganisationListFilter, TenantAdmin
from routing.clock import REGIMES
from routing.models import Customer, Event, Request, Route, RouteStatus, Status, WaitingFor
from routing.planning.specs import KINDS
from routing.selectors import queue
from routing.selectors.deadlines import request_deadlines
from routing.selectors.tenancy import visible_organisations
from routing.services.actors import Actor
from routing.services.requests import (
    DENIAL_GROUNDS,
    TransitionError,
    request_assign,
    request_complete,
    request_deny,
    request_extend,
    request_mark_duplicate,
    request_note,
    request_override_regime,
    request_pause,
    request_resume,
    request_withdraw,
    route_mark_acknowledged,
    route_mark_done,
    route_mark_not_applicable,
    route_mark_sent,
    route_set_customer,
)

CONFIRM_TEMPLATE = "admin/routing/request/confirm_action.html"


# --- forms ---------------------------------------------------------------------------------


def _text(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class NoFieldsForm(forms.Form):
    """An action that needs no input beyond the confirmation itself."""


class ExtendForm(forms.Form):
    reason = _text("Reasons", help_text="The subject is told these reasons with the new date.")


class PauseForm(forms.Form):
    waiting_for = forms.ChoiceField(
        label="Waiting for",
        choices=WaitingFor.choices,
        initial=WaitingFor.CLARIFICATION,
        required=False,  # a form posted without it waits for a clarification
        widget=forms.RadioSelect,
        help_text="Under UK GDPR the clock starts afresh on the day a proof of identity "
        "arrives (resume the request that day); other waits add the days paused.",
    )
    reason = forms.CharField(
        label="What the subject was asked for",
        max_length=300,
        help_text="e.g. a proof of identity, or which account the request is about.",
    )


class NoteForm(forms.Form):
    note = _text("Note", required=False)


class DenyForm(forms.Form):
    ground = forms.ChoiceField(
        label="Ground",
        choices=[("", "---------"), *((g.code, g.label) for g in DENIAL_GROUNDS.values())],
        help_text="The subject is told the ground and their right to complain.",
    )
    note = _text("Note", required=False)


class RegimeForm(forms.Form):
    regime = forms.ChoiceField(
        label="Regime", choices=[(key, r.short_name) for key, r in REGIMES.items()]
    )
    reason = _text("Why")


class NoteTextForm(forms.Form):
    text = _text("Note")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_username())


class AssignForm(forms.Form):
    assignee = StaffChoiceField(
        label="Assignee", queryset=None, required=False, empty_label="nobody (unassign)"
    )

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, StaffChoiceField)
        field.queryset = staff


class DuplicateForm(forms.Form):
    original = forms.CharField(
        label="Duplicates request",
        required=False,
        help_text="Its reference. Leave empty to use the request each one was flagged against.",
    )

    def __init__(self, *args: Any, requests: QuerySet[Request], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requests = requests

    def clean_original(self) -> Request | None:
        typed = self.cleaned_data["original"].strip()
        if not typed:
            return None
        # Looked up among the user's own requests: another organisation's is "not found".
        references = queue.reference_forms(typed) or [typed]
        original = self.requests.filter(reference__in=references).first()
        if original is None:
            raise ValidationError(f"No request {typed} among yours.")
        return original


class CustomerForm(forms.Form):
    customer: forms.ModelChoiceField[Customer] = forms.ModelChoiceField(
        label="Customer", queryset=None
    )

    def __init__(self, *args: Any, customers: QuerySet[Customer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["customer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = customers


# --- actions: one table used by the queue's bulk actions and the request page --------------

Runner = Callable[[Request, Actor, dict[str, Any]], object]


@dataclass(frozen=True)
class Action:
    label: str  # the button
    done: str  # the success message, followed by the references
    run: Runner
    form: type[forms.Form] = NoFieldsForm


ACTIONS: dict[str, Action] = {
    "assign_to_me": Action(
        "Assign to me",
        "Assigned to you",
        lambda req, by, data: request_assign(request=req, assignee=by.user, by=by),
    ),
    "assign": Action(
        "Assign",
        "Assignee changed",
        lambda req, by, data: request_assign(request=req, assignee=data["assignee"], by=by),
        AssignForm,
    ),
    "pause": Action(
        "Pause the clock",
        "Clock paused",
        lambda req, by, data: request_pause(
            request=req,
            by=by,
            reason=data["reason"],
            waiting_for=data["waiting_for"] or WaitingFor.CLARIFICATION,
        ),
        PauseForm,
    ),
    "resume": Action(
        "Resume the clock",
        "Clock resumed",
        lambda req, by, data: request_resume(request=req, by=by, note=data["note"]),
        NoteForm,
    ),
    "extend": Action(
        "Extend",
        "Extended",
        lambda req, by, data: request_extend(request=req, by=by, reason=data["reason"]),
        ExtendForm,
    ),
    "complete": Action(
        "Complete",
        "Completed",
        lambda req, by, data: request_complete(request=req, by=by, note=data["note"]),
        NoteForm,
    ),
    "deny": Action(
        "Deny",
        "Denied",
        lambda req, by, data: request_deny(
            request=req, by=by, ground=data["ground"], note=data["note"]
        ),
        DenyForm,
    ),
    "withdraw": Action(
        "Withdrawn by the subject",
        "Withdrawn",
        lambda req, by, data: request_withdraw(request=req, by=by, note=data["note"]),
        NoteForm,
    ),
    "mark_duplicate": Action(
        "Close as duplicate",
        "Closed as duplicates",
        lambda req, by, data: request_mark_duplicate(request=req, by=by, of=data.get("original")),
        DuplicateForm,
    ),
    "override_regime": Action(
        "Change the regime",
        "Regime changed",
        lambda req, by, data: request_override_regime(
            request=req, by=by, regime=data["regime"], reason=data["reason"]
        ),
        RegimeForm,
    ),
    "note": Action(
        "Add a note",
        "Note added",
        lambda req, by, data: request_note(request=req, by=by, text=data["text"]),
        NoteTextForm,
    ),
}

# The request page's forms, in the order staff meet them.
PAGE_ORDER = (
    "assign_to_me",
    "assign",
    "note",
    "pause",
    "resume",
    "extend",
    "complete",
    "deny",
    "withdraw",
    "mark_duplicate",
    "override_regime",
)


@dataclass(frozen=True)
class RouteStep:
    label: str
    done: str
    run: Callable[..., Route]


ROUTE_STEPS: dict[str, RouteStep] = {
    "sent": RouteStep("Mark sent", "marked sent", route_mark_sent),
    "acknowledged": RouteStep("Mark acknowledged", "marked acknowledged", route_mark_acknowledged),
    "done": RouteStep("Mark done", "marked done", route_mark_done),
    "not_applicable": RouteStep(
        "Not applicable", "marked not applicable", route_mark_not_applicable
    ),
    "customer": RouteStep("Set customer", "customer set", route_set_customer),
}


def _error_text(error: TransitionError | ValidationError) -> str:
    if isinstance(error, TransitionError):
        return error.message
    return " ".join(error.messages)


def _form_errors(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}: {text}" if name != "__all__" else text)
    return "; ".join(parts)


# --- queue filters -------------------------------------------------------------------------


class _ChoiceFilter(admin.SimpleListFilter):
    options: Sequence[tuple[str, str]] = ()

    def lookups(self, request: HttpRequest, model_admin: Any) -> Sequence[tuple[str, str]]:
        return self.options

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None or value not in dict(self.options):
            return queryset
        return self.apply(request, queryset, value)

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        raise NotImplementedError


class StatusFilter(_ChoiceFilter):
    title = "status"
    parameter_name = "status"
    options = [("open", "open (any)"), *Status.choices]

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value == "open":
            return queryset.filter(status__in=queue.OPEN_STATUSES)
        return queryset.filter(status=value)


class RegimeFilter(_ChoiceFilter):
    title = "regime"
    parameter_name = "regime"
    options = [(key, regime.short_name) for key, regime in REGIMES.items()]

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return queryset.filter(regime=value)


class KindFilter(_ChoiceFilter):
    title = "kind"
    parameter_name = "kind"
    options = [(kind, kind.replace("_", " ")) for kind in KINDS]

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return queryset.filter(queue.kind_q(value))


class DueFilter(_ChoiceFilter):
    title = "due"
    parameter_name = "due"
    options = list(queue.DUE_BUCKETS.items())

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        organisations = visible_organisations(request.user)
        return queryset.filter(queue.due_bucket_q(value, organisations))


class AssigneeFilter(_ChoiceFilter):
    title = "assignee"
    parameter_name = "assigned"
    options = [("me", "me"), ("nobody", "unassigned")]

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value == "me":
            return queryset.filter(assignee=request.user.pk)
        return queryset.filter(assignee__isnull=True)


class RouteActionFilter(_ChoiceFilter):
    title = "route action"
    parameter_name = "route_action"
    options = [("fulfil", "fulfil"), ("forward", "forward"), ("redirect", "redirect")]

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return queryset.filter(queue.route_q(action=value))


class RouteStatusFilter(_ChoiceFilter):
    title = "route status"
    parameter_name = "route_status"
    options = [("needs_action", "needs action (pending or no customer)"), *RouteStatus.choices]

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return queryset.filter(queue.route_q(status=value))


# --- the queue and the request page -------------------------------------------------------


@admin.register(Request)
class RequestAdmin(TenantAdmin):
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

    def has_act_permission(self, request: HttpRequest) -> bool:
        """May call the lifecycle services: Django's "change request" permission."""
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

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
        return _due_html(obj)

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

    # --- bulk actions on the queue

    @admin.action(description="Assign to me", permissions=["act"])
    def assign_to_me(
        self, request: HttpRequest, queryset: QuerySet[Request]
    ) -> HttpResponse | None:
        self._run_each(request, list(queryset), "assign_to_me", {})
        return None

    @admin.action(description="Assign to a colleague…", permissions=["act"])
    def assign(self, request: HttpRequest, queryset: QuerySet[Request]) -> HttpResponse | None:
        return self._confirm_then_run(request, queryset, "assign")

    @admin.action(description="Extend, with reasons…", permissions=["act"])
    def extend(self, request: HttpRequest, queryset: QuerySet[Request]) -> HttpResponse | None:
        return self._confirm_then_run(request, queryset, "extend")

    @admin.action(description="Pause the clock (waiting for the subject)…", permissions=["act"])
    def pause(self, request: HttpRequest, queryset: QuerySet[Request]) -> HttpResponse | None:
        return self._confirm_then_run(request, queryset, "pause")

    @admin.action(description="Deny, with a ground…", permissions=["act"])
    def deny(self, request: HttpRequest, queryset: QuerySet[Request]) -> HttpResponse | None:
        return self._confirm_then_run(request, queryset, "deny")

    @admin.action(description="Close as duplicate of…", permissions=["act"])
    def mark_duplicate(
        self, request: HttpRequest, queryset: QuerySet[Request]
    ) -> HttpResponse | None:
        return self._confirm_then_run(request, queryset, "mark_duplicate")

    @admin.action(
        description="Close flagged duplicates (each as a duplicate of its flagged request)…",
        permissions=["act"],
    )
    def close_flagged_duplicates(
        self, request: HttpRequest, queryset: QuerySet[Request]
    ) -> HttpResponse | None:
        # The same service with no original named: it closes against the flagged request.
        return self._confirm_then_run(
            request,
            queryset,
            "mark_duplicate",
            form_class=NoFieldsForm,
            name="close_flagged_duplicates",
        )

    def _action_form(
        self,
        request: HttpRequest,
        action: str,
        requests: Sequence[Request],
        data: Any = None,
        form_class: type[forms.Form] | None = None,
    ) -> forms.Form:
        form_class = form_class or ACTIONS[action].form
        kwargs: dict[str, Any] = {"prefix": action}
        if form_class is AssignForm:
            kwargs["staff"] = queue.assignable_staff(r.organisation_id for r in requests)
        elif form_class is DuplicateForm:
            kwargs["requests"] = self.get_queryset(request).exclude(pk__in=[r.pk for r in requests])
        elif form_class is RegimeForm and len(requests) == 1:
            kwargs["initial"] = {"regime": requests[0].regime}
        return form_class(data, **kwargs)

    def _confirm_then_run(
        self,
        request: HttpRequest,
        queryset: QuerySet[Request],
        action: str,
        *,
        form_class: type[forms.Form] | None = None,
        name: str | None = None,
    ) -> HttpResponse | None:
        """Ask for the reason or ground on an intermediate page, then act on each request."""
        requests = list(queryset)
        applying = "apply" in request.POST
        form = self._action_form(
            request, action, requests, request.POST if applying else None, form_class
        )
        if applying and form.is_valid():
            self._run_each(request, requests, action, form.cleaned_data)
            return None
        spec = ACTIONS[action]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{spec.label}: {len(requests)} request{'s' if len(requests) != 1 else ''}",
            "opts": self.opts,
            "requests": requests,
            "form": form,
            "action": name or action,
            "submit_label": spec.label,
            "show_duplicates": action == "mark_duplicate",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, CONFIRM_TEMPLATE, context)

    def _run_each(
        self,
        request: HttpRequest,
        requests: Sequence[Request],
        action: str,
        data: dict[str, Any],
    ) -> None:
        """Call the service once per request; report each refusal and the successes."""
        spec = ACTIONS[action]
        by = Actor.staff(request.user)
        done = []
        for req in requests:
            try:
                spec.run(req, by, data)
            except (TransitionError, ValidationError) as error:
                messages.error(request, f"{req.reference}: {_error_text(error)}")
            else:
                done.append(req.reference)
        if done:
            messages.success(request, f"{spec.done}: {', '.join(done)}.")

    # --- the request page

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/act/<slug:action>/",
                self.admin_site.admin_view(self.act_view),
                name="{}_{}_act".format(*info),
            ),
            path(
                "<path:object_id>/routes/<int:route_id>/<slug:step>/",
                self.admin_site.admin_view(self.route_view),
                name="{}_{}_route".format(*info),
            ),
            *super().get_urls(),
        ]

    def _page_url(self, obj: Request, anchor: str = "") -> str:
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        return f"{url}#{anchor}" if anchor else url

    def act_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponseBase:
        """One lifecycle action posted from the request page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if action not in ACTIONS:
            raise Http404("No such action.")
        if not self.has_act_permission(request):
            raise PermissionDenied
        form = self._action_form(request, action, [obj], request.POST)
        if form.is_valid():
            self._run_each(request, [obj], action, form.cleaned_data)
        else:
            messages.error(request, f"{ACTIONS[action].label}: {_form_errors(form)}")
        return HttpResponseRedirect(self._page_url(obj))

    def route_view(
        self, request: HttpRequest, object_id: str, route_id: int, step: str
    ) -> HttpResponseBase:
        """One step of one route, posted from the request page's routes table."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        route = get_object_or_404(Route.objects.select_related("scope"), pk=route_id, request=obj)
        if step not in ROUTE_STEPS:
            raise Http404("No such step.")
        if not self.has_act_permission(request):
            raise PermissionDenied
        spec = ROUTE_STEPS[step]
        by = Actor.staff(request.user)
        kwargs: dict[str, Any] = {}
        if step == "customer":
            # Only the request's organisation's customers are valid choices.
            form = CustomerForm(
                request.POST, customers=queue.organisation_customers(obj.organisation)
            )
            if not form.is_valid():
                messages.error(request, f"{route.scope.key}: {_form_errors(form)}")
                return HttpResponseRedirect(self._page_url(obj, "routes"))
            kwargs["customer"] = form.cleaned_data["customer"]
        try:
            spec.run(route=route, by=by, **kwargs)
        except (TransitionError, ValidationError) as error:
            messages.error(request, f"{route.scope.key}: {_error_text(error)}")
        else:
            messages.success(request, f"{obj.reference}, {route.scope.key}: {spec.done}.")
        return HttpResponseRedirect(self._page_url(obj, "routes"))

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None:
            context.update(self._page_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _page_context(self, request: HttpRequest, obj: Request) -> dict[str, Any]:
        can_act = self.has_act_permission(request)
        zone = zoneinfo.ZoneInfo(obj.organisation.timezone)
        routes = list(
            obj.routes.select_related("scope", "customer", "third_party").order_by("position")
        )
        route_rows = []
        for route in routes:
            steps = queue.route_next_steps(route, obj) if can_act else ()
            route_rows.append(
                {
                    "route": route,
                    "buttons": [
                        (step, ROUTE_STEPS[step].label) for step in steps if step != "customer"
                    ],
                    "set_customer": "customer" in steps,
                }
            )
        customer_form = None
        if any(row["set_customer"] for row in route_rows):
            customer_form = CustomerForm(
                customers=queue.organisation_customers(obj.organisation), auto_id=False
            )
        events = [
            {
                "event": event,
                "at": timezone.localtime(event.created_at, zone),
                "details": _event_details(event),
            }
            for event in obj.events.select_related("actor_user").order_by("created_at", "id")
        ]
        page_actions = []
        if can_act:
            available = queue.request_next_actions(obj)
            for name in PAGE_ORDER:
                if name in available:
                    page_actions.append(
                        {
                            "name": name,
                            "label": ACTIONS[name].label,
                            "form": self._action_form(request, name, [obj]),
                        }
                    )
        return {
            "due": _due_html(obj),
            "route_rows": route_rows,
            "customer_form": customer_form,
            "events": events,
            "organisation_zone": obj.organisation.timezone,
            "page_actions": page_actions,
            "can_act": can_act,
        }


def _due_html(obj: Request) -> str:
    """The due date with the days left, coloured by risk (classes in routing/admin.css)."""
    due_on = obj.effective_due_on.isoformat()
    if not obj.is_open:
        return format_html('<span class="due due-closed">{}</span>', due_on)
    days = queue.days_left(obj)
    if days > 1:
        left = f"{days} days left"
    elif days == 1:
        left = "1 day left"
    elif days == 0:
        left = "due today"
    else:
        left = f"{-days} day{'s' if days < -1 else ''} overdue"
    if obj.is_paused:
        left += ", clock paused"
    return format_html(
        '<span class="due due-{}">{}<br><small>{}</small></span>',
        queue.due_risk(days),
        due_on,
        left,
    )


def _event_details(event: Event) -> str:
    return "; ".join(
        f"{key.replace('_', ' ')}: {value}"
        for key, value in event.data.items()
        if value not in (None, "", [], {})
    )


@admin.register(Event)
class EventAdmin(TenantAdmin):
    """The audit trail, read-only: events are written by services and never changed."""

    tenant_path = "request__organisation"
    list_display = ["created_at", "request", "type", "actor_type", "actor_label"]
    list_filter = [("request__organisation", OrganisationListFilter), "type", "actor_type"]
    search_fields = ["request__reference", "type", "actor_label"]
    list_select_related = ["request"]
    fields = ["request", "created_at", "type", "actor_type", "actor_user", "actor_label", "data"]
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
