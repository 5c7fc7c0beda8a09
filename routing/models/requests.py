"""Requests, their routes, and the append-only audit trail.

Every date the clock computes is stored, so "what is due" is one indexed query; the
clock's explanation is recomputed from the stored facts when someone reads it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from routing.models.registry import Customer, Organisation, Scope, ThirdParty


class Status(models.TextChoices):
    UNVERIFIED = "unverified", "unverified"
    NEW = "new", "new"
    IN_PROGRESS = "in_progress", "in progress"
    AWAITING_SUBJECT = "awaiting_subject", "awaiting subject"
    COMPLETED = "completed", "completed"
    DENIED = "denied", "denied"
    WITHDRAWN = "withdrawn", "withdrawn"
    DUPLICATE = "duplicate", "duplicate"
    EXPIRED = "expired", "expired"


OPEN_STATUSES = (Status.UNVERIFIED, Status.NEW, Status.IN_PROGRESS, Status.AWAITING_SUBJECT)
# Open and verified: the clock runs, staff work on it, reminders go out.
WORKING_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.AWAITING_SUBJECT)
CLOSED_STATUSES = (
    Status.COMPLETED,
    Status.DENIED,
    Status.WITHDRAWN,
    Status.DUPLICATE,
    Status.EXPIRED,
)


class WaitingFor(models.TextChoices):
    """What a paused request waits for: under UK GDPR a proof of identity restarts the
    clock when it arrives (the "relevant time"), a clarification only pauses it."""

    CLARIFICATION = "clarification", "clarification"
    IDENTITY = "identity", "proof of identity"


class Channel(models.TextChoices):
    WEB = "web", "web form"
    EMAIL = "email", "email"
    API = "api", "API"
    AGENT = "agent", "authorized agent"
    STAFF = "staff", "entered by staff"
    POST = "post", "post"
    PHONE = "phone", "phone"


class Membership(models.Model):
    """A staff user's access to one organisation: what they see and act on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    daily_digest = models.BooleanField(
        default=False, help_text="One email a day listing what is due, instead of single reminders."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class ReferenceCounter(models.Model):
    """Last reference number given per organisation and year, taken under a row lock."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="reference_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Request(models.Model):
    """One data-subject request to one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="requests"
    )
    reference = models.CharField(max_length=32, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    kinds = models.JSONField(default=list)
    scope_keys = models.JSONField(
        default=list, blank=True, help_text="Scopes the subject named; empty = found by rule."
    )
    # The subject. Emptied by the retention purge.
    subject_name = models.CharField(max_length=200, blank=True)
    subject_email = models.EmailField(blank=True, db_index=True)
    subject_phone = models.CharField(max_length=20, blank=True, db_index=True)
    subject_country = models.CharField(max_length=2, blank=True)
    subject_region = models.CharField(max_length=8, blank=True)
    subject_language = models.CharField(max_length=8, default="en")
    identifiers = models.JSONField(
        default=dict, blank=True, help_text="Normalised phone, website, WhatsApp given."
    )
    details = models.TextField(blank=True)
    # The law and the clock.
    regime = models.CharField(max_length=32)
    regime_reason = models.TextField(blank=True)
    received_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    verification = models.CharField(max_length=64, blank=True)
    restarted_on = models.DateField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0)
    paused_since = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=300, blank=True)
    waiting_for = models.CharField(max_length=16, choices=WaitingFor.choices, blank=True)
    received_on = models.DateField()
    acknowledge_by = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    extended_due_on = models.DateField(null=True, blank=True)
    opt_out_due_on = models.DateField(null=True, blank=True)
    forward_due_on = models.DateField(null=True, blank=True)
    effective_due_on = models.DateField(help_text="The extended date once extended, else due.")
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    # When the reminder sweep next looks at this request (see services.reminders).
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    # Work.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )
    possible_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="possible_duplicates"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    denial_ground = models.CharField(max_length=40, blank=True)
    outcome_note = models.TextField(blank=True)
    status_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    purged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["effective_due_on", "id"]
        indexes = [
            # The queue and the deadline sweep read open requests by due date only.
            models.Index(
                fields=["effective_due_on"],
                name="request_open_due_idx",
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
            ),
            models.Index(fields=["organisation", "status", "effective_due_on"]),
            models.Index(fields=["closed_at"], name="request_closed_idx"),
            # A new request looks for the same subject's earlier ones (duplicates) by email
            # ignoring case, which the plain index on subject_email cannot serve.
            models.Index("organisation", Upper("subject_email"), name="request_subject_email_idx"),
            models.Index(
                fields=["next_reminder_at"],
                name="request_reminder_idx",
                condition=Q(status__in=["new", "in_progress", "awaiting_subject"]),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


class RouteStatus(models.TextChoices):
    PENDING = "pending", "pending"
    NEEDS_CUSTOMER = "needs_customer", "needs customer"
    SENT = "sent", "sent"
    ACKNOWLEDGED = "acknowledged", "acknowledged"
    DONE = "done", "done"
    NOT_APPLICABLE = "not_applicable", "not applicable"


ROUTE_OPEN_STATUSES = (RouteStatus.PENDING, RouteStatus.NEEDS_CUSTOMER)


# The planner's words (routing.planning.specs ROLES and ACTIONS), as the route stores them.
class RouteAction(models.TextChoices):
    FULFIL = "fulfil", "fulfil"
    FORWARD = "forward", "forward"
    REDIRECT = "redirect", "redirect"


class Role(models.TextChoices):
    CONTROLLER = "controller", "controller"
    PROCESSOR = "processor", "processor"
    INDEPENDENT_CONTROLLER = "independent_controller", "independent controller"


class TargetType(models.TextChoices):
    ORGANISATION = "organisation", "organisation"
    CUSTOMER = "customer", "customer"
    THIRD_PARTY = "third_party", "third party"
    UNRESOLVED = "unresolved", "unresolved"


class Route(models.Model):
    """Who answers one scope of a request, and how far that has gone."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="routes")
    scope = models.ForeignKey(Scope, on_delete=models.PROTECT, related_name="routes")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(max_length=32, choices=Role.choices)
    action = models.CharField(max_length=16, choices=RouteAction.choices)
    target_type = models.CharField(max_length=16, choices=TargetType.choices)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT)
    third_party = models.ForeignKey(ThirdParty, null=True, blank=True, on_delete=models.PROTECT)
    target_name = models.CharField(max_length=200, blank=True)
    target_email = models.EmailField(blank=True)
    target_url = models.URLField(blank=True)
    matched_by = models.CharField(max_length=200, blank=True)
    tasks = models.JSONField(default=list, blank=True)
    explanation = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=RouteStatus.choices, default=RouteStatus.PENDING
    )
    due_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # Follow-ups sent to a customer who has not acknowledged a forward.
    follow_ups = models.PositiveSmallIntegerField(default=0)
    next_follow_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(
                fields=["next_follow_up_at"],
                name="route_follow_up_idx",
                condition=Q(status="sent"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope.key}: {self.action} → {self.target_name or 'unresolved'}"


class ActorType(models.TextChoices):
    STAFF = "staff", "staff"
    INTEGRATION = "integration", "integration"
    SUBJECT = "subject", "subject"
    SYSTEM = "system", "system"
