"""The registry admin under tenancy: shared third parties, tenants created by superusers."""

from __future__ import annotations

import pytest

from routing.models import ThirdParty
from tests.admin.helpers import admin_url, listed

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
