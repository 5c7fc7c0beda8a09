"""Webhook delivery: signed POSTs, at least once, in order per request, retried for 24 hours.

The consequences table (services/consequences.py) stores one WebhookDelivery per event
and integration inside the change's transaction. Here a worker delivers it:

- Order: a delivery waits while an older one for the same integration and request is
  still pending; when that one is delivered or given up, the next is enqueued.
- Claim: an attempt moves ``next_attempt_at`` forward by a lease with a conditional
  update, so two workers never post one delivery at once, and a worker that dies
  mid-attempt only delays it by the lease. A delivery stays ``pending`` while in flight,
  which is what holds the newer ones back.
- Retries: exponential backoff from 30 s up to an hour between attempts, until 24 hours
  after the event; then it is marked failed. The relay (beat, every minute) re-offers
  whatever is due, so a lost task or a broker outage only delays delivery.

Deadline events (request.due_soon, request.overdue) have no change to ride on: a sweep
emits each once per request and due date.

Signature: Standard Webhooks (routing/domain/signatures.py), so receivers verify with the
``standardwebhooks`` library: ``webhook-id`` is the event id, the same on every retry,
``webhook-timestamp`` the attempt's Unix seconds, and ``webhook-signature`` ``v1,`` and the
base64 HMAC-SHA256 of ``f"{id}.{timestamp}.{body}"`` keyed by the integration's secret.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import requests
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from routing.domain.jobs import DELIVER_WEBHOOK, enqueue
from routing.domain.url_safety import AddressRefused, checked_post
from routing.models import (
    OPEN_STATUSES,
    DeliveryStatus,
    EventType,
    Organisation,
    Request,
    Status,
    WebhookDelivery,
)
from routing.selectors.deadlines import local_today
from routing.services.consequences import occasion_record
from routing.signatures import signed_headers

logger = logging.getLogger(__name__)

# Informative, outside the signature (the body holds the type too).
EVENT_TYPE_HEADER = "X-DSAR-Event-Type"
ATTEMPT_HEADER = "X-DSAR-Delivery-Attempt"

# Connect and read timeouts: a slow receiver must not hold a worker.
TIMEOUT = (3.05, 10.0)
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
# Longer than an attempt can take (the timeouts above), so a live attempt keeps its claim.
LEASE = timedelta(seconds=60)
# Deliveries enqueued on commit get this long before the relay offers them as well.
RELAY_GRACE = timedelta(seconds=30)
USER_AGENT = "dsar-routing-webhooks/1"


@dataclass(frozen=True)
class AttemptOutcome:
    # delivered, retry, failed, waiting (an older one goes first) or skipped (not due,
    # not pending, or another worker has it)
    status: str
    retry_in: int | None = None


def delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def delivery_headers(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_TYPE_HEADER: delivery.event_type,
        ATTEMPT_HEADER: str(delivery.attempts),
        **signed_headers(
            secret=delivery.integration.webhook_secret,
            message_id=str(delivery.event_id),
            timestamp=timestamp,
            body=body,
        ),
    }


def backoff_seconds(attempts: int) -> int:
    """30 s, 1, 2, 4 ... minutes, at most an hour."""
    return int(min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


def _older_pending() -> Q:
    """Pending deliveries of the same integration and request as OuterRef, created before."""
    return Q(
        integration=OuterRef("integration"),
        request=OuterRef("request"),
        status=DeliveryStatus.PENDING,
    ) & (
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )


def _waits_for_older(delivery: WebhookDelivery) -> bool:
    if delivery.request_id is None:
        return False  # the request is gone; nothing to order against
    return (
        WebhookDelivery.objects.filter(
            integration_id=delivery.integration_id,
            request_id=delivery.request_id,
            status=DeliveryStatus.PENDING,
        )
        .filter(
            Q(created_at__lt=delivery.created_at)
            | Q(created_at=delivery.created_at, pk__lt=delivery.pk)
        )
        .exists()
    )


def _enqueue(delivery_id: int) -> None:
    # The row is stored: if the broker is down, the relay offers it again once it is back.
    enqueue(DELIVER_WEBHOOK, delivery_id)


def _enqueue_next(delivery: WebhookDelivery) -> None:
    """Hand the broker the delivery that was waiting for this one, if any."""
    if delivery.request_id is None:
        return
    following = (
        WebhookDelivery.objects.filter(
            integration_id=delivery.integration_id,
            request_id=delivery.request_id,
            status=DeliveryStatus.PENDING,
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        _enqueue(following)


def _claim(delivery: WebhookDelivery, now: datetime) -> bool:
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    )
    if claimed:
        delivery.attempts += 1
    return bool(claimed)


def _give_up(delivery: WebhookDelivery, error: str, status_code: int | None) -> AttemptOutcome:
    WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED,
        next_attempt_at=None,
        last_error=error,
        last_status_code=status_code,
    )
    logger.error("webhooks: delivery %s failed for good: %s", delivery.pk, error)
    _enqueue_next(delivery)
    return AttemptOutcome("failed")


def _failed_attempt(
    delivery: WebhookDelivery, error: str, status_code: int | None, now: datetime
) -> AttemptOutcome:
    give_up_at = delivery.created_at + GIVE_UP_AFTER
    if now >= give_up_at:
        return _give_up(delivery, error, status_code)
    next_at = min(now + timedelta(seconds=backoff_seconds(delivery.attempts)), give_up_at)
    WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
        next_attempt_at=next_at, last_error=error, last_status_code=status_code
    )
    logger.warning(
        "webhooks: delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, error
    )
    return AttemptOutcome("retry", retry_in=max(math.ceil((next_at - now).total_seconds()), 1))


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> AttemptOutcome:
    """Post one delivery if it is due and first in line; record the outcome."""
    now = now or timezone.now()
    delivery = WebhookDelivery.objects.select_related("integration").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return AttemptOutcome("skipped")
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return AttemptOutcome("skipped")
    integration = delivery.integration
    if integration.revoked_at is not None or not integration.webhook_url:
        reason = "integration revoked" if integration.revoked_at else "no webhook URL"
        return _give_up(delivery, reason, None)
    # Access may have been taken away since the event was stored: no data of an
    # organisation the integration no longer sees leaves.
    request_organisation = WebhookDelivery.objects.filter(pk=delivery.pk).values_list(
        "request__organisation_id", flat=True
    )
    if not integration.organisations.filter(pk__in=request_organisation).exists():
        return _give_up(delivery, "integration no longer sees this organisation", None)
    if _waits_for_older(delivery):
        return AttemptOutcome("waiting")
    if not _claim(delivery, now):
        return AttemptOutcome("skipped")
    body = delivery_body(delivery)
    headers = delivery_headers(delivery, body, int(time.time()))
    try:
        # Resolved and checked on connecting (routing/domain/url_safety.py): a URL saved
        # before the rule, or a name that now resolves inside the network, is refused.
        response = checked_post(
            integration.webhook_url,
            data=body,
            headers=headers,
            timeout=TIMEOUT,
            # A redirect is an answer we do not follow: the URL is what staff configured.
            allow_redirects=False,
        )
    except AddressRefused as refused:
        # Sending again would be refused again: the attempt counts, and it stops here.
        return _give_up(delivery, f"Refused: {refused.message}", None)
    except requests.RequestException as error:
        return _failed_attempt(delivery, f"{type(error).__name__}: {error}"[:2000], None, now)
    if 200 <= response.status_code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=timezone.now(),
            next_attempt_at=None,
            last_status_code=response.status_code,
            last_error="",
        )
        _enqueue_next(delivery)
        return AttemptOutcome("delivered")
    text = response.text[:500] if response.text else ""
    problem = f"HTTP {response.status_code}: {text}".strip()
    return _failed_attempt(delivery, problem, response.status_code, now)


def delivery_redeliver(*, delivery: WebhookDelivery, now: datetime | None = None) -> None:
    """Send again now (staff's redeliver). Past 24 hours after the event this is one more
    attempt: a failure marks it failed again at once."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, delivered_at=None
    )
    _enqueue(delivery.pk)


