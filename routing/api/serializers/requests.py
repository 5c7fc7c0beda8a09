"""Requests in and out: the create contract, list rows, and the detail with its clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from routing.api.serializers.fields import BlankAsNullCharField
from routing.clock import KINDS, REGIMES
from routing.domain.registry_snapshot import registry_snapshot
from routing.domain.transitions import allowed_actions
from routing.identifiers import (
    InvalidIdentifier,
    has_control_characters,
    has_invisible_characters,
    normalise_identifier,
    normalise_phone,
)
from routing.models import Channel, Organisation, PartStatus, Request, RouteStatus, Status
from routing.selectors.deadlines import local_today, request_deadlines

KIND_CHOICES = list(KINDS)
REGIME_CHOICES = sorted(REGIMES)
# A received instant this far ahead is a client's clock, not a typo; further is refused.
CLOCK_SKEW = timedelta(minutes=5)
OLDEST_RECEIVED = datetime(2000, 1, 1, tzinfo=UTC)
COUNTRY = r"^[A-Za-z]{2}$"


@extend_schema_field(OpenApiTypes.STR)
class VisibleOrganisationField(serializers.SlugRelatedField[Organisation]):
    """An organisation by slug, among those the integration may see: another tenant's
    slug reads as unknown."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self) -> QuerySet[Organisation]:
        ids = self.context["organisation_ids"]
        return Organisation.objects.filter(pk__in=ids)

    def to_internal_value(self, data: Any) -> Organisation:
        # From the process's registry snapshot: a create reads no organisation row.
        ids = self.context["organisation_ids"]
        snapshot = registry_snapshot()
        slug = data if isinstance(data, str) else None
        row = snapshot.organisation_row(slug) if slug else None
        if row is not None and row.pk in ids:
            return row
        valid = ", ".join(s for s, r in sorted(snapshot.organisation_rows.items()) if r.pk in ids)
        raise serializers.ValidationError(
            f"unknown organisation {str(data)[:64]!r} (valid: {valid})", code="does_not_exist"
        )


# --- in ----------------------------------------------------------------------------------


def _single_line(value: str) -> None:
    # A name goes into email headers and staff's lists: a line break could split them.
    if has_control_characters(value):
        raise serializers.ValidationError(
            "Must be one line, without line breaks or control characters.",
            code="control_characters",
        )


def _visible_address(value: str) -> None:
    # Django's check of an international domain drops zero-width characters, so the
    # address would pass and be stored with them.
    if has_invisible_characters(value):
        raise serializers.ValidationError(
            "Must not contain line breaks, control or invisible characters.",
            code="control_characters",
        )


class SubjectInSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[_single_line]
    )
    email = serializers.EmailField(max_length=254, validators=[_visible_address])
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    country = serializers.RegexField(
        COUNTRY, required=False, allow_blank=True, default="", help_text="ISO 3166-1 alpha-2"
    )
    region = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default="", help_text="e.g. CA, QC"
    )
    language = serializers.CharField(max_length=8, required=False, default="en")


class IdentifiersInSerializer(serializers.Serializer[Any]):
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    website = serializers.CharField(max_length=255, required=False, allow_blank=True)
    whatsapp = serializers.CharField(max_length=40, required=False, allow_blank=True)


class RequestCreateSerializer(serializers.Serializer[Any]):
    organisation = VisibleOrganisationField(help_text="The organisation's slug.")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=KIND_CHOICES), min_length=1, max_length=20
    )
    scopes = serializers.ListField(
        child=serializers.CharField(max_length=128),
        required=False,
        max_length=50,
        help_text="Scope keys the subject named; omitted = found by the routing rule.",
    )
    subject = SubjectInSerializer()
    identifiers = IdentifiersInSerializer(
        required=False, help_text="What finds the customer of a processor scope."
    )
    details = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")
    received_at = serializers.DateTimeField(
        required=False, help_text="When the subject sent it; default now."
    )
    verified = serializers.BooleanField(
        default=True,
        help_text="The integration vouches for the subject; false waits for their confirmation.",
    )
    channel = serializers.ChoiceField(
        choices=[Channel.API, Channel.EMAIL, Channel.AGENT], default=Channel.API
    )
    regime = serializers.ChoiceField(
        choices=REGIME_CHOICES,
        required=False,
        help_text="Override the regime found from the organisation and the subject's country.",
    )

    def validate_received_at(self, value: datetime) -> datetime:
        if value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError("Must not be in the future.", code="future")
        if value < OLDEST_RECEIVED:
            raise serializers.ValidationError("Must be 2000 or later.", code="too_old")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        organisation: Organisation = attrs["organisation"]
        errors: dict[str, Any] = {}
        scopes = attrs.get("scopes") or []
        if scopes:
            spec = registry_snapshot().organisations.get(organisation.slug)
            own = [scope.key for scope in spec.scopes] if spec else []
            unknown = [key for key in scopes if key not in own]
            if unknown:
                # Worded as the planner words it, without naming another tenant.
                errors["scopes"] = [
                    f"unknown scope {unknown[0]!r} for {organisation.slug!r} "
                    f"(valid: {', '.join(own)})"
                ]
        subject = attrs["subject"]
        region = subject.get("country") or organisation.country or None
        if subject.get("phone"):
            try:
                normalise_phone(subject["phone"], default_region=region)
            except InvalidIdentifier as error:
                errors["subject"] = {"phone": [error.message]}
        identifier_errors = {}
        for kind, value in (attrs.get("identifiers") or {}).items():
            if not value:
                continue
            try:
                normalise_identifier(kind, value, default_region=organisation.country or None)
            except InvalidIdentifier as error:
                identifier_errors[kind] = [error.message]
        if identifier_errors:
            errors["identifiers"] = identifier_errors
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# Service field names → the request's paths.
RECEIVE_ERROR_FIELDS = {
    "email": "subject.email",
    "country": "subject.country",
    "phone": "identifiers.phone",
    "website": "identifiers.website",
    "whatsapp": "identifiers.whatsapp",
}


