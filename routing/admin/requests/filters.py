"""The queue's list filters, each a condition from the queue selectors."""

from __future__ import annotations

from collections.abc import Sequence
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
