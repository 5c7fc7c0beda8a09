from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from routing.models import Customer, Organisation, Scope, ThirdParty
from routing.planning import load_registry_files
from routing.services.registry import customer_create, registry_load

pytestmark = pytest.mark.django_db


def test_the_five_organisations_load_with_every_scope() -> None:
    files = load_registry_files()

    registry_load(files=files)

    assert set(Organisation.objects.values_list("slug", flat=True)) == {
        "callkom",
        "comfortclick",
        "comfile-360",
        "click-and-call",
        "clickacall",
    }
    assert Scope.objects.count() == sum(len(o.scopes) for o in files.organisations)
    linhome = Scope.objects.get(key="comfortclick:linhome")
    assert linhome.role == "independent_controller"
    assert linhome.third_party == ThirdParty.objects.get(slug="belledonne-communications")
    assert Scope.objects.get(key="callkom:ai-calls").policy_section


def test_loading_twice_changes_nothing(registry) -> None:
    report = registry_load(files=load_registry_files())

    assert not report.changed, report.updated


def test_obfuscated_addresses_are_stored_as_missing_with_the_problem(registry) -> None:
    for slug in ("callkom", "comfile-360", "clickacall"):
        organisation = Organisation.objects.get(slug=slug)
        assert organisation.privacy_email == ""
        assert organisation.contact_problem
    assert Organisation.objects.get(slug="click-and-call").privacy_email == (
        "privacy@clickandcall.com"
    )


def test_reload_keeps_an_address_staff_filled_in(registry) -> None:
    Organisation.objects.filter(slug="callkom").update(privacy_email="privacy@callkom.example")

    registry_load(files=load_registry_files())

    assert Organisation.objects.get(slug="callkom").privacy_email == "privacy@callkom.example"


def test_reload_never_deletes_customers_staff_added(registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    customer_create(
        organisation=callkom, name="Added By Staff", identifiers=[("phone", "+33199009999")]
    )

    registry_load(files=load_registry_files())

    assert Customer.objects.filter(name="Added By Staff").exists()


def test_demo_customers_are_marked_demo_and_use_fiction_numbers(registry) -> None:
    demo = Customer.objects.filter(is_demo=True).prefetch_related("identifiers")

    assert demo.count() >= 4
    for customer in demo:
        assert customer.source == Customer.Source.DEMO
        for identifier in customer.identifiers.all():
            if identifier.type == "website":
                assert identifier.value.endswith(
                    (".example", "example.com", "example.org", "example.net")
                )


def test_demo_customers_are_refused_in_production(settings) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="never loaded in production") as error:
        call_command("load_registry", demo=True)

    assert error.value.returncode == 2
    assert not Customer.objects.exists()
