"""Writes to the registry: loading the shipped files, and adding customers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from routing.models import (
    Customer,
    CustomerIdentifier,
    Organisation,
    Recipient,
    Scope,
    ThirdParty,
)
from routing.planning import (
    CustomerSpec,
    OrganisationSpec,
    RecipientSpec,
    RegistryFiles,
    ThirdPartySpec,
)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged."
        )


def _upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    label: str,
    report: LoadReport,
) -> Any:
    """Create or update one row, saving only when a value differs, so a reload changes nothing."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        report.created.append(label)
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean()
        instance.save()
        report.updated.append(f"{label} ({', '.join(changed)})")
    else:
        report.unchanged += 1
    return instance


def _contact_values(spec: OrganisationSpec | ThirdPartySpec | RecipientSpec) -> dict[str, Any]:
    # A published address replaces the stored one; a missing one keeps what staff entered.
    values: dict[str, Any] = {"contact_problem": spec.contact_problem or ""}
    if spec.privacy_email:
        values["privacy_email"] = spec.privacy_email
    return values


def _organisation_values(spec: OrganisationSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "legal_name": spec.legal_name,
        "website": spec.website,
        "address": spec.address,
        "country": spec.country or "",
        "timezone": spec.timezone,
        "holiday_country": spec.holiday_country or "",
        "holiday_subdivision": spec.holiday_subdivision or "",
        "default_regime": spec.default_regime,
        "authority_name": spec.authority_name,
        "authority_url": spec.authority_url,
        "policy_url": spec.policy_url,
        "policy_date": spec.policy_date,
        "minimum_age": spec.minimum_age,
        "reference_prefix": spec.reference_prefix,
        "kinds": list(spec.kinds),
        "commitments": [dict(item) for item in spec.commitments],
        "forward_within_working_days": spec.forward_within_working_days,
        **_contact_values(spec),
    }


@transaction.atomic
def registry_load(
    *, files: RegistryFiles, demo_customers: Iterable[CustomerSpec] = ()
) -> LoadReport:
    """Create and update what the files define; never delete (staff-added rows stay)."""
    report = LoadReport()
    third_parties: dict[str, ThirdParty] = {}
    for tp in files.third_parties:
        values = {
            "name": tp.name,
            "website": tp.website,
            "policy_url": tp.policy_url,
            **_contact_values(tp),
        }
        third_parties[tp.slug] = _upsert(
            ThirdParty, {"slug": tp.slug}, values, f"third party {tp.slug}", report
        )
    for spec in files.organisations:
        organisation = _upsert(
            Organisation,
            {"slug": spec.slug},
            _organisation_values(spec),
            f"organisation {spec.slug}",
            report,
        )
        for position, scope in enumerate(spec.scopes):
            _upsert(
                Scope,
                {"key": scope.key},
                {
                    "organisation": organisation,
                    "name": scope.name,
                    "description": scope.description,
                    "question": scope.question,
                    "role": scope.role,
                    "action": scope.action,
                    "kind_actions": dict(scope.kind_actions),
                    "kind_tasks": {k: list(v) for k, v in scope.kind_tasks.items()},
                    "third_party": third_parties[scope.third_party] if scope.third_party else None,
                    "identifier_types": list(scope.identifier_types),
                    "policy_section": scope.policy_section,
                    "limits": dict(scope.limits),
                    "retained": [entry.as_dict() for entry in scope.retained],
                    "position": position,
                },
                f"scope {scope.key}",
                report,
            )
        for recipient in spec.recipients:
            _recipient_load(organisation, recipient, report)
    for customer in demo_customers:
        organisation = Organisation.objects.get(slug=customer.organisation)
        if Customer.objects.filter(organisation=organisation, name=customer.name).exists():
            report.unchanged += 1
            continue
        customer_create(
            organisation=organisation,
            name=customer.name,
            email=customer.email or "",
            identifiers=customer.identifiers,
            source=Customer.Source.DEMO,
            is_demo=True,
        )
        report.created.append(f"demo customer {customer.name}")
    return report


def _recipient_load(organisation: Organisation, spec: RecipientSpec, report: LoadReport) -> None:
    row = _upsert(
        Recipient,
        {"organisation": organisation, "slug": spec.slug},
        {
            "name": spec.name,
            "role": spec.role,
            "purpose": spec.purpose,
            "source": spec.source,
            **_contact_values(spec),
        },
        f"recipient {organisation.slug}:{spec.slug}",
        report,
    )
    # Scopes staff added in the admin stay; the file's are added.
    label = f"recipient {organisation.slug}:{spec.slug}"
    missing = list(Scope.objects.filter(key__in=spec.scopes).exclude(recipients=row))
    if missing:
        row.scopes.add(*missing)
        if label not in report.created:
            report.updated.append(f"{label} (scopes)")


@transaction.atomic
def customer_create(
    *,
    organisation: Organisation,
    name: str,
    email: str = "",
    identifiers: Sequence[tuple[str, str]] = (),
    source: str = Customer.Source.STAFF,
    is_demo: bool = False,
    notes: str = "",
) -> Customer:
    """Add a customer with its identifiers, all or nothing.

    Raises ValidationError keyed by field (``name``, ``email``, ``phone``, ``website``,
    ``whatsapp``) so each caller can name what was wrong.
    """
    customer = Customer(
        organisation=organisation,
        name=name,
        email=email,
        source=source,
        is_demo=is_demo,
        notes=notes,
    )
    customer.full_clean()
    customer.save()
    errors: dict[str, list[str]] = {}
    for kind, value in identifiers:
        identifier = CustomerIdentifier(customer=customer, type=kind, value=value)
        try:
            identifier.full_clean(exclude=["organisation"])
        except ValidationError as error:
            errors.setdefault(kind, []).extend(error.message_dict.get("value", error.messages))
            continue
        try:
            with transaction.atomic():
                identifier.save()
        except IntegrityError:
            errors.setdefault(kind, []).append(f"{identifier.value} already identifies a customer.")
    if errors:
        raise ValidationError(errors)
    return customer


def customer_update(*, customer: Customer, **fields: str) -> Customer:
    """Change a customer's name, email or notes. Raises ValidationError keyed by field."""
    unknown = set(fields) - {"name", "email", "notes"}
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(customer, name, value)
    customer.full_clean()
    customer.save()
    return customer


def customer_identifier_add(*, customer: Customer, type: str, value: str) -> CustomerIdentifier:
    """Add a phone, website or WhatsApp number that finds the customer (stored normalised).
    Raises ValidationError keyed by field, also when another customer has it already."""
    identifier = CustomerIdentifier(customer=customer, type=type, value=value)
    identifier.full_clean(exclude=["organisation", "customer"])
    try:
        with transaction.atomic():
            identifier.save()
    except IntegrityError:
        # Two clients adding one number at once: the unique index decides.
        raise ValidationError(
            {"value": f"{identifier.value} already identifies a customer."}
        ) from None
    return identifier


def customer_identifier_remove(*, identifier: CustomerIdentifier) -> None:
    identifier.delete()
