"""The registry: organisations (tenants), their scopes, customers and third parties.

Fields mirror ``routing.planning.specs`` so the registry files, the admin and the planner
describe the same things. Vocabulary checks live in ``clean()`` so the admin names the field.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from routing.clock import KINDS, REGIMES, Commitment
from routing.identifiers import (
    IDENTIFIER_TYPES,
    InvalidIdentifier,
    normalise_identifier,
    normalise_phone,
)
from routing.planning.specs import ROLE_ACTIONS, ROLES, TASK_CODES, retained_from_data

ROLE_CHOICES = [(role, role.replace("_", " ")) for role in ROLES]
ACTION_CHOICES = [("fulfil", "fulfil"), ("forward", "forward"), ("redirect", "redirect")]
IDENTIFIER_CHOICES = [(kind, kind) for kind in IDENTIFIER_TYPES]


def _check_kinds(values: Any, field: str) -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError({field: "Give a list of kinds."})
    unknown = sorted(set(values) - set(KINDS))
    if unknown:
        raise ValidationError(
            {field: f"Unknown kind(s) {', '.join(unknown)}; valid: {', '.join(KINDS)}."}
        )


def validate_retained(value: Any) -> None:
    # The subject's completion email reads these entries; a malformed one is refused here.
    try:
        retained_from_data(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def default_reminder_days() -> list[int]:
    return [7, 2, 0]


class ThirdParty(models.Model):
    """An independent controller a subject is redirected to (e.g. Belledonne Communications)."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    policy_url = models.URLField(blank=True)
    privacy_email = models.EmailField(
        blank=True, help_text="Leave empty until a published, working address is known."
    )
    contact_problem = models.TextField(
        blank=True, help_text="Why the address is missing or doubtful, shown to staff."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "third parties"

    def __str__(self) -> str:
        return self.name

    @property
    def contact_missing(self) -> bool:
        return not self.privacy_email


class Organisation(models.Model):
    """A business whose requests the service handles; one tenant."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    legal_name = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)
    privacy_email = models.EmailField(
        blank=True, help_text="Leave empty until a published, working address is known."
    )
    contact_problem = models.TextField(blank=True)
    address = models.TextField(blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2.")
    timezone = models.CharField(max_length=64, default="UTC")
    holiday_country = models.CharField(max_length=2, blank=True)
    holiday_subdivision = models.CharField(max_length=8, blank=True)
    default_regime = models.CharField(max_length=32, default="gdpr")
    authority_name = models.CharField(max_length=200, blank=True)
    authority_url = models.URLField(blank=True)
    policy_url = models.URLField(blank=True)
    policy_date = models.DateField(null=True, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    reference_prefix = models.CharField(max_length=8, unique=True)
    kinds = models.JSONField(
        default=list, blank=True, help_text="Kinds of request its policy names."
    )
    commitments = models.JSONField(
        default=list,
        blank=True,
        help_text='Own promises, e.g. [{"label": "...", "days": 45, "regimes": ["ccpa"]}].',
    )
    forward_within_working_days = models.PositiveSmallIntegerField(default=1)
    team_email = models.EmailField(
        blank=True, help_text="Privacy team address: reminders for unassigned requests."
    )
    reminder_days_before = models.JSONField(
        default=default_reminder_days,
        blank=True,
        help_text="Days before the due date when staff are reminded, e.g. [7, 2, 0].",
    )
    remind_when_overdue = models.BooleanField(
        default=True, help_text="Remind each working day a request is overdue."
    )
    customer_language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text="The language of emails to customers (forwards, follow-ups, closures) and "
        "of their acknowledgement page. Empty: the service's default language.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_missing(self) -> bool:
        return not self.privacy_email

    @property
    def language_for_customers(self) -> str:
        """The organisation has no language of its own: customers read the service's
        default unless staff chose theirs."""
        return self.customer_language or settings.LANGUAGE_CODE

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["timezone"] = f"{self.timezone!r} is not an IANA time zone (e.g. Europe/Paris)."
        if self.default_regime not in REGIMES:
            errors["default_regime"] = (
                f"Unknown regime {self.default_regime!r}; valid: {', '.join(sorted(REGIMES))}."
            )
        for field in ("country", "holiday_country"):
            value = getattr(self, field)
            if value and not (len(value) == 2 and value.isalpha() and value.isupper()):
                errors[field] = "Use an upper-case ISO 3166-1 alpha-2 code, e.g. FR."
        days = self.reminder_days_before
        if not isinstance(days, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 90 for d in days
        ):
            errors["reminder_days_before"] = (
                "Give a list of whole days from 0 to 90, e.g. [7, 2, 0]."
            )
        if not isinstance(self.commitments, list):
            errors["commitments"] = "Give a list of commitments."
        else:
            for index, item in enumerate(self.commitments):
                try:
                    Commitment.from_dict(item)
                except (ValueError, TypeError, AttributeError) as error:
                    errors["commitments"] = f"Commitment {index + 1}: {error}"
                    break
        if errors:
            raise ValidationError(errors)
        _check_kinds(self.kinds, "kinds")


class Scope(models.Model):
    """One kind of personal data an organisation holds, with its role and routing rule."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="scopes")
    key = models.CharField(max_length=128, unique=True, help_text="<organisation>:<scope>")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    question = models.CharField(
        max_length=300, blank=True, help_text="Plain-language question for the intake form."
    )
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)
    action = models.CharField(max_length=16, choices=ACTION_CHOICES)
    kind_actions = models.JSONField(default=dict, blank=True, help_text='{"kind": "action"}')
    kind_tasks = models.JSONField(default=dict, blank=True, help_text='{"kind": ["task code"]}')
    third_party = models.ForeignKey(
        ThirdParty, null=True, blank=True, on_delete=models.PROTECT, related_name="scopes"
    )
    identifier_types = models.JSONField(
        default=list, blank=True, help_text='Identifiers that find the customer: ["phone"].'
    )
    policy_section = models.CharField(max_length=200, blank=True)
    limits = models.JSONField(default=dict, blank=True, help_text='{"kind": "note"}')
    retained = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_retained],
        help_text='Kept after an erasure: [{"what", "ground", "period" (or null), "source"}].',
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["organisation", "position", "key"]

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.organisation_id and not self.key.startswith(f"{self.organisation.slug}:"):
            errors["key"] = f"Start the key with the organisation's slug: {self.organisation.slug}:"
        allowed = ROLE_ACTIONS.get(self.role, ())
        if self.action not in allowed:
            errors["action"] = f"A {self.role} scope allows: {', '.join(allowed)}."
        if self.role == "independent_controller" and self.third_party_id is None:
            errors["third_party"] = "An independent-controller scope needs its third party."
        if self.role == "processor" and not self.identifier_types:
            errors["identifier_types"] = (
                f"A processor scope needs the identifiers that find its customer: "
                f"{', '.join(IDENTIFIER_TYPES)}."
            )
        elif not isinstance(self.identifier_types, list) or set(self.identifier_types) - set(
            IDENTIFIER_TYPES
        ):
            errors["identifier_types"] = f"Use a list of: {', '.join(IDENTIFIER_TYPES)}."
        if not isinstance(self.kind_actions, dict) or any(
            k not in KINDS or v not in allowed for k, v in self.kind_actions.items()
        ):
            errors["kind_actions"] = (
                f"Map kinds ({', '.join(KINDS)}) to actions this role allows "
                f"({', '.join(allowed)})."
            )
        if not isinstance(self.kind_tasks, dict) or any(
            k not in KINDS or not isinstance(v, list) or set(v) - set(TASK_CODES)
            for k, v in self.kind_tasks.items()
        ):
            errors["kind_tasks"] = f"Map kinds to lists of task codes: {', '.join(TASK_CODES)}."
        if errors:
            raise ValidationError(errors)


