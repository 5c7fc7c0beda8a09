from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from routing.models import Integration
from routing.signatures import SECRET_BYTES, secret_key
from tests.support.api import client_for

pytestmark = pytest.mark.django_db


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("create_integration", *args, stdout=out)
    return out.getvalue().splitlines()


def test_prints_the_token_alone_on_its_last_line(registry) -> None:
    lines = _run("--name", "Zendesk", "--organisation", "callkom", "--organisation", "comfortclick")

    token = lines[-1]
    assert " " not in token
    integration = Integration.objects.get(name="Zendesk")
    assert integration.can_write
    assert sorted(integration.organisations.values_list("slug", flat=True)) == [
        "callkom", "comfortclick",
    ]  # fmt: skip
    assert integration.token_prefix in "\n".join(lines[:-1])
    assert client_for(token).get("/api/v1/organisations/").status_code == 200


def test_read_only(registry) -> None:
    token = _run("--name", "Reporting", "--organisation", "callkom", "--read-only")[-1]

    assert not Integration.objects.get(name="Reporting").can_write
    response = client_for(token).post("/api/v1/requests/", {}, format="json")
    assert response.status_code == 403


def test_a_webhook_url_comes_with_a_secret(registry) -> None:
    lines = _run(
        "--name", "Hooks", "--organisation", "callkom", "--webhook-url", "https://desk.example/hook"
    )

    integration = Integration.objects.get(name="Hooks")
    assert integration.webhook_secret.startswith("whsec_")
    assert len(secret_key(integration.webhook_secret)) == SECRET_BYTES
    assert any(integration.webhook_secret in line for line in lines)


def test_an_unknown_organisation_exits_2_with_the_valid_ones(registry) -> None:
    with pytest.raises(
        CommandError, match=r"--organisation: unknown nope \(valid: .*callkom"
    ) as caught:
        _run("--name", "X", "--organisation", "nope")
    assert caught.value.returncode == 2


def test_a_taken_name_is_refused(registry) -> None:
    _run("--name", "Twice", "--organisation", "callkom")
    with pytest.raises(CommandError, match="--name"):
        _run("--name", "Twice", "--organisation", "callkom")
