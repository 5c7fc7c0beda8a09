from __future__ import annotations

import re

import pytest
from django.test import Client

from routing.models import Request
from routing.presenters.status import status_page
from tests.intake.test_confirmation import submit
from tests.intake.test_form import CALLKOM, CLICK_AND_CALL

pytestmark = pytest.mark.django_db


def kind_values(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="kinds" value="([^"]+)"', page)


def test_gpc_offers_the_opt_out_first_and_ticked(client: Client, registry) -> None:
    page = client.get(CLICK_AND_CALL, HTTP_SEC_GPC="1").content.decode()

    assert kind_values(page)[0] == "opt_out_sale"
    assert re.search(r'name="kinds" value="opt_out_sale"[^>]*checked', page)
    assert "Global Privacy Control" in page


def test_without_gpc_the_opt_out_is_one_choice_among_others(client: Client, registry) -> None:
    page = client.get(CLICK_AND_CALL).content.decode()

    assert kind_values(page)[0] == "access"
    assert not re.search(r'value="opt_out_sale"[^>]*checked', page)


def test_gpc_changes_nothing_for_an_organisation_outside_the_ccpa(client: Client, registry) -> None:
    page = client.get(CALLKOM, HTTP_SEC_GPC="1").content.decode()

    assert "opt_out_sale" not in page
    assert "Global Privacy Control signal" not in page


def test_without_the_header_no_signal_is_recorded(client: Client, registry, sent) -> None:
    submit(
        client,
        sent,
        CLICK_AND_CALL,
        kinds=["opt_out_sale"],
        email="ada@example.org",
        country="US-CA",
    )

    request = Request.objects.get()
    assert not request.events.filter(type="gpc_signal").exists()
    assert not status_page(request).gpc_honoured


def test_the_gpc_header_on_the_post_is_recorded(client: Client, registry, sent) -> None:
    with sent():
        response = client.post(
            CLICK_AND_CALL,
            {"kinds": ["opt_out_sale"], "email": "ada@example.org", "country": "US-CA"},
            HTTP_SEC_GPC="1",
        )
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.events.filter(type="gpc_signal").exists()
    # Before the address is confirmed the request is not processed.
    assert not status_page(request).gpc_honoured


def test_gpc_json_is_served(client: Client) -> None:
    response = client.get("/.well-known/gpc.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["gpc"] is True
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", body["lastUpdate"])
