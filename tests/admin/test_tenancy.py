"""Tenancy in the admin: a staff user of organisation A never sees or touches B's rows."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from routing.admin.tenancy import tenant_choices
from routing.models import (
    Customer,
    CustomerIdentifier,
    Event,
    Membership,
    Organisation,
    Request,
    Route,
    Scope,
    WorkerCheck,
)
from routing.services.integrations import integration_create
from tests.admin.helpers import admin_url, filter_choices, listed
from tests.factories import (
    CustomerFactory,
    CustomerIdentifierFactory,
    OrganisationFactory,
    StaffFactory,
    make_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation_a() -> Organisation:
    return OrganisationFactory.create(slug="alpha", name="Alpha Calls", reference_prefix="ALP")


@pytest.fixture
def organisation_b() -> Organisation:
    return OrganisationFactory.create(
        slug="beta", name="Beta Calls", reference_prefix="BET", ccpa=True
    )


@pytest.fixture
def world(organisation_a, organisation_b, staff_b):
    """Each organisation with a request, a customer and its identifier; and a third one."""
    a = make_request(organisation_a, email="anne@example.org")
    b = make_request(organisation_b, email="bob@example.org", country="US")
    CustomerIdentifierFactory.create(customer=CustomerFactory.create(organisation=organisation_a))
    sunset = CustomerFactory.create(organisation=organisation_b, name="Sunset Plumbing")
    CustomerIdentifierFactory.create(
        customer=sunset, type="website", value="sunset-plumbing.example"
    )
    return SimpleNamespace(
        a=a,
        b=b,
        alpha=organisation_a,
        beta=organisation_b,
        gamma=OrganisationFactory.create(name="Gamma Calls"),
        membership_b=Membership.objects.get(user=staff_b),
    )


def _customer(organisation: Organisation) -> Customer:
    return Customer.objects.filter(organisation=organisation).order_by("name")[0]


# Each tenanted model: its admin name, one object of an organisation, and a row's organisation.
OBJECTS: dict[str, Callable[[Organisation, Any], Any]] = {
    "request": lambda org, w: Request.objects.filter(organisation=org).get(),
    "event": lambda org, w: Event.objects.filter(request__organisation=org).first(),
    "customer": lambda org, w: _customer(org),
    "customeridentifier": lambda org, w: _customer(org).identifiers.first(),
    "scope": lambda org, w: Scope.objects.filter(organisation=org).first(),
    "organisation": lambda org, w: org,
}
ORGANISATION_OF: dict[str, Callable[[Any], int]] = {
    "request": lambda obj: obj.organisation_id,
    "event": lambda obj: obj.request.organisation_id,
    "customer": lambda obj: obj.organisation_id,
    "customeridentifier": lambda obj: obj.organisation_id,
    "scope": lambda obj: obj.organisation_id,
    "organisation": lambda obj: obj.pk,
}


@pytest.mark.parametrize("model", OBJECTS)
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_another_organisations_object_answers_404(client_a, world, model, view) -> None:
    foreign = OBJECTS[model](world.beta, world)

    assert client_a.get(admin_url(model, view, foreign.pk)).status_code == 404
    assert client_a.post(admin_url(model, view, foreign.pk), {}).status_code == 404


@pytest.mark.parametrize("model", OBJECTS)
def test_a_missing_object_answers_404_not_a_redirect(client_a, world, model) -> None:
    assert client_a.get(admin_url(model, "change", 987654)).status_code == 404


@pytest.mark.parametrize("model", OBJECTS)
@pytest.mark.parametrize("view", ["change", "history"])
def test_own_objects_open(client_a, world, model, view) -> None:
    own = OBJECTS[model](world.alpha, world)

    assert client_a.get(admin_url(model, view, own.pk)).status_code == 200


@pytest.mark.parametrize("model", OBJECTS)
def test_superuser_opens_any_organisations_object(admin_client, world, model) -> None:
    foreign = OBJECTS[model](world.beta, world)

    assert admin_client.get(admin_url(model, "change", foreign.pk)).status_code == 200


@pytest.mark.parametrize("model", OBJECTS)
def test_lists_show_only_the_users_organisations(client_a, world, model) -> None:
    response = client_a.get(admin_url(model, "changelist"))

    rows = listed(response)
    assert rows
    assert {ORGANISATION_OF[model](row) for row in rows} == {world.alpha.pk}


@pytest.mark.parametrize("model", OBJECTS)
def test_superuser_lists_every_organisation(admin_client, world, model) -> None:
    response = admin_client.get(admin_url(model, "changelist"))

    organisations = {ORGANISATION_OF[model](row) for row in listed(response)}
    assert {world.alpha.pk, world.beta.pk} <= organisations


@pytest.mark.parametrize(
    ("model", "term"),
    [
        ("request", "bob@example.org"),
        ("request", "BET-2026"),
        ("event", "BET-"),
        ("customer", "Sunset"),
        ("customeridentifier", "sunset-plumbing.example"),
        ("scope", "beta:"),
        ("organisation", "Beta"),
    ],
)
def test_search_finds_nothing_of_another_organisation(
    client_a, admin_client, world, model, term
) -> None:
    assert listed(client_a.get(admin_url(model, "changelist"), {"q": term})) == []
    assert listed(admin_client.get(admin_url(model, "changelist"), {"q": term}))


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        ("request", "organisation__id__exact"),
        ("event", "request__organisation__id__exact"),
        ("customer", "organisation__id__exact"),
        ("customeridentifier", "organisation__id__exact"),
        ("scope", "organisation__id__exact"),
    ],
)
def test_organisation_filter_lists_only_the_users_organisations(
    client_a, admin_client, staff_a, world, model, lookup
) -> None:
    url = admin_url(model, "changelist")
    # With one organisation there is nothing to filter; with two, both and only both show.
    assert "organisation" not in [s.title for s in client_a.get(url).context["cl"].filter_specs]
    Membership.objects.create(user=staff_a, organisation=world.gamma)

    assert filter_choices(client_a.get(url), "organisation") == ["Alpha Calls", "Gamma Calls"]
    assert filter_choices(admin_client.get(url), "organisation") == [
        "Alpha Calls",
        "Beta Calls",
        "Gamma Calls",
    ]
    # Asking for the other organisation's rows by id gives none.
    assert listed(client_a.get(url, {lookup: world.beta.pk})) == []


@pytest.mark.parametrize(
    ("source", "field", "expected"),
    [
        ("scope", "organisation", lambda w: {str(w.alpha.pk)}),
        ("route", "customer", lambda w: {str(c.pk) for c in w.alpha.customers.all()}),
        ("request", "possible_duplicate_of", lambda w: {str(w.a.pk)}),
    ],
)
def test_autocomplete_offers_only_the_users_organisations(
    client_a, world, source, field, expected
) -> None:
    response = client_a.get(
        "/admin/autocomplete/", {"app_label": "routing", "model_name": source, "field_name": field}
    )

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == expected(world)


def test_customer_form_offers_and_accepts_only_the_users_organisations(client_a, world) -> None:
    response = client_a.get(admin_url("customer", "add"))
    choices = response.context["adminform"].form.fields["organisation"].queryset
    assert list(choices) == [world.alpha]

    response = client_a.post(
        admin_url("customer", "add"),
        {
            "organisation": str(world.beta.pk),
            "name": "Planted Customer",
            "email": "",
            "source": "staff",
            "notes": "",
            "identifiers-TOTAL_FORMS": "0",
            "identifiers-INITIAL_FORMS": "0",
            "identifiers-MIN_NUM_FORMS": "0",
            "identifiers-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not Customer.objects.filter(name="Planted Customer").exists()


def test_request_page_actions_on_another_organisation_answer_404(client_a, world) -> None:
    foreign_route = world.b.routes.first()
    own_route = world.a.routes.first()

    for url in [
        admin_url("request", "act", world.b.pk, "assign_to_me"),
        admin_url("request", "act", world.b.pk, "note"),
        admin_url("request", "route", world.b.pk, foreign_route.pk, "sent"),
        # Another organisation's route under one's own request.
        admin_url("request", "route", world.a.pk, foreign_route.pk, "sent"),
    ]:
        assert client_a.post(url, {"note-text": "hello"}).status_code == 404

    world.b.refresh_from_db()
    assert world.b.assignee is None
    assert not world.b.events.filter(type="note").exists()
    assert Route.objects.get(pk=foreign_route.pk).status == foreign_route.status
    assert Route.objects.get(pk=own_route.pk).status == own_route.status


def test_bulk_action_ignores_another_organisations_ids(client_a, world) -> None:
    client_a.post(
        admin_url("request", "changelist"),
        {"action": "assign_to_me", "_selected_action": [str(world.b.pk)]},
    )

    world.b.refresh_from_db()
    assert world.b.assignee is None


def test_superuser_acts_on_any_organisations_request(admin_client, admin_user, world) -> None:
    response = admin_client.post(admin_url("request", "act", world.b.pk, "assign_to_me"))

    assert response.status_code == 302
    world.b.refresh_from_db()
    assert world.b.assignee == admin_user


def test_colleagues_offered_are_those_assignable(rf, staff_a, admin_user, world) -> None:
    # User choices follow the assignment rule: a superuser may work any organisation's
    # requests, so is offered; staff of another organisation only, or of none, are not.
    colleague = StaffFactory(organisations=[world.alpha])
    unaffiliated = StaffFactory()
    http = rf.get("/")
    http.user = staff_a

    choices = tenant_choices(get_user_model(), http)

    assert choices is not None
    offered = set(choices)
    assert {staff_a, colleague, admin_user} <= offered
    assert not offered & {world.membership_b.user, unaffiliated}


# --- memberships: superusers only -----------------------------------------------------------


def test_staff_cannot_see_or_change_memberships(client_a, world) -> None:
    assert client_a.get(admin_url("membership", "changelist")).status_code == 403
    assert client_a.get(admin_url("membership", "add")).status_code == 403
    own = Membership.objects.get(organisation=world.alpha)
    assert client_a.get(admin_url("membership", "change", own.pk)).status_code == 404
    response = client_a.post(
        admin_url("membership", "add"),
        {"user": str(own.user_id), "organisation": str(world.beta.pk)},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user_id=own.user_id, organisation=world.beta).exists()


def test_superuser_grants_a_membership(admin_client, staff_a, world) -> None:
    assert admin_client.get(admin_url("membership", "changelist")).status_code == 200

    response = admin_client.post(
        admin_url("membership", "add"),
        {"user": str(staff_a.pk), "organisation": str(world.beta.pk)},
    )

    assert response.status_code == 302
    assert Membership.objects.filter(user=staff_a, organisation=world.beta).exists()


def test_a_new_membership_opens_the_organisation(client_a, staff_a, world) -> None:
    url = admin_url("request", "change", world.b.pk)
    assert client_a.get(url).status_code == 404

    Membership.objects.create(user=staff_a, organisation=world.beta)

    assert client_a.get(url).status_code == 200


def test_identifier_form_offers_only_the_users_customers(client_a, world) -> None:
    response = client_a.get(admin_url("customeridentifier", "add"))

    customers = response.context["adminform"].form.fields["customer"].queryset
    assert {c.organisation_id for c in customers} == {world.alpha.pk}
    assert CustomerIdentifier.objects.filter(organisation=world.beta).exists()


# --- webhook deliveries and worker checks ------------------------------------------------------


def test_delivery_filters_name_only_the_users_organisations_and_integrations(
    client_a, admin_client, staff_a, world
) -> None:
    for name, organisations in [
        ("Alpha Desk", [world.alpha]),
        ("Beta Desk", [world.beta]),
        ("Shared Desk", [world.alpha, world.beta]),
    ]:
        integration_create(
            name=name, organisations=organisations, webhook_url="https://hooks.desk.invalid/in"
        )
    url = admin_url("webhookdelivery", "changelist")

    assert filter_choices(client_a.get(url), "integration") == ["Alpha Desk", "Shared Desk"]
    assert "organisation" not in [s.title for s in client_a.get(url).context["cl"].filter_specs]
    Membership.objects.create(user=staff_a, organisation=world.gamma)
    assert filter_choices(client_a.get(url), "organisation") == ["Alpha Calls", "Gamma Calls"]
    assert "Beta" not in client_a.get(url).content.decode()

    superuser_page = admin_client.get(url)
    assert filter_choices(superuser_page, "integration") == [
        "Alpha Desk",
        "Beta Desk",
        "Shared Desk",
    ]
    assert filter_choices(superuser_page, "organisation") == [
        "Alpha Calls",
        "Beta Calls",
        "Gamma Calls",
    ]


def test_worker_checks_name_only_the_users_colleagues(
    client_a, admin_client, staff_a, staff_b, world
) -> None:
    colleague = StaffFactory.create(organisations=[world.alpha], username="alpha-colleague")
    for user in (staff_a, colleague, staff_b):
        WorkerCheck.objects.create(requested_at=timezone.now(), requested_by=user)
    url = admin_url("workercheck", "changelist")

    page = client_a.get(url).content.decode()
    foreign = WorkerCheck.objects.get(requested_by=staff_b)
    foreign_page = client_a.get(admin_url("workercheck", "change", foreign.pk)).content.decode()

    assert f">{staff_a.username}<" in page
    assert ">alpha-colleague<" in page
    assert f">{staff_b.username}<" not in page
    assert "staff outside your organisations" in page
    assert f">{staff_b.username}<" not in foreign_page
    superuser_page = admin_client.get(url).content.decode()
    for name in (staff_a.username, "alpha-colleague", staff_b.username):
        assert f">{name}<" in superuser_page
