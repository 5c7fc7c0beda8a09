"""Forwarding a processor route to its customer: when it can go, the customer's one-click
acknowledgement link, and the follow-ups when they stay silent."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone

from routing.clock.calendars import work_calendar, zone
from routing.clock.reminders import REMINDER_HOUR
from routing.domain.links import ACK_MAX_AGE, ACK_SALT
from routing.models import (
    WORKING_STATUSES,
    EventType,
    Request,
    Route,
    RouteAction,
    RouteStatus,
)
from routing.services.actors import Actor
from routing.services.consequences import event_record, occasion_record

FOLLOW_UP_WORKING_DAYS = 2


class InvalidLink(Exception):
    """The link is unknown, altered or expired."""


def route_from_token(token: str) -> Route:
    try:
        data = signing.loads(token, salt=ACK_SALT, max_age=ACK_MAX_AGE)
    except signing.BadSignature:
        raise InvalidLink from None
    found = (
        Route.objects.select_related("request__organisation", "customer")
        .filter(pk=data.get("route"))
        .first()
    )
    if found is None:
        raise InvalidLink
    return found


def follow_up_time(request: Request, after: datetime) -> datetime:
    """8:00 local on the second working day after ``after``."""
    organisation = request.organisation
    calendar = work_calendar(
        organisation.holiday_country or None, organisation.holiday_subdivision or None
    )
    tz = zone(organisation.timezone)
    day = after.astimezone(tz).date()
    counted = 0
    while counted < FOLLOW_UP_WORKING_DAYS:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return datetime.combine(day, REMINDER_HOUR, tzinfo=tz)


def forwardable(route: Route) -> bool:
    """A forward route that can go to its customer now."""
    return (
        route.action == RouteAction.FORWARD
        and route.status == RouteStatus.PENDING
        and route.customer is not None
        and bool(route.customer.email)
    )


def follow_ups_sweep(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Remind customers who have not acknowledged; after the second silence, tell staff."""
    now = now or timezone.now()
    done = 0
    rows = list(
        # A closed request needs nothing more from its customers.
        Route.objects.filter(
            status=RouteStatus.SENT,
            next_follow_up_at__lte=now,
            request__status__in=WORKING_STATUSES,
        )
        .order_by("next_follow_up_at")
        .values_list("pk", "next_follow_up_at")[:batch_size]
    )
    for pk, due_at in rows:
        with transaction.atomic():
            route = Route.objects.select_related(
                "request__organisation", "request__assignee", "customer", "scope"
            ).get(pk=pk)
            first = route.follow_ups == 0
            following = follow_up_time(route.request, now) if first else None
            # Claim: only the sweep that moves this exact time acts on it.
            if not Route.objects.filter(pk=pk, next_follow_up_at=due_at).update(
                next_follow_up_at=following, follow_ups=route.follow_ups + 1
            ):
                continue
            if first and route.customer is not None and route.customer.email:
                occasion_record(EventType.ROUTE_FOLLOWED_UP, request=route.request, route=route)
            else:
                task = (
                    f"{route.target_name or 'The customer'} has not acknowledged the forwarded "
                    f"request ({route.scope.key}) after a follow-up: contact them another way."
                )
                event_record(
                    route.request,
                    Actor.system("follow-ups"),
                    EventType.STAFF_TASK,
                    extra={"key": f"customer_silent:{route.pk}"},
                    code="customer_silent",
                    scope=route.scope.key,
                    task=task,
                )
            done += 1
    return done
