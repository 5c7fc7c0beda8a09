"""Forwarding a processor route to its customer, their one-click acknowledgement, and
the follow-ups when they stay silent."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from routing.clock.calendars import work_calendar, zone
from routing.clock.reminders import REMINDER_HOUR
from routing.models import Event, OutboundMessage, Request, Route, RouteStatus
from routing.services.actors import Actor
from routing.services.outbox import message_build, message_exists, message_schedule, message_store

ACK_SALT = "routing.route-acknowledgement"
# A customer has this long to use the link; acknowledging twice is refused by state.
ACK_MAX_AGE = timedelta(days=90)
FOLLOW_UP_WORKING_DAYS = 2


class InvalidLink(Exception):
    """The link is unknown, altered or expired."""


def acknowledge_url(route: Route) -> str:
    token = signing.dumps({"route": route.pk}, salt=ACK_SALT)
    return f"{settings.DSAR_PUBLIC_URL}/ack/{token}/"


def route_from_token(token: str) -> Route:
    try:
        data = signing.loads(token, salt=ACK_SALT, max_age=ACK_MAX_AGE)
    except signing.BadSignature:
        raise InvalidLink from None
    route = Route.objects.select_related("request__organisation", "customer").filter(
        pk=data.get("route")
    )
    found = route.first()
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


def kinds_text(request: Request) -> str:
    """The kinds in the regime's own words, as the subject's pages name them."""
    from routing.selectors.status import kind_labels

    return ", ".join(kind_labels(request))


def _forward_context(route: Route) -> dict[str, object]:
    request = route.request
    given = {**request.identifiers}
    identifiers_text = ", ".join(f"{k}: {v}" for k, v in given.items() if v)
    return {
        "request": request,
        "organisation": request.organisation,
        "route": route,
        "scope": route.scope,
        "customer": route.customer,
        "kinds_text": kinds_text(request),
        "identifiers_text": identifiers_text,
        "tasks": [task["text"] for task in route.tasks if task.get("code") != "identify_customer"],
        "acknowledge_url": acknowledge_url(route),
    }


def forwardable(route: Route) -> bool:
    """A forward route that can go to its customer now."""
    return (
        route.action == "forward"
        and route.status == RouteStatus.PENDING
        and route.customer is not None
        and bool(route.customer.email)
    )


def forward_message(route: Route) -> OutboundMessage:
    """The forward to the route's customer, rendered and unsaved."""
    assert route.customer is not None
    return message_build(
        template="forward_to_customer",
        recipient=route.customer.email,
        context=_forward_context(route),
        dedup_key=f"forward:{route.pk}",
        request=route.request,
        route=route,
    )


def forward_route(route: Route) -> bool:
    """Send a forward route to its customer and mark it sent; False if it cannot go yet.

    Called inside the transaction of the change that made it possible (verification,
    a customer set by staff), so the email and the route's state commit together.
    """
    from routing.services.requests import route_mark_sent

    if not forwardable(route) or message_exists(f"forward:{route.pk}"):
        return False
    if message_store(forward_message(route)) is None:
        return False
    route_mark_sent(route=route, by=Actor.system("forwarding"))
    Route.objects.filter(pk=route.pk).update(
        next_follow_up_at=follow_up_time(route.request, timezone.now())
    )
    return True


def follow_ups_sweep(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Remind customers who have not acknowledged; after the second silence, tell staff."""
    from routing.services.notices import staff_task

    now = now or timezone.now()
    done = 0
    rows = list(
        Route.objects.filter(status=RouteStatus.SENT, next_follow_up_at__lte=now)
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
                message_schedule(
                    template="forward_follow_up",
                    recipient=route.customer.email,
                    context=_forward_context(route),
                    dedup_key=f"forward_follow_up:{route.pk}:1",
                    request=route.request,
                    route=route,
                )
            else:
                task = (
                    f"{route.target_name or 'The customer'} has not acknowledged the forwarded "
                    f"request ({route.scope.key}) after a follow-up: contact them another way."
                )
                Event.objects.create(
                    request=route.request,
                    created_at=now,
                    actor_type="system",
                    actor_label="follow-ups",
                    type="staff_task",
                    data={"code": "customer_silent", "scope": route.scope.key, "task": task},
                )
                staff_task(route.request, task, dedup_key=f"customer_silent:{route.pk}")
            done += 1
    return done
