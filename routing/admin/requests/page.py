"""The request page: its routes, actions and timeline, and the views its forms post to.

Each form posts to a view of its own (one action, or one step of one route), which calls the
service and redirects back to the page with the outcome as a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from routing.admin.requests.actions import (
    ACTIONS,
    PAGE_ORDER,
    ROUTE_STEPS,
    RequestActionsMixin,
    error_text,
    form_errors,
)
from routing.admin.requests.files import RequestFilesMixin
from routing.admin.requests.forms import CustomerForm
from routing.admin.requests.recipients import RequestRecipientsMixin
from routing.admin.tenancy import NotFoundAdmin
from routing.models import EventType, Request, Route
from routing.presenters.events import event_sentence
from routing.presenters.formats import format_date, format_datetime
from routing.selectors import queue
from routing.selectors.parts import kind_name, request_parts_list
from routing.services.actors import Actor
from routing.services.requests import TransitionError


class RequestPageMixin(
    RequestFilesMixin, RequestRecipientsMixin, RequestActionsMixin, NotFoundAdmin
):
    """The change page of a request, read-only, with a form per action the state allows.

    Its views load the request with ``NotFoundAdmin.get_object``, which answers a foreign or
    missing id with a 404, so they never act on None.
    """

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
            *self.file_urls(),
            *self.recipient_urls(),
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
            messages.error(request, f"{ACTIONS[action].label}: {form_errors(form)}")
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
                messages.error(request, f"{route.scope.key}: {form_errors(form)}")
                return HttpResponseRedirect(self._page_url(obj, "routes"))
            kwargs["customer"] = form.cleaned_data["customer"]
        try:
            spec.run(route=route, by=by, **kwargs)
        except (TransitionError, ValidationError) as error:
            messages.error(request, f"{route.scope.key}: {error_text(error)}")
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
        zone = obj.organisation.timezone
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
                "at": format_datetime(event.created_at, zone),
                "what": _type_label(event.type),
                "details": event_sentence(event),
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
        parts = [
            {
                "kind": kind_name(obj, part.kind),
                "status": part.get_status_display(),
                "status_key": part.status,
                "acknowledge_by": format_date(part.acknowledge_by),
                "due_on": format_date(part.due_on),
                "extended_due_on": format_date(part.extended_due_on),
                "extended_at": format_datetime(part.extended_at, zone),
                "closed_at": format_datetime(part.closed_at, zone),
                "ground": part.denial_ground.replace("_", " "),
                "explanation": part.explanation,
            }
            for part in request_parts_list(obj)
        ]
        return {
            "due": due_html(obj),
            "parts": parts,
            "route_rows": route_rows,
            "customer_form": customer_form,
            "events": events,
            "organisation_zone": zone,
            "page_actions": page_actions,
            "can_act": can_act,
            **self.files_context(request, obj, can_act),
            **self.recipients_context(obj, can_act),
        }


def due_html(obj: Request) -> str:
    """The due date with the days left, coloured by risk (classes in routing/admin.css)."""
    due_on = format_date(obj.effective_due_on)
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


def _type_label(value: str) -> str:
    try:
        return str(EventType(value).label)
    except ValueError:
        return value.replace("_", " ")
