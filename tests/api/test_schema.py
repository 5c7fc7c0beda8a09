from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_public_valid_openapi_3_and_covers_every_endpoint() -> None:
    response = Client().get("/api/v1/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    paths = set(schema["paths"])
    for path in (
        "/api/v1/requests/", "/api/v1/requests/{id}/", "/api/v1/requests/{id}/verify/",
        "/api/v1/requests/{id}/routes/{route_id}/sent/", "/api/v1/events/",
        "/api/v1/organisations/", "/api/v1/scopes/", "/api/v1/customers/",
        "/api/v1/customers/{id}/identifiers/", "/api/v1/routing/preview", "/api/v1/deadlines/",
    ):  # fmt: skip
        assert path in paths
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_operation_documents_the_error_shape() -> None:
    schema = yaml.safe_load(Client().get("/api/v1/schema/").content)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "404", "429"):
                content = operation["responses"][code]["content"]["application/json"]
                assert content["schema"]["$ref"].endswith("/Error"), (method, path, code)


def test_the_docs_are_served_from_local_static_files() -> None:
    page = Client().get("/api/docs/")

    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.content.decode())
    assert sources
    for source in sources:
        assert source.startswith("/"), source  # no CDN
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200
    assert b"/api/v1/schema/" in script.content


def test_the_schema_builds_without_a_warning(tmp_path) -> None:
    """drf-spectacular's warnings fail `check --deploy --fail-level WARNING` in CI."""
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yaml"))
