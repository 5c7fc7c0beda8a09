"""The queue's list filters, each a condition from the queue selectors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from routing.clock import KINDS, REGIMES
from routing.models import RouteStatus, Status
from routing.selectors import queue
from routing.selectors.tenancy import visible_organisations


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
    """Confirmed open work by default. A request whose subject has not confirmed their
    address yet is not work yet: it has a choice of its own, as has every status."""

    title = "status"
    parameter_name = "status"
    DEFAULT = "open"
    options = [
        (DEFAULT, "open (confirmed)"),
        (Status.UNVERIFIED.value, "unconfirmed (address not confirmed yet)"),
        *((value, label) for value, label in Status.choices if value != Status.UNVERIFIED),
        ("all", "any status"),
    ]

    def choices(self, changelist: Any) -> Iterator[Any]:
        # No "All": the default is the confirmed open work, and "any status" is a choice.
        current = self.value() if self.value() in dict(self.options) else self.DEFAULT
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup} if lookup != self.DEFAULT else {},
                    [] if lookup != self.DEFAULT else [self.parameter_name],
                ),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value not in dict(self.options):
            value = self.DEFAULT
        return self.apply(request, queryset, value)

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value == self.DEFAULT:
            return queryset.filter(status__in=queue.CONFIRMED_OPEN_STATUSES)
        if value == "all":
            return queryset
        return queryset.filter(status=value)


class ClockFilter(_ChoiceFilter):
    """Whether the clock runs: a pause for the subject stops it where the law lets it."""

    title = "clock"
    parameter_name = "clock"
    options = [("running", "running"), ("stopped", "stopped (waiting for the subject)")]

    def apply(self, request: HttpRequest, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value == "stopped":
            return queryset.filter(queue.clock_stopped_q())
        return queryset.exclude(queue.clock_stopped_q())


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
