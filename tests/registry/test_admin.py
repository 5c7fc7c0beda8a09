from __future__ import annotations

import pytest

from routing.models import Customer, Organisation, Scope
from routing.planning import Identifiers, plan_routes
from routing.selectors.registry import DatabaseRegistry

pytestmark = pytest.mark.django_db


def _management(prefix: str, total: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


ORGANISATION_FORM = {
    "name": "Acme Voice",
    "slug": "acme-voice",
    "legal_name": "Acme Voice SAS",
    "reference_prefix": "AV",
    "website": "https://acme-voice.example",
    "privacy_email": "privacy@acme-voice.example",
    "contact_problem": "",
    "address": "",
    "country": "FR",
    "timezone": "Europe/Paris",
    "holiday_country": "FR",
    "holiday_subdivision": "",
    "default_regime": "gdpr",
    "authority_name": "CNIL",
    "authority_url": "https://www.cnil.fr",
    "commitments": "[]",
    "forward_within_working_days": "1",
    "team_email": "privacy-team@acme-voice.example",
    "reminder_days_before": "[5, 1]",
    "remind_when_overdue": "on",
    "kinds": '["access", "erasure", "objection"]',
    "minimum_age": "",
    "policy_url": "https://acme-voice.example/privacy",
    "policy_date": "2026-01-01",
    **_management("scopes"),
}

SCOPE_FORM = {
    "key": "acme-voice:calls",
    "name": "calls made for customers",
    "description": "",
    "question": "Acme Voice called me for a company",
    "role": "processor",
    "action": "forward",
    "kind_actions": "{}",
    "kind_tasks": "{}",
    "third_party": "",
    "identifier_types": '["phone"]',
    "policy_section": "§2",
    "limits": "{}",
    "position": "0",
}


def test_a_sixth_organisation_added_in_the_admin_changes_plans(admin_client, registry) -> None:
    response = admin_client.post("/admin/routing/organisation/add/", ORGANISATION_FORM)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get(slug="acme-voice")
    assert organisation.reminder_days_before == [5, 1]
    assert organisation.team_email == "privacy-team@acme-voice.example"

    response = admin_client.post(
        "/admin/routing/scope/add/", {**SCOPE_FORM, "organisation": str(organisation.pk)}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    identifiers = Identifiers(phone="+33199005555")
    before = plan_routes(
        DatabaseRegistry(), organisation="acme-voice", kinds=["objection"],
        scopes=["acme-voice:calls"], identifiers=identifiers,
    )  # fmt: skip
    assert before.routes[0].target.type == "unresolved"

    response = admin_client.post(
        "/admin/routing/customer/add/",
        {
            "organisation": str(organisation.pk),
            "name": "Client Fictif",
            "email": "dpo@client-fictif.example",
            "source": "staff",
            "notes": "",
            **_management("identifiers", 1),
            "identifiers-0-type": "phone",
            "identifiers-0-value": "01 99 00 55 55",
        },
    )
    assert response.status_code == 302

    after = plan_routes(
        DatabaseRegistry(), organisation="acme-voice", kinds=["objection"],
        scopes=["acme-voice:calls"], identifiers=identifiers,
    )  # fmt: skip
    route = after.routes[0]
    assert (route.action, route.target.type, route.target.name) == (
        "forward",
        "customer",
        "Client Fictif",
    )
    assert Customer.objects.get(name="Client Fictif").identifiers.get().value == "+33199005555"


def test_scope_validation_errors_name_the_field(admin_client, registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    form = {
        **SCOPE_FORM,
        "organisation": str(callkom.pk),
        "key": "acme-voice:calls",
        "role": "controller",
        "action": "forward",
    }

    response = admin_client.post("/admin/routing/scope/add/", form)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "callkom:" in errors["key"][0]
    assert "fulfil" in errors["action"][0]
    assert not Scope.objects.filter(key="acme-voice:calls").exists()


def test_organisation_validation_names_timezone_and_regime(admin_client, registry) -> None:
    form = {**ORGANISATION_FORM, "timezone": "Mars/Olympus", "default_regime": "martian-law"}

    response = admin_client.post("/admin/routing/organisation/add/", form)

    errors = response.context["adminform"].form.errors
    assert "Mars/Olympus" in errors["timezone"][0]
    assert "gdpr" in errors["default_regime"][0]


def test_a_bad_identifier_in_the_admin_names_the_value(admin_client, registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    response = admin_client.post(
        "/admin/routing/customer/add/",
        {
            "organisation": str(callkom.pk),
            "name": "Client Fictif",
            "email": "",
            "source": "staff",
            "notes": "",
            **_management("identifiers", 1),
            "identifiers-0-type": "website",
            "identifiers-0-value": "not a domain",
        },
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "value" in formset.errors[0]
    assert not Customer.objects.filter(name="Client Fictif").exists()


@pytest.mark.parametrize(
    "term", ["+33 1 99 00 12 34", "+33199001234", "https://www.maison.example/x"]
)
def test_staff_find_a_customer_by_number_or_domain_as_written(admin_client, registry, term) -> None:
    response = admin_client.get("/admin/routing/customer/", {"q": term})

    names = [obj.name for obj in response.context["cl"].result_list]
    assert names == ["Maison Exemple"]


def test_missing_contact_addresses_show_as_a_problem(admin_client, registry) -> None:
    response = admin_client.get("/admin/routing/organisation/", {"contact": "missing"})

    slugs = {obj.slug for obj in response.context["cl"].result_list}
    assert slugs == {"callkom", "comfile-360", "clickacall"}
    assert "missing" in response.content.decode()


def test_reminder_days_must_be_whole_days(admin_client, registry) -> None:
    form = {**ORGANISATION_FORM, "reminder_days_before": '["soon"]'}

    response = admin_client.post("/admin/routing/organisation/add/", form)

    assert "whole days" in response.context["adminform"].form.errors["reminder_days_before"][0]
