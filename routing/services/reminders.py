"""Staff reminders: due in N days, due today, each working day overdue; or a daily digest.

Each request stores when it next needs a reminder (an indexed column, a partial index on
open requests), so the sweep is one indexed query. A reminder is claimed by moving that
time with a conditional update, so two sweeps at once send nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from routing.clock.calendars import work_calendar
from routing.clock.reminders import Reminder, next_reminder
from routing.domain.links import admin_url
from routing.models import WORKING_STATUSES, EventType, Membership, Request
from routing.selectors.deadlines import local_today
from routing.services.consequences import occasion_record
from routing.services.messages import staff_recipient


def reminder_after(request: Request, after: datetime) -> Reminder | None:
    organisation = request.organisation
    return next_reminder(
        due_on=request.effective_due_on,
        timezone=organisation.timezone,
        calendar=work_calendar(
            organisation.holiday_country or None, organisation.holiday_subdivision or None
        ),
        days_before=organisation.reminder_days_before,
        overdue=organisation.remind_when_overdue,
        after=after,
    )


def next_reminder_at(request: Request, *, now: datetime | None = None) -> datetime | None:
    """Set when the request's dates are (re)computed; closed or unverified: none."""
    if request.status not in WORKING_STATUSES:
        return None
    reminder = reminder_after(request, now or timezone.now())
    return reminder.at if reminder else None


def _digest_users(organisation_id: int) -> set[int]:
    return set(
        Membership.objects.filter(organisation_id=organisation_id, daily_digest=True).values_list(
            "user_id", flat=True
        )
    )


def reminders_sweep(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Send the reminders that are due; returns how many requests were reminded."""
    now = now or timezone.now()
    sent = 0
    while True:
        rows = list(
            Request.objects.filter(status__in=WORKING_STATUSES, next_reminder_at__lte=now)
            .order_by("next_reminder_at", "id")
            .values_list("pk", "next_reminder_at")[:batch_size]
        )
        for pk, due_at in rows:
            if due_at is not None:
                sent += _remind(pk, due_at, now)
        if len(rows) < batch_size:
            return sent


def _remind(pk: int, due_at: datetime, now: datetime) -> int:
    with transaction.atomic():
        request = Request.objects.select_related("organisation", "assignee").get(pk=pk)
        # The latest slot that has fallen due (after an outage, only the newest is sent),
        # and the next slot after now.
        current = reminder_after(request, due_at - timedelta(seconds=1))
        while current is not None:
            later = reminder_after(request, current.at)
            if later is None or later.at > now:
                break
            current = later
        following = reminder_after(request, now)
        claimed = Request.objects.filter(pk=pk, next_reminder_at=due_at).update(
            next_reminder_at=following.at if following else None
        )
        if not claimed or current is None:
            return 0
        if request.assignee_id is not None and request.assignee_id in _digest_users(
            request.organisation_id
        ):
            return 0  # their daily digest lists it
        if staff_recipient(request) is None:
            return 0
        occasion_record(EventType.REMINDER_DUE, request=request, extra={"reminder": current})
        return 1


def digests_send(*, now: datetime | None = None) -> int:
    """One email a day per staff member who chose the digest, listing their due requests."""
    now = now or timezone.now()
    count = 0
    memberships = Membership.objects.filter(daily_digest=True).select_related("user")
    users = {m.user_id: m.user for m in memberships if m.user.email}
    for user_id, user in users.items():
        organisations = [m.organisation_id for m in memberships if m.user_id == user_id]
        requests = list(
            Request.objects.filter(
                assignee_id=user_id, organisation_id__in=organisations, status__in=WORKING_STATUSES
            )
            .select_related("organisation")
            .order_by("effective_due_on")
        )
        rows = []
        for request in requests:
            days_left = (request.effective_due_on - local_today(request.organisation, now)).days
            if days_left > 7:
                continue
            label = (
                "overdue"
                if days_left < 0
                else "due today"
                if days_left == 0
                else f"{days_left} days left"
            )
            rows.append({"request": request, "label": label, "url": admin_url(request.pk)})
        if not rows:
            continue
        today = now.date()
        if occasion_record(
            EventType.DIGEST_DUE,
            extra={"user_id": user_id, "email": user.email, "rows": rows, "today": today},
        ):
            count += 1
    return count
