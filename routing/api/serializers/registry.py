"""The registry: organisations and scopes (read), customers and identifiers (read-write)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from routing.api.errors import validation_error_from_django
from routing.api.serializers.fields import (
    BlankAsNullEmailField,
    BlankAsNullURLField,
    OptionalEmailField,
)
from routing.api.serializers.requests import VisibleOrganisationField
from routing.identifiers import IDENTIFIER_TYPES
from routing.models import Customer, CustomerIdentifier, Organisation, Scope
from routing.services.registry import (
    customer_create,
    customer_identifier_add,
    customer_update,
)


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    website = BlankAsNullURLField()
    privacy_email = BlankAsNullEmailField(
        help_text="null until a published, working address is known; see contact_problem."
    )
    authority_url = BlankAsNullURLField()
    policy_url = BlankAsNullURLField()

    class Meta:
        model = Organisation
        fields = [
            "slug", "name", "legal_name", "website", "privacy_email", "contact_problem",
            "address", "country", "timezone", "holiday_country", "holiday_subdivision",
            "default_regime", "authority_name", "authority_url", "policy_url", "policy_date",
            "minimum_age", "reference_prefix", "kinds", "commitments",
            "forward_within_working_days",
        ]  # fmt: skip
        read_only_fields = fields


class RetainedSerializer(serializers.Serializer[dict[str, Any]]):
    what = serializers.CharField(read_only=True, help_text="The data kept.")
    ground = serializers.CharField(read_only=True, help_text="Why: the legal ground.")
    period = serializers.CharField(
        read_only=True, allow_null=True, help_text="For how long; null when not stated."
    )
    # DRF's metaclass takes declared fields off the class: this is a field, not Field.source.
    source = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text="The policy section that says so."
    )


class ScopeSerializer(serializers.ModelSerializer[Scope]):
    organisation = serializers.CharField(source="organisation.slug", read_only=True)
    third_party = serializers.CharField(
        source="third_party.slug", read_only=True, allow_null=True, default=None
    )
    retained = RetainedSerializer(
        many=True, read_only=True, help_text="What is kept after an erasure of this scope."
    )

    class Meta:
        model = Scope
        fields = [
            "key", "organisation", "name", "description", "question", "role", "action",
            "kind_actions", "kind_tasks", "third_party", "identifier_types", "policy_section",
            "limits", "retained", "position",
        ]  # fmt: skip
        read_only_fields = fields


class IdentifierSerializer(serializers.ModelSerializer[CustomerIdentifier]):
    type = serializers.ChoiceField(choices=list(IDENTIFIER_TYPES))
    value = serializers.CharField(max_length=255, help_text="Stored normalised (E.164, domain).")

    class Meta:
        model = CustomerIdentifier
        fields = ["id", "type", "value", "warning"]
        read_only_fields = ["id", "warning"]

    def create(self, validated_data: dict[str, Any]) -> CustomerIdentifier:
        try:
            return customer_identifier_add(customer=self.context["customer"], **validated_data)
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from None


class CustomerSerializer(serializers.ModelSerializer[Customer]):
    organisation = VisibleOrganisationField(help_text="The organisation's slug.")
    email = OptionalEmailField(help_text="Privacy contact for forwarded requests.")
    identifiers = IdentifierSerializer(many=True, required=False)

    class Meta:
        model = Customer
        fields = [
            "id", "organisation", "name", "email", "notes", "is_demo", "source", "created_at",
            "identifiers",
        ]  # fmt: skip
        read_only_fields = ["id", "is_demo", "source", "created_at"]
        # Uniqueness of the name is checked in validate(), scoped to the organisation.
        validators: list[Any] = []
        extra_kwargs = {"notes": {"max_length": 5000}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            # A customer stays with its organisation; identifiers have their own endpoint.
            fields["organisation"].read_only = True
            fields["identifiers"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        organisation = attrs.get("organisation") or getattr(self.instance, "organisation", None)
        name = attrs.get("name")
        if name is not None and organisation is not None:
            clash = Customer.objects.filter(organisation=organisation, name=name)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise serializers.ValidationError(
                    {"name": [f"{organisation.name} already has a customer named {name!r}."]},
                    code="unique",
                )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Customer:
        identifiers = [
            (item["type"], item["value"]) for item in validated_data.get("identifiers", [])
        ]
        try:
            # All or nothing: the service is one transaction.
            customer = customer_create(
                organisation=validated_data["organisation"],
                name=validated_data["name"],
                email=validated_data.get("email", ""),
                identifiers=identifiers,
                source=Customer.Source.API,
                notes=validated_data.get("notes", ""),
            )
        except DjangoValidationError as error:
            # customer_create names identifier errors by their type.
            rename = dict.fromkeys(IDENTIFIER_TYPES, "identifiers")
            raise validation_error_from_django(error, rename) from None
        return customer

    def update(self, instance: Customer, validated_data: dict[str, Any]) -> Customer:
        fields = {n: validated_data[n] for n in ("name", "email", "notes") if n in validated_data}
        try:
            return customer_update(customer=instance, **fields)
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from None
