"""The request page as staff read it: one date format, times in the organisation's zone,
the timeline in sentences, the extended date once extended, the grounds of refusal that
apply, and a route's explanation that follows the customer staff set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from routing.models import Customer, Event, EventType, Organisation, WaitingFor
from routing.presenters.events import SENTENCES, event_sentence
from routing.presenters.formats import format_date, format_datetime
from routing.services.actors import Actor
from routing.services.requests import (
    request_deny,
    request_extend,
    request_pause,
    request_resume,
)
from tests.admin.helpers import admin_url
from tests.factories import CustomerFactory, CustomerIdentifierFactory, make_request

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("test")
# 13:05 UTC: 14:05 in Paris, 05:05 in Los Angeles.
RECEIVED = datetime(2026, 12, 2, 13, 5, tzinfo=UTC)


def page_html(client, req) -> str:
    return client.get(admin_url("request", "change", req.pk)).content.decode()


def section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


# --- one date format, times in the organisation's zone --------------------------------------


def test_the_formats() -> None:
    assert format_date(RECEIVED.date()) == "2 Dec 2026"
    assert format_date("2027-01-04") == "4 Jan 2027"
    assert format_datetime(RECEIVED, "Europe/Paris") == "2 Dec 2026, 14:05 (Europe/Paris)"
    assert (
        format_datetime(RECEIVED, "America/Los_Angeles")
        == "2 Dec 2026, 05:05 (America/Los_Angeles)"
    )


@pytest.mark.parametrize(
    ("slug", "shown"),
    [
        ("callkom", "2 Dec 2026, 14:05 (Europe/Paris)"),
        ("click-and-call", "2 Dec 2026, 05:05 (America/Los_Angeles)"),
    ],
)
def test_timeline_times_are_the_organisations(admin_client, registry, time_machine, slug, shown):
    time_machine.move_to(RECEIVED, tick=False)
    organisation = Organisation.objects.get(slug=slug)
    req = make_request(organisation, received_at=RECEIVED, country=organisation.country)

    html = page_html(admin_client, req)

    timeline = section(html, "timeline")
    assert organisation.timezone in timeline
    assert shown in timeline
    assert "13:05" not in timeline, "not UTC"


def test_readonly_dates_and_times_use_the_one_format(client_a, callkom, time_machine) -> None:
    time_machine.move_to(RECEIVED, tick=False)
    req = make_request(callkom, received_at=RECEIVED)

    html = page_html(client_a, req)

    dates = html[html.index(">Dates</h2>") :]
    dates = dates[: dates.index("</fieldset>")]
    assert "2 Dec 2026, 14:05 (Europe/Paris)" in dates
    assert format_date(req.due_on) in dates
    assert format_date(req.forward_due_on) in dates
    assert str(req.due_on) not in dates
    routes = section(html, "routes")
    route = req.routes.order_by("position")[0]
    assert format_date(route.due_on) in routes
    assert str(route.due_on) not in routes


def test_the_queue_shows_dates_in_the_one_format(client_a, callkom, time_machine) -> None:
    time_machine.move_to(RECEIVED, tick=False)
    req = make_request(callkom, received_at=RECEIVED)

    html = client_a.get(admin_url("request", "changelist")).content.decode()

    assert "2 Dec 2026" in html
    assert format_date(req.effective_due_on) in html
    assert req.received_on.isoformat() not in html
    assert req.effective_due_on.isoformat() not in html


def test_the_event_list_shows_times_in_the_organisations_zone(admin_client, callkom, time_machine):
    time_machine.move_to(RECEIVED, tick=False)
    make_request(callkom, received_at=RECEIVED)

    html = admin_client.get(admin_url("event", "changelist")).content.decode()

    assert "2 Dec 2026, 14:05 (Europe/Paris)" in html
    assert "Received by web form" in html


# --- the timeline in sentences --------------------------------------------------------------

# What each service stores in an event's data, for the types that store something.
SAMPLE_DATA: dict[str, dict] = {
    EventType.RECEIVED: {
        "channel": "post",
        "kinds": ["access", "erasure"],
        "regime": "gdpr",
        "routes": [{"scope": "callkom:website", "action": "fulfil"}],
        "status": "new",
    },
    EventType.GPC_SIGNAL: {"header": "Sec-GPC: 1"},
    EventType.DUPLICATE_SUSPECTED: {"of": "CK-2026-000001"},
    EventType.VERIFIED: {
        "method": "email_link",
        "paused_days": 2,
        "due_on": "2027-01-04",
        "effective_due_on": "2027-01-04",
    },
    EventType.ASSIGNED: {"assignee": "camille", "previous": None},
    EventType.PAUSED: {"reason": "A copy of an ID card", "waiting_for": "identity"},
    EventType.RESUMED: {"paused_days": 3, "note": "", "effective_due_on": "2027-01-07"},
    EventType.EXTENDED: {"reason": "Many systems", "effective_due_on": "2027-03-04"},
    EventType.REGIME_OVERRIDDEN: {"regime": "uk-gdpr", "previous": "gdpr", "reason": "UK"},
    EventType.COMPLETED: {"note": "Sent the export."},
    EventType.DENIED: {"ground": "excessive", "note": ""},
    EventType.WITHDRAWN: {"note": ""},
    EventType.MARKED_DUPLICATE: {"of": "CK-2026-000001"},
    EventType.PURGED: {"retention_days": 730},
    EventType.NOTE: {"text": "Called back."},
    EventType.ROUTES_PLANNED: {"routes": ["callkom:website", "callkom:ai-calls"]},
    EventType.ROUTE_SENT: {"scope": "callkom:ai-calls", "forwarded": True},
    EventType.ROUTE_ACKNOWLEDGED: {"scope": "callkom:ai-calls"},
    EventType.ROUTE_DONE: {"scope": "callkom:website"},
    EventType.ROUTE_NOT_APPLICABLE: {"scope": "callkom:website"},
    EventType.ROUTE_CUSTOMER_SET: {"scope": "callkom:ai-calls", "customer": "Maison Exemple"},
    EventType.DUE_SOON: {"status": "in_progress", "due_on": "2027-01-04", "days_left": 3},
    EventType.OVERDUE: {"status": "in_progress", "due_on": "2027-01-04", "days_left": -2},
    EventType.STAFF_TASK: {"code": "email_bounced", "task": "Reach the subject another way."},
    EventType.EMAIL_FAILED: {"template": "acknowledgement", "attempts": 8, "task": "Call them."},
}


@pytest.mark.parametrize("event_type", list(EventType))
def test_every_event_type_reads_as_a_sentence(event_type) -> None:
    assert event_type in SENTENCES

    for data in (SAMPLE_DATA.get(event_type, {}), {}):
        text = event_sentence(Event(type=event_type, data=data))

        assert text[:1].isupper(), text
        assert text.endswith((".", "”")), text
        for repr_mark in ("{", "}", "[", "]", "': ", "None", "True"):
            assert repr_mark not in text, text


@pytest.mark.parametrize(
    ("event_type", "sentence"),
    [
        (
            EventType.RECEIVED,
            "Received by post, asking for access and erasure, under GDPR. Routes planned: "
            "callkom:website (fulfil). Status: new.",
        ),
        (EventType.DENIED, "Refused on the ground “excessive or repetitive”."),
        (
            EventType.PAUSED,
            "Clock paused, waiting for proof of identity. The subject was asked: “A copy of an "
            "ID card”.",
        ),
        (EventType.EXTENDED, "Deadline extended to 4 Mar 2027. Reasons: “Many systems”."),
        (EventType.OVERDUE, "Overdue (due 4 Jan 2027, 2 days overdue)."),
        (
            EventType.ROUTE_CUSTOMER_SET,
            "The customer of the route for callkom:ai-calls was set to Maison Exemple.",
        ),
    ],
)
def test_sentences(event_type, sentence) -> None:
    assert event_sentence(Event(type=event_type, data=SAMPLE_DATA[event_type])) == sentence


def test_the_timeline_shows_sentences_not_data(client_a, callkom) -> None:
    req = make_request(callkom)
    request_deny(request=req, by=SYSTEM, ground="excessive", note="Fifth request this month.")

    timeline = section(page_html(client_a, req), "timeline")

    assert "Refused on the ground “excessive or repetitive”." in timeline
    assert "Note: “Fifth request this month.”." in timeline
    assert "ground:" not in timeline
    assert "{" not in timeline


# --- the extended date ----------------------------------------------------------------------


def test_extended_due_on_shows_only_after_an_extension(client_a, callkom) -> None:
    req = make_request(callkom)
    assert req.extended_due_on is not None, "the regime allows an extension"

    before = page_html(client_a, req)

    # The clock's explanation may say what an extension would give; the field is absent.
    assert "Extended due on:" not in before
    assert "field-extended_due_on_shown" not in before

    request_extend(request=req, by=SYSTEM, reason="Several systems to search.")
    req.refresh_from_db()
    after = page_html(client_a, req)

    assert "field-extended_due_on_shown" in after
    assert "Extended due on:" in after
    assert format_date(req.extended_due_on) in after
    assert "Several systems to search." in after


# --- the grounds of refusal -----------------------------------------------------------------


def _grounds(response) -> list[str]:
    deny = next(a for a in response.context["page_actions"] if a["name"] == "deny")
    return [value for value, _ in deny["form"].fields["ground"].choices if value]


def test_identity_not_verified_is_offered_only_once_proof_was_asked(client_a, callkom) -> None:
    req = make_request(callkom)
    url = admin_url("request", "change", req.pk)

    assert "identity_not_verified" not in _grounds(client_a.get(url))

    request_pause(request=req, by=SYSTEM, reason="A proof of address", waiting_for="clarification")
    assert "identity_not_verified" not in _grounds(client_a.get(url))
    request_resume(request=req, by=SYSTEM)

    request_pause(request=req, by=SYSTEM, reason="A copy of an ID", waiting_for=WaitingFor.IDENTITY)
    assert "identity_not_verified" in _grounds(client_a.get(url))
    # Asked once, it stays a fair ground after the answer came.
    request_resume(request=req, by=SYSTEM)
    assert "identity_not_verified" in _grounds(client_a.get(url))


def test_the_deny_form_refuses_identity_where_it_was_never_asked(client_a, callkom) -> None:
    req = make_request(callkom)

    client_a.post(
        admin_url("request", "act", req.pk, "deny"), {"deny-ground": "identity_not_verified"}
    )

    req.refresh_from_db()
    assert req.is_open


def test_bulk_deny_offers_identity_only_when_asked_of_every_request(client_a, callkom) -> None:
    asked = make_request(callkom, email="a@example.org")
    request_pause(request=asked, by=SYSTEM, reason="An ID", waiting_for=WaitingFor.IDENTITY)
    never = make_request(callkom, email="n@example.org")

    def offered(*requests) -> list[str]:
        response = client_a.post(
            admin_url("request", "changelist") + "?status=all",
            {"action": "deny", "_selected_action": [r.pk for r in requests]},
        )
        return [v for v, _ in response.context["form"].fields["ground"].choices if v]

    assert "identity_not_verified" in offered(asked)
    assert "identity_not_verified" not in offered(asked, never)


# --- a route's explanation follows the customer staff set -----------------------------------


def test_setting_the_customer_rewrites_the_routes_explanation(client_a, callkom) -> None:
    req = make_request(callkom, scopes=["callkom:ai-calls"])
    route = req.routes.get()
    assert "staff must identify the customer" in route.explanation
    customer = Customer.objects.get(organisation=callkom, name="Maison Exemple")

    client_a.post(
        admin_url("request", "route", req.pk, route.pk, "customer"), {"customer": customer.pk}
    )

    route.refresh_from_db()
    assert "staff must identify" not in route.explanation
    assert "no customer matches" not in route.explanation
    assert "forwarded to Maison Exemple" in route.explanation
    assert "staff identified Maison Exemple as the customer" in route.explanation
    assert route.explanation in section(page_html(client_a, req), "routes")


def test_changing_the_customer_rewrites_it_again(client_a, callkom) -> None:
    # Found by its number but without an address, so the route waits for staff.
    found = CustomerFactory.create(organisation=callkom, name="Agence Sans Adresse", email="")
    CustomerIdentifierFactory.create(customer=found, value="+33 1 99 00 77 77")
    req = make_request(
        callkom, scopes=["callkom:ai-calls"], identifiers={"phone": "+33 1 99 00 77 77"}
    )
    route = req.routes.get()
    assert "Agence Sans Adresse" in route.explanation
    other = Customer.objects.get(organisation=callkom, name="Cabinet Fictif Conseil")

    client_a.post(
        admin_url("request", "route", req.pk, route.pk, "customer"), {"customer": other.pk}
    )

    route.refresh_from_db()
    assert "Agence Sans Adresse" not in route.explanation
    assert "staff identified Cabinet Fictif Conseil as the customer" in route.explanation
