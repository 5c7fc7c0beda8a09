"""Query filters of the list endpoints (django-filter)."""

from __future__ import annotations

from datetime import datetime

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers

from routing.api.serializers.requests import KIND_CHOICES, OLDEST_RECEIVED, REGIME_CHOICES
from routing.models import Customer, Organisation, Request, Scope, Status
from routing.selectors.queue import kind_q, overdue_q


class RequestFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", help_text="Organisation slug."
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, help_text="Repeat for several: ?status=new&status=in_progress"
    )
    kind = django_filters.ChoiceFilter(choices=[(k, k) for k in KIND_CHOICES], method="filter_kind")
    regime = django_filters.ChoiceFilter(choices=[(r, r) for r in REGIME_CHOICES])
    assignee = django_filters.CharFilter(
        field_name="assignee__username", help_text="Username of the assigned staff member."
    )
    reference = django_filters.CharFilter()
    email = django_filters.CharFilter(field_name="subject_email", lookup_expr="iexact")
    due_before = django_filters.DateFilter(
        field_name="effective_due_on", lookup_expr="lte", help_text="Due on or before."
    )
    due_after = django_filters.DateFilter(
        field_name="effective_due_on", lookup_expr="gte", help_text="Due on or after."
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text="Open and past due, each in its organisation's time zone.",
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", method="filter_updated_since", help_text="Changed at or after."
    )

    class Meta:
        model = Request
        fields: list[str] = []

    def filter_kind(self, queryset: QuerySet[Request], name: str, value: str) -> QuerySet[Request]:
        return queryset.filter(kind_q(value))

    def filter_overdue(
        self, queryset: QuerySet[Request], name: str, value: bool | None
    ) -> QuerySet[Request]:
        if value is None:
            return queryset
        ids = getattr(getattr(self.request, "user", None), "organisation_ids", ())
        condition = overdue_q(Organisation.objects.filter(pk__in=ids))
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_updated_since(
        self, queryset: QuerySet[Request], name: str, value: datetime
    ) -> QuerySet[Request]:
        # Years the database cannot shift to UTC are refused rather than crashing.
        if value < OLDEST_RECEIVED:
            raise serializers.ValidationError({"updated_since": ["Must be 2000 or later."]})
        return queryset.filter(updated_at__gte=value)


class ScopeFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__slug")
    role = django_filters.CharFilter()

    class Meta:
        model = Scope
        fields: list[str] = []


class CustomerFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__slug")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Customer
        fields: list[str] = []