# --- out ---------------------------------------------------------------------------------


class SubjectOutSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="subject_name")
    email = serializers.CharField(source="subject_email")
    phone = serializers.CharField(source="subject_phone")
    country = serializers.CharField(source="subject_country")
    region = serializers.CharField(source="subject_region")
    language = serializers.CharField(source="subject_language")


class TargetSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(source="target_type", help_text="organisation, customer, ...")
    name = BlankAsNullCharField(source="target_name")
    email = BlankAsNullCharField(source="target_email")
    url = BlankAsNullCharField(source="target_url")


class TaskSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()


class RouteSerializer(serializers.Serializer[Any]):
    """A route as plan_route prints it, with its progress."""

    id = serializers.IntegerField()
    scope = serializers.CharField(source="scope.key")
    role = serializers.CharField()
    action = serializers.CharField(help_text="fulfil, forward or redirect")
    target = TargetSerializer(source="*")
    tasks = TaskSerializer(many=True)
    explanation = serializers.CharField()
    # Text, not an enum: a second enum named "status" beside the request's would need a
    # naming override for the schema to build without a warning.
    status = serializers.CharField(help_text=", ".join(RouteStatus.values))
    due_on = serializers.DateField(allow_null=True)
    customer = serializers.IntegerField(source="customer_id", allow_null=True)
    matched_by = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)


class PartSerializer(serializers.Serializer[Any]):
    """One kind of the request, on its own clock."""

    kind = serializers.CharField()
    status = serializers.CharField(help_text=", ".join(PartStatus.values))
    acknowledge_by = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(help_text="The first due date.")
    extended_due_on = serializers.DateField(
        allow_null=True, help_text="The due date once this part was extended; null before."
    )
    extended_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    denial_ground = serializers.CharField()
    explanation = serializers.ListField(
        child=serializers.CharField(), help_text="How this part's dates were worked out."
    )


class RequestListSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    organisation = serializers.CharField(source="organisation.slug")
    status = serializers.ChoiceField(choices=Status.choices)
    channel = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())
    scopes = serializers.ListField(child=serializers.CharField(), source="scope_keys")
    subject = SubjectOutSerializer(source="*")
    identifiers = serializers.DictField(child=serializers.CharField())
    regime = serializers.CharField()
    received_at = serializers.DateTimeField()
    verified = serializers.SerializerMethodField()
    assignee = serializers.CharField(
        source="assignee_username", allow_null=True, help_text="The staff member's username."
    )
    received_on = serializers.DateField()
    acknowledge_by = serializers.DateField(allow_null=True)
    due_on = serializers.DateField()
    extended_due_on = serializers.DateField(allow_null=True)
    opt_out_due_on = serializers.DateField(allow_null=True)
    forward_due_on = serializers.DateField(allow_null=True)
    effective_due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField()
    paused = serializers.SerializerMethodField()
    closed_at = serializers.DateTimeField(allow_null=True)
    possible_duplicate_of = serializers.CharField(
        source="possible_duplicate_reference",
        allow_null=True,
        help_text="Reference of an earlier request of the same subject it may repeat.",
    )
    duplicate_of = serializers.CharField(
        source="duplicate_reference", allow_null=True, help_text="Reference of the original."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_verified(self, obj: Request) -> bool:
        return obj.verified_at is not None

    def get_overdue(self, obj: Request) -> bool:
        return obj.is_open and obj.effective_due_on < local_today(obj.organisation)

    def get_paused(self, obj: Request) -> bool:
        return obj.is_paused


class RequestDetailSerializer(RequestListSerializer):
    details = serializers.CharField()
    regime_reason = serializers.CharField()
    verified_at = serializers.DateTimeField(allow_null=True)
    verification = serializers.CharField()
    paused_days = serializers.IntegerField()
    paused_since = serializers.DateTimeField(allow_null=True)
    pause_reason = serializers.CharField()
    waiting_for = serializers.CharField(help_text="identity, clarification, or empty")
    restarted_on = serializers.DateField(
        allow_null=True, help_text="UK GDPR: the day a proof of identity asked for arrived."
    )
    extended_at = serializers.DateTimeField(allow_null=True)
    extension_reason = serializers.CharField()
    denial_ground = serializers.CharField()
    outcome_note = serializers.CharField()
    routes = RouteSerializer(many=True)
    parts = PartSerializer(
        many=True,
        help_text="Each kind with its own dates and outcome; the request's dates "
        "are its earliest open part's.",
    )
    explanation = serializers.SerializerMethodField(
        help_text="How the dates were worked out, one sentence per step."
    )
    actions = serializers.SerializerMethodField(
        help_text="The actions its status allows now (POST /api/v1/requests/{id}/<action>/)."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_explanation(self, obj: Request) -> list[str]:
        return request_deadlines(obj).explanation()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, obj: Request) -> list[str]:
        return allowed_actions(obj.status, api=True)