class Customer(models.Model):
    """A client of an organisation: the controller for its processor scopes."""

    class Source(models.TextChoices):
        STAFF = "staff", "staff"
        DEMO = "demo", "demo data"
        SCRIPT = "script", "command line"
        API = "api", "API"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="customers"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Privacy contact for forwarded requests.")
    is_demo = models.BooleanField(default=False, help_text="Fictional data for a local run.")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STAFF)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="customer_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} (demo)" if self.is_demo else self.name


class CustomerIdentifier(models.Model):
    """A number or domain that finds a customer; stored normalised, unique per organisation."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identifiers")
    # Copied from the customer so (organisation, type, value) can be one unique index.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, editable=False)
    type = models.CharField(max_length=16, choices=IDENTIFIER_CHOICES)
    value = models.CharField(max_length=255, help_text="E.164 number or domain, as entered.")
    warning = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        ordering = ["type", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "type", "value"], name="identifier_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalise()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.type not in IDENTIFIER_TYPES:
            raise ValidationError({"type": f"Use one of: {', '.join(IDENTIFIER_TYPES)}."})
        if getattr(self.customer, "organisation_id", None) is None:
            return  # the customer's own form reports its missing organisation
        self.normalise()
        clash = (
            CustomerIdentifier.objects.filter(
                organisation=self.organisation, type=self.type, value=self.value
            )
            .exclude(pk=self.pk)
            .select_related("customer")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {"value": f"{self.value} already identifies {clash.customer.name}."}
            )

    def normalise(self) -> None:
        """Store the canonical form; raises ValidationError naming the field."""
        organisation = self.customer.organisation
        self.organisation = organisation
        region = organisation.country or None
        try:
            if self.type in ("phone", "whatsapp"):
                phone = normalise_phone(self.value, default_region=region, field=self.type)
                self.value, self.warning = phone.e164, phone.warning or ""
            else:
                self.value = normalise_identifier(self.type, self.value, default_region=region)
        except InvalidIdentifier as error:
            raise ValidationError({"value": error.message}) from None
