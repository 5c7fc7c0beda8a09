"""One error shape for every 4xx, and throttling per integration."""

from __future__ import annotations

import pytest

from routing.api.throttling import IntegrationRateThrottle
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db


def test_404_for_an_unknown_path_is_json_in_the_shape(api) -> None:
    for path in ("/api/v1/nothing/", "/api/v2/requests/", "/api/v1/requests"):
        assert_error(api.get(path), 404, "not_found")
    assert_error(api.post("/api/v1/nothing/", {}, format="json"), 404, "not_found")


def test_405_in_the_shape(api) -> None:
    assert_error(api.delete("/api/v1/requests/"), 405, "method_not_allowed")


def test_406_in_the_shape(api) -> None:
    assert_error(api.get("/api/v1/requests/", HTTP_ACCEPT="text/csv"), 406, "not_acceptable")


def test_null_characters_are_refused_not_stored(api) -> None:
    assert_error(
        api.get("/api/v1/requests/", {"reference": "CK\x00"}),
        400,
        "invalid",
        {"reference": "null_characters"},
    )
    body = {
        "organisation": "callkom",
        "kinds": ["access"],
        "subject": {"email": "a@example.org", "name": "A\x00"},
    }
    assert_error(
        api.post("/api/v1/requests/", body, format="json"),
        400,
        "invalid",
        # A NUL is a control character: refused with the single-line rule's code first.
        {"subject.name": "control_characters"},
    )


def test_throttled_per_integration_with_retry_after(make_integration, monkeypatch) -> None:
    monkeypatch.setattr(IntegrationRateThrottle, "THROTTLE_RATES", {"integration": "3/min"})
    _, first = make_integration("callkom")
    _, second = make_integration("callkom")

    for _ in range(3):
        assert first.get("/api/v1/organisations/").status_code == 200
    response = first.get("/api/v1/organisations/")

    assert_error(response, 429, "throttled")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    # Another integration has its own allowance.
    assert second.get("/api/v1/organisations/").status_code == 200
