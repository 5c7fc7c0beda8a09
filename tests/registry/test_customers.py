from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from routing.models import Customer, CustomerIdentifier, Organisation
from routing.services.registry import customer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def callkom(registry) -> Organisation:
    return Organisation.objects.get(slug="callkom")


def test_identifiers_are_normalised_on_save(callkom) -> None:
    customer = customer_create(
        organisation=callkom,
        name="Atelier Fictif",
        identifiers=[
            ("phone", "01 99 00 77 88"),
            ("website", "https://WWW.Atelier.Example/contact"),
        ],
    )

    values = set(customer.identifiers.values_list("type", "value"))
    assert values == {("phone", "+33199007788"), ("website", "atelier.example")}


def test_a_bad_identifier_names_its_field_and_stores_nothing(callkom) -> None:
    with pytest.raises(ValidationError) as error:
        customer_create(
            organisation=callkom,
            name="Atelier Fictif",
            identifiers=[("phone", "01 99 00 77 88"), ("website", "not a domain")],
        )

    assert "website" in error.value.message_dict
    assert not Customer.objects.filter(name="Atelier Fictif").exists()


def test_a_number_already_used_names_the_other_customer(callkom) -> None:
    with pytest.raises(ValidationError) as error:
        customer_create(
            organisation=callkom, name="Copycat", identifiers=[("phone", "+33 1 99 00 12 34")]
        )

    assert "Maison Exemple" in " ".join(error.value.message_dict["phone"])


def test_the_same_number_may_identify_customers_of_two_organisations(registry) -> None:
    clickacall = Organisation.objects.get(slug="clickacall")

    customer_create(organisation=clickacall, name="Other", identifiers=[("phone", "+33199001234")])

    assert CustomerIdentifier.objects.filter(value="+33199001234").count() == 2


def test_a_possible_but_invalid_number_is_kept_with_a_warning(callkom) -> None:
    # +33 0... is possible in length but no valid French number starts with a 0 there.
    customer = customer_create(
        organisation=callkom, name="Stale Numbering", identifiers=[("phone", "+33 0 12 34 56 78")]
    )

    identifier = customer.identifiers.get()
    assert identifier.warning
