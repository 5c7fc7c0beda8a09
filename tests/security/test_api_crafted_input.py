"""Crafted API input answers 400 in the error shape, never 500: JSON nested a thousand
levels deep in any body, and a cursor that decodes to something that is not a position."""

from __future__ import annotations

from base64 import b64encode
from typing import Any

import pytest
from rest_framework.test import APIClient

from routing.api.parsers import MAX_DEPTH, json_depth_exceeds
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"organisation": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}"


def _post(client: APIClient, url: str, body: str) -> Any:
    return client.post(url, data=body, content_type="application/json")


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
@pytest.mark.parametrize(
    "url", ["/api/v1/requests/", "/api/v1/routing/preview"], ids=["create", "preview"]
)
def test_deeply_nested_json_is_a_400(api: APIClient, url: str, body: str) -> None:
    assert_error(_post(api, url, body), 400, "parse_error")


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_is_a_400_with_a_read_only_token(
    read_only_api: APIClient, body: str
) -> None:
    assert_error(_post(read_only_api, "/api/v1/routing/preview", body), 400, "parse_error")


def test_an_action_with_deeply_nested_json_is_a_400(api: APIClient) -> None:
    assert_error(_post(api, "/api/v1/requests/1/note/", DEEP), 400, "parse_error")


def test_nesting_within_the_limit_is_read() -> None:
    within = [[[{"a": [1]}]]]
    assert not json_depth_exceeds(within, MAX_DEPTH)
    assert json_depth_exceeds(eval("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)), MAX_DEPTH)  # noqa: S307


def _cursor(text: str) -> str:
    return b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "position",
    ["abc", "1.5", "-1", "+1", "99999999999999999999999", "1\x00"],
    ids=["text", "decimal", "negative", "signed", "overflow", "null"],
)
@pytest.mark.parametrize("url", ["/api/v1/requests/", "/api/v1/customers/"])
def test_a_crafted_cursor_position_is_a_400(api: APIClient, url: str, position: str) -> None:
    response = api.get(url, {"cursor": _cursor(f"o=0&r=0&p={position}")})

    assert_error(response, 400, "invalid", {"cursor": "invalid"})


def test_an_undecodable_cursor_is_still_a_404(api: APIClient) -> None:
    assert_error(api.get("/api/v1/requests/", {"cursor": "garbage"}), 404, "not_found")


def test_a_real_cursor_still_pages(api: APIClient) -> None:
    first = api.get("/api/v1/customers/", {"page_size": 1})
    assert first.status_code == 200, first.content

    following = api.get(first.json()["next"])

    assert following.status_code == 200
