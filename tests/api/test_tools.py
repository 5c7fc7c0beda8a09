"""The preview and the clock over HTTP give what plan_route and deadline print."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.support.api import assert_error

pytestmark = pytest.mark.django_db


def _command(name: str, *args: str) -> dict:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    "body",
    [
        {"organisation": "callkom", "kinds": ["objection"], "scopes": ["callkom:ai-calls"],
         "phone": "+33 1 99 00 12 34"},
        {"organisation": "callkom", "kinds": ["objection"], "scopes": ["callkom:ai-calls"],
         "phone": "+33 1 99 00 99 99"},
        {"organisation": "callkom", "kinds": ["access", "erasure"]},
        {"organisation": "comfile-360", "kinds": ["access"], "whatsapp": "+44 7700 900123"},
    ],
)  # fmt: skip
def test_preview_answers_plan_route_json(make_integration, body) -> None:
    _, api = make_integration("callkom", "comfile-360")
    args = ["--organisation", body["organisation"], "--json"]
    for kind in body["kinds"]:
        args += ["--kind", kind]
    for scope in body.get("scopes", []):
        args += ["--scope", scope]
    for name in ("phone", "website", "whatsapp"):
        if name in body:
            args += [f"--{name}", body[name]]

    response = api.post("/api/v1/routing/preview", body, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == _command("plan_route", *args)


def test_preview_stores_nothing_and_read_only_integrations_may_use_it(read_only_api) -> None:
    from routing.models import Request

    response = read_only_api.post(
        "/api/v1/routing/preview/", {"organisation": "callkom", "kinds": ["access"]}, format="json"
    )

    assert response.status_code == 200
    assert not Request.objects.exists()


def test_preview_errors_name_the_field_and_the_valid_values(api) -> None:
    response = api.post(
        "/api/v1/routing/preview",
        {"organisation": "callkom", "kinds": ["objection"], "scopes": ["callkom:nope"]},
        format="json",
    )
    assert_error(response, 400, "invalid", {"scopes": "invalid"})
    assert "valid: callkom:website" in response.json()["errors"]["scopes"][0]["message"]

    response = api.post(
        "/api/v1/routing/preview",
        {"organisation": "callkom", "kinds": ["objection"], "phone": "12"},
        format="json",
    )
    assert_error(response, 400, "invalid", {"phone": "invalid"})

    empty = {"organisation": "callkom", "kinds": []}
    response = api.post("/api/v1/routing/preview", empty, format="json")
    assert_error(response, 400, "invalid", {"kinds": "min_length"})


@pytest.mark.parametrize(
    "options",
    [
        {"organisation": "callkom", "received": "2026-03-02T10:00:00+00:00"},
        {"organisation": "callkom", "received": "2026-12-24T23:30:00+01:00", "kind": "erasure",
         "paused_days": "3"},
        {"organisation": "click-and-call", "received": "2026-03-02T10:00:00-08:00",
         "regime": "ccpa", "kind": "opt_out_sale"},
        {"regime": "uk-gdpr", "timezone": "Europe/London", "country": "GB",
         "subdivision": "ENG", "received": "2026-12-20T09:00:00+00:00"},
        {"regime": "gdpr", "timezone": "Europe/Paris", "received": "2026-02-27T18:00:00Z"},
    ],
)  # fmt: skip
def test_deadlines_answers_the_deadline_commands_json(make_integration, options) -> None:
    _, api = make_integration("callkom", "click-and-call")
    args = [f"--{name.replace('_', '-')}={value}" for name, value in options.items()]

    response = api.get("/api/v1/deadlines/", options)

    assert response.status_code == 200, response.content
    assert response.json() == _command("deadline", *args)


def test_a_plus_sign_that_arrived_as_a_space_is_read_as_plus(api) -> None:
    expected = api.get(
        "/api/v1/deadlines/", {"organisation": "callkom", "received": "2026-03-02T23:30:00+01:00"}
    ).json()

    response = api.get("/api/v1/deadlines/?organisation=callkom&received=2026-03-02T23:30:00+01:00")

    assert response.json() == expected


@pytest.mark.parametrize(
    ("options", "field", "code"),
    [
        ({"organisation": "callkom"}, "received", "required"),
        ({"organisation": "callkom", "received": "yesterday"}, "received", "invalid"),
        ({"organisation": "callkom", "received": "2026-03-02T10:00:00"}, "received", "naive"),
        ({"received": "2026-03-02T10:00:00Z"}, "regime", "invalid"),
        ({"regime": "gdpr", "received": "2026-03-02T10:00:00Z"}, "timezone", "invalid"),
        ({"regime": "gdpr", "timezone": "Mars/Olympus", "received": "2026-03-02T10:00:00Z"},
         "timezone", "invalid"),
        ({"regime": "nope", "timezone": "UTC", "received": "2026-03-02T10:00:00Z"},
         "regime", "invalid_choice"),
        ({"organisation": "callkom", "received": "2026-03-02T10:00:00Z", "paused_days": "-1"},
         "paused_days", "min_value"),
    ],
)  # fmt: skip
def test_deadlines_errors_name_the_parameter(api, options, field, code) -> None:
    assert_error(api.get("/api/v1/deadlines/", options), 400, "invalid", {field: code})