def webhooks_relay(*, now: datetime | None = None, limit: int = 500) -> int:
    """Offer the broker the deliveries that are due and first in line; returns the count."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(
            Q(attempts__gt=0, next_attempt_at__lte=now)
            | Q(attempts=0, next_attempt_at__lte=now - RELAY_GRACE)
        )
        .filter(~Exists(WebhookDelivery.objects.filter(_older_pending())))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for delivery_id in due:
        _enqueue(delivery_id)
    return len(due)


# --- deadline events ---------------------------------------------------------------------

# request.due_soon is sent once this many days before the effective due date.
DUE_SOON_DAYS = 7
DEADLINE_EVENTS = ("request.due_soon", "request.overdue")


def _deadline_event(request: Request, today: date) -> str | None:
    if request.effective_due_on < today:
        return "request.overdue"
    if request.effective_due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return "request.due_soon"
    return None


def webhooks_deadline_sweep(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Emit request.due_soon and request.overdue, each once per request and due date
    (an extension moves the date, and the events come again for the new one).

    Only organisations with a webhook integration are read. Returns the events emitted.
    """
    now = now or timezone.now()
    hooked = Organisation.objects.filter(
        integrations__revoked_at__isnull=True, integrations__webhook_url__gt=""
    ).distinct()
    emitted = 0
    for organisation in hooked:
        today = local_today(organisation, now)
        candidates = list(
            Request.objects.filter(
                organisation=organisation,
                status__in=OPEN_STATUSES,
                effective_due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
            )
            .exclude(status=Status.UNVERIFIED)
            .order_by("effective_due_on", "id")
            .values_list("pk", "effective_due_on")[:batch_size]
        )
        sent = {
            (request_id, event_type, due_on)
            for request_id, event_type, due_on in WebhookDelivery.objects.filter(
                request_id__in=[pk for pk, _ in candidates], event_type__in=DEADLINE_EVENTS
            ).values_list("request_id", "event_type", "payload__data__due_on")
        }
        for pk, due_on in candidates:
            event_type = "request.overdue" if due_on < today else "request.due_soon"
            if (pk, event_type, due_on.isoformat()) in sent:
                continue
            emitted += _emit_deadline_event(pk, today)
    return emitted


def _emit_deadline_event(pk: int, today: date) -> int:
    with transaction.atomic():
        # The lock makes two sweeps at once emit the event once.
        request = Request.objects.select_for_update(of=("self",)).select_related("organisation")
        locked = request.get(pk=pk)
        event_type = _deadline_event(locked, today)
        if event_type is None or not locked.is_open:
            return 0
        due_on = locked.effective_due_on.isoformat()
        if WebhookDelivery.objects.filter(
            request=locked, event_type=event_type, payload__data__due_on=due_on
        ).exists():
            return 0
        occasion_record(
            EventType.OVERDUE if event_type == "request.overdue" else EventType.DUE_SOON,
            request=locked,
            status=locked.status,
            due_on=due_on,
            days_left=(locked.effective_due_on - today).days,
        )
    return 1
