"""Telling the recipients of a subject's data that it was erased, rectified or restricted
(GDPR Art. 19; CCPA §1798.105(c)(1)): one notice per recipient of the scopes the request
touched, a signed link to acknowledge it, a follow-up after two working days of silence,
and a task for staff where no address is known or the recipient stays silent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core import signing
from django.db import transaction
from django.utils import timezone

from routing.domain.links import ACK_MAX_AGE, RECIPIENT_ACK_SALT
from routing.models import (
    EventType,
    NoticeStatus,
    Recipient,
    RecipientNotice,
    Request,
    Role,
    RouteStatus,
)
from routing.services.actors import Actor
from routing.services.consequences import Entry, event_record, events_record, occasion_record
from routing.services.forwarding import InvalidLink, follow_up_time

# The parts Art. 19 asks a controller to pass on to each recipient.
NOTIFIED_KINDS = ("rectification", "erasure", "restriction")


class NoticeClosed(Exception):
    """The notice was acknowledged or settled already; nothing was changed."""


def touched_scopes(request: Request) -> list[str]:
    """The scopes the organisation itself answered for: where it is the controller and the
    route was not found not to apply."""
    return [
        route.scope.key
        for route in request.routes.select_related("scope").order_by("position")
        if route.role == Role.CONTROLLER and route.status != RouteStatus.NOT_APPLICABLE
    ]


def _no_contact_task(notices: Sequence[RecipientNotice], kinds: Sequence[str]) -> str:
    names = "; ".join(f"{n.recipient_name} ({', '.join(n.scope_keys)})" for n in notices)
    return (
        f"Tell these recipients of the {', '.join(kinds)} (GDPR Art. 19); no address is "
        f"known for them: {names}. Enter their contact in the admin for next time, and mark "
        "each notice told."
    )


def recipients_notify(
    *, request: Request, by: Actor, kinds: Sequence[str]
) -> list[RecipientNotice]:
    """Notify every recipient of the scopes the request touched of the completed ``kinds``
    that Art. 19 covers; called by the completion, in its transaction."""
    told = [kind for kind in NOTIFIED_KINDS if kind in kinds]
    scopes = touched_scopes(request)
    if not told or not scopes:
        return []
    recipients = (
        Recipient.objects.filter(organisation=request.organisation_id, scopes__key__in=scopes)
        .distinct()
        .prefetch_related("scopes")
        .order_by("name", "id")
    )
    now = timezone.now()
    notices = [
        RecipientNotice(
            request=request,
            recipient=recipient,
            recipient_name=recipient.name,
            email=recipient.privacy_email,
            scope_keys=[s.key for s in recipient.scopes.all() if s.key in scopes],
            kinds=told,
            status=NoticeStatus.SENT if recipient.privacy_email else NoticeStatus.NO_CONTACT,
            created_at=now,
            next_follow_up_at=follow_up_time(request, now) if recipient.privacy_email else None,
        )
        for recipient in recipients
    ]
    if not notices:
        return []
    for notice in notices:
        notice.save()
    entries = [
        Entry(
            by=by,
            type=EventType.RECIPIENTS_NOTIFIED,
            data={
                "kinds": told,
                "notices": [n.pk for n in notices],
                "recipients": [n.recipient_name for n in notices],
            },
        )
    ]
    silent = [n for n in notices if n.status == NoticeStatus.NO_CONTACT]
    key = f"recipients_no_contact:{request.pk}:{notices[0].pk}"
    if silent:
        task = _no_contact_task(silent, told)
        entries.append(
            Entry(
                by=by,
                type=EventType.STAFF_TASK,
                data={"code": "recipient_no_contact", "task": task},
            )
        )
    events_record(request, entries, extra={"key": key})
    return notices


def notice_from_token(token: str) -> RecipientNotice:
    try:
        data = signing.loads(token, salt=RECIPIENT_ACK_SALT, max_age=ACK_MAX_AGE)
    except signing.BadSignature:
        raise InvalidLink from None
    pk = data.get("notice") if isinstance(data, dict) else None
    if not isinstance(pk, int):
        raise InvalidLink
    found = RecipientNotice.objects.select_related("request__organisation").filter(pk=pk).first()
    if found is None:
        raise InvalidLink
    return found


def _settle(notice: RecipientNotice, by: Actor, status: str, event: EventType) -> RecipientNotice:
    with transaction.atomic():
        locked = (
            RecipientNotice.objects.select_for_update()
            .select_related("request__organisation")
            .get(pk=notice.pk)
        )
        if locked.status not in (NoticeStatus.SENT, NoticeStatus.NO_CONTACT):
            raise NoticeClosed
        locked.status = status
        locked.acknowledged_at = timezone.now()
        locked.next_follow_up_at = None
        locked.save(update_fields=["status", "acknowledged_at", "next_follow_up_at"])
        event_record(
            locked.request,
            by,
            event,
            recipient=locked.recipient_name,
            notice=locked.pk,
            scopes=list(locked.scope_keys),
        )
    return locked


def recipient_acknowledge(*, notice: RecipientNotice, by: Actor) -> RecipientNotice:
    """The recipient confirmed, through its link, that it received the notice."""
    return _settle(notice, by, NoticeStatus.ACKNOWLEDGED, EventType.RECIPIENT_ACKNOWLEDGED)


def recipient_mark_told(*, notice: RecipientNotice, by: Actor) -> RecipientNotice:
    """Staff told the recipient another way (no address, or no answer to the email)."""
    return _settle(notice, by, NoticeStatus.DONE_BY_STAFF, EventType.RECIPIENT_TOLD_BY_STAFF)


def recipient_follow_ups_sweep(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Remind recipients who have not acknowledged; after the second silence, tell staff."""
    now = now or timezone.now()
    done = 0
    rows = list(
        RecipientNotice.objects.filter(
            status=NoticeStatus.SENT,
            next_follow_up_at__lte=now,
            request__purged_at__isnull=True,
        )
        .order_by("next_follow_up_at")
        .values_list("pk", "next_follow_up_at")[:batch_size]
    )
    for pk, due_at in rows:
        with transaction.atomic():
            notice = RecipientNotice.objects.select_related(
                "request__organisation", "request__assignee"
            ).get(pk=pk)
            first = notice.follow_ups == 0
            following = follow_up_time(notice.request, now) if first else None
            # Claim: only the sweep that moves this exact time acts on it.
            if not RecipientNotice.objects.filter(pk=pk, next_follow_up_at=due_at).update(
                next_follow_up_at=following, follow_ups=notice.follow_ups + 1
            ):
                continue
            if first:
                occasion_record(
                    EventType.RECIPIENT_FOLLOWED_UP,
                    request=notice.request,
                    extra={"notice": notice},
                )
            else:
                event_record(
                    notice.request,
                    Actor.system("follow-ups"),
                    EventType.STAFF_TASK,
                    extra={"key": f"recipient_silent:{notice.pk}"},
                    code="recipient_silent",
                    task=(
                        f"{notice.recipient_name} has not acknowledged the notice of the "
                        f"{', '.join(notice.kinds)} after a follow-up: contact them another "
                        "way, then mark the notice told."
                    ),
                )
            done += 1
    return done
