"""The registry admin under tenancy: shared third parties, tenants created by superusers."""

from __future__ import annotations

import pytest
from django.contrib.admin.templatetags.admin_list import results

from routing.models import CustomerIdentifier, Organisation, ThirdParty
from tests.admin.helpers import admin_url, listed
from tests.factories import CustomerFactory, StaffFactory

pytestmark = pytest.mark.django_db

THIRD_PARTY_FORM = {
    "slug": "belledonne-communications",
    "name": "Belledonne Communications (renamed)",
    "website": "https://www.linphone.org",
    "policy_url": "",
    "privacy_email": "",
    "contact_problem": "",
}


def test_staff_read_third_parties_but_cannot_change_them(client_a) -> None:
    third_party = ThirdParty.objects.get(slug="belledonne-communications")

    assert [tp.slug for tp in listed(client_a.get(admin_url("thirdparty", "changelist")))] == [
        "belledonne-communications"
    ]
    page = client_a.get(admin_url("thirdparty", "change", third_party.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert (
        client_a.post(
            admin_url("thirdparty", "change", third_party.pk), THIRD_PARTY_FORM
        ).status_code
        == 403
    )
    assert client_a.get(admin_url("thirdparty", "add")).status_code == 403
    assert (
        client_a.post(
            admin_url("thirdparty", "delete", third_party.pk), {"post": "yes"}
        ).status_code
        == 403
    )
    third_party.refresh_from_db()
    assert third_party.name == "Belledonne Communications"


def test_superuser_changes_a_third_party(admin_client, registry) -> None:
    third_party = ThirdParty.objects.get(slug="belledonne-communications")

    response = admin_client.post(
        admin_url("thirdparty", "change", third_party.pk), THIRD_PARTY_FORM
    )

    assert response.status_code == 302
    third_party.refresh_from_db()
    assert third_party.name == "Belledonne Communications (renamed)"


def test_only_a_superuser_adds_or_deletes_an_organisation(client_a, admin_client, callkom) -> None:
    assert client_a.get(admin_url("organisation", "add")).status_code == 403
    assert (
        client_a.post(admin_url("organisation", "delete", callkom.pk), {"post": "yes"}).status_code
        == 403
    )
    assert admin_client.get(admin_url("organisation", "add")).status_code == 200


def test_members_may_correct_their_own_organisation(client_a, callkom) -> None:
    page = client_a.get(admin_url("organisation", "change", callkom.pk))

    assert page.context["has_change_permission"]
    assert list(page.context["adminform"].form.fields) != []


def test_a_third_party_missing_id_answers_404(client_a) -> None:
    assert client_a.get(admin_url("thirdparty", "change", 987654)).status_code == 404


def _result_rows(response) -> list[str]:
    """Each changelist row's HTML, in the order of the result list."""
    return ["".join(str(cell) for cell in row) for row in results(response.context["cl"])]


# --- a customer's identifiers -----------------------------------------------------------------


@pytest.fixture
def foreign_customer(click_and_call):
    return CustomerFactory.create(organisation=click_and_call, name="Sunset Plumbing")


@pytest.mark.parametrize("kind", ["phone", "website", "whatsapp"])
def test_an_identifier_without_a_customer_is_a_form_error(client_a, kind) -> None:
    client_a.raise_request_exception = False
    value = "sunset-plumbing.example" if kind == "website" else "+33 1 99 00 12 34"
    before = CustomerIdentifier.objects.count()

    response = client_a.post(
        admin_url("customeridentifier", "add"), {"customer": "", "type": kind, "value": value}
    )

    assert response.status_code == 200
    assert "customer" in response.context["adminform"].form.errors
    assert CustomerIdentifier.objects.count() == before


@pytest.mark.parametrize("kind", ["phone", "website", "whatsapp"])
def test_an_identifier_for_another_organisations_customer_is_a_form_error(
    client_a, foreign_customer, kind
) -> None:
    client_a.raise_request_exception = False
    value = "sunset-plumbing.example" if kind == "website" else "+1 213 555 0100"

    response = client_a.post(
        admin_url("customeridentifier", "add"),
        {"customer": str(foreign_customer.pk), "type": kind, "value": value},
    )

    assert response.status_code == 200
    assert "customer" in response.context["adminform"].form.errors
    assert not foreign_customer.identifiers.exists()


def test_an_identifier_for_an_own_customer_is_added(client_a, callkom) -> None:
    customer = CustomerFactory.create(organisation=callkom, name="Le Fournil")

    response = client_a.post(
        admin_url("customeridentifier", "add"),
        {"customer": str(customer.pk), "type": "website", "value": "https://le-fournil.example/"},
    )

    assert response.status_code == 302
    assert [(i.type, i.value) for i in customer.identifiers.all()] == [
        ("website", "le-fournil.example")
    ]


# --- an organisation without a named supervisory authority ------------------------------------


def test_an_organisation_without_an_authority_is_flagged_in_the_list(
    admin_client, registry
) -> None:
    comfile = Organisation.objects.get(slug="comfile-360")
    callkom = Organisation.objects.get(slug="callkom")
    assert comfile.authority_name == ""
    assert callkom.authority_name

    response = admin_client.get(admin_url("organisation", "changelist"))

    rows = {
        row.slug: row_html
        for row, row_html in zip(listed(response), _result_rows(response), strict=True)
    }
    assert "not named" in rows["comfile-360"]
    assert "not named" not in rows["callkom"]
    assert callkom.authority_name in rows["callkom"]
    missing = listed(
        admin_client.get(admin_url("organisation", "changelist"), {"authority": "missing"})
    )
    assert "comfile-360" in {o.slug for o in missing}
    assert all(o.authority_name == "" for o in missing)


def test_an_organisation_without_an_authority_warns_on_its_page(admin_client, registry) -> None:
    comfile = Organisation.objects.get(slug="comfile-360")
    callkom = Organisation.objects.get(slug="callkom")

    page = admin_client.get(admin_url("organisation", "change", comfile.pk)).content.decode()
    named = admin_client.get(admin_url("organisation", "change", callkom.pk)).content.decode()

    assert 'id="authority-warning"' in page
    assert "refusals will name the authority of the subject&#x27;s country instead" in page
    assert 'id="authority-warning"' not in named


def test_members_see_the_warning_on_their_own_organisation(client, registry) -> None:
    comfile = Organisation.objects.get(slug="comfile-360")
    client.force_login(StaffFactory(organisations=[comfile]))

    page = client.get(admin_url("organisation", "change", comfile.pk)).content.decode()

    assert 'id="authority-warning"' in page
