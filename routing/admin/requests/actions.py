"""The request actions: one table used by the queue's bulk actions and the request page,
and the bulk actions with their confirmation pages.

Each action calls a lifecycle service once per request; the service checks the move, so a
refusal is reported per request and never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from routing.admin.requests.forms import (
    AssignForm,
    CompleteForm,
    DenyForm,
    DuplicateForm,
    ExtendForm,
    NoFieldsForm,
    NoteForm,
    NoteTextForm,
    PartsMixin,
    PauseForm,
    RegimeForm,
)
from routing.domain.denials import grounds_offered
from routing.models import Request, Route, WaitingFor
from routing.selectors.identity import identity_asked
from routing.selectors.parts import open_part_choices
from routing.selectors.staff import staff_assignable_to_each
from routing.services.actors import Actor
from routing.services.requests import (
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
        lambda req, by, data: request_extend(
            request=req, by=by, reason=data["reason"], kinds=data.get("kinds") or None
        ),
        ExtendForm,
    ),
    "complete": Action(
        "Complete",
        "Completed",
        lambda req, by, data: request_complete(
            request=req, by=by, note=data["note"], kinds=data.get("kinds") or None
        ),
        CompleteForm,
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


def error_text(error: TransitionError | ValidationError) -> str:
    if isinstance(error, TransitionError):
        return error.message
    return " ".join(error.messages)


def form_errors(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}: {text}" if name != "__all__" else text)
    return "; ".join(parts)


# --- bulk actions on the queue -------------------------------------------------------------


class RequestActionsMixin(admin.ModelAdmin):
    """The queue's bulk actions, and the action forms the request page shares with them."""

    def has_act_permission(self, request: HttpRequest) -> bool:
        """May call the lifecycle services: Django's "change request" permission."""
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

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
            kwargs["staff"] = staff_assignable_to_each(r.organisation_id for r in requests)
        elif form_class is DuplicateForm:
            kwargs["requests"] = self.get_queryset(request).exclude(pk__in=[r.pk for r in requests])
        elif form_class is DenyForm:
            # "Identity not verified" only where proof of identity was asked for, for all.
            asked = bool(requests) and all(identity_asked(r) for r in requests)
            kwargs["grounds"] = grounds_offered(identity_asked=asked)
        elif issubclass(form_class, PartsMixin) and len(requests) == 1:
            kwargs["parts"] = open_part_choices(requests[0])
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
                messages.error(request, f"{req.reference}: {error_text(error)}")
            else:
                done.append(req.reference)
        if done:
            messages.success(request, f"{spec.done}: {', '.join(done)}.")
