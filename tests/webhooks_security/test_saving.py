"""A webhook URL naming a loopback, private, link-local or metadata address, or a host
resolving to one, is refused when it is saved, unless DSAR_WEBHOOK_ALLOW_PRIVATE allows it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from routing.domain.url_safety import address_problem, webhook_url_problem
from routing.models import Integration, Organisation
from routing.services.integrations import integration_create

pytestmark = pytest.mark.django_db

REFUSED_URLS = [
    "http://127.0.0.1/hook",
    "http://127.8.9.10:8080/hook",
    "http://[::1]/hook",
    "http://10.0.0.5/hook",
    "http://172.16.0.1/hook",
    "http://172.31.255.254/hook",
    "http://192.168.1.20/hook",
    "http://169.254.10.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fc00::1]/hook",
    "http://[fd12:3456::1]/hook",
    "http://[fe80::1]/hook",
    "http://0.0.0.0/hook",
    "http://[::ffff:10.0.0.1]/hook",
    # A name: localhost resolves through /etc/hosts.
    "http://localhost:8000/hook",
]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.0.1", "a private address"),
        ("169.254.1.1", "a link-local address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fc00::1", "a private address"),
        ("fe80::1", "a link-local address"),
        ("fe80::1%eth0", "a link-local address"),
        ("0.0.0.0", "the unspecified address"),  # noqa: S104 (an address checked, not bound)
        ("::ffff:192.168.0.1", "a private address"),
        ("100.64.0.1", "not a public address"),
        ("224.0.0.1", "not a public address"),
    ],
)
def test_non_public_addresses_are_named(address: str, kind: str) -> None:
    assert address_problem(address) == kind


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(address) is None


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_integration_create_refuses_a_private_webhook_url(registry, url: str) -> None:
    with pytest.raises(ValidationError) as refused:
        integration_create(
            name="Inside", organisations=[Organisation.objects.get(slug="callkom")], webhook_url=url
        )

    [message] = refused.value.message_dict["webhook_url"]
    assert "public addresses only" in message
    assert "DSAR_WEBHOOK_ALLOW_PRIVATE" in message
    assert not Integration.objects.filter(name="Inside").exists()


@pytest.mark.parametrize(
    "url",
    # Forms the URL validator refuses as well; the address check does not depend on it.
    ["http://localhost:9000/hook", "http://localhost./hook", "http://2130706433/hook"],
)
def test_a_name_resolving_to_loopback_is_named_with_its_address(url: str) -> None:
    problem = webhook_url_problem(url)

    assert problem is not None
    assert " resolves to " in problem
    assert "a loopback address" in problem


def test_the_setting_allows_private_webhook_urls(registry, settings) -> None:
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True

    created = integration_create(
        name="Same host",
        organisations=[Organisation.objects.get(slug="callkom")],
        webhook_url="http://127.0.0.1:8001/hook",
    )

    assert created.integration.webhook_url == "http://127.0.0.1:8001/hook"


def test_a_public_address_and_a_name_not_resolving_yet_are_accepted(registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")

    # .invalid never resolves (RFC 6761): it is checked again when a delivery is sent.
    for n, url in enumerate(["https://93.184.215.14/hook", "https://hooks.desk.invalid/in"]):
        integration_create(name=f"Desk {n}", organisations=[callkom], webhook_url=url)

    assert Integration.objects.filter(name__startswith="Desk ").count() == 2


def test_the_command_refuses_a_private_webhook_url_naming_the_option(registry) -> None:
    with pytest.raises(CommandError) as refused:
        call_command(
            "create_integration", "--name", "Inside", "--organisation", "callkom",
            "--webhook-url", "http://169.254.169.254/latest/meta-data/", stdout=StringIO(),
        )  # fmt: skip

    assert str(refused.value).startswith("--webhook-url: 169.254.169.254 is a cloud metadata")
    assert refused.value.returncode == 2
    assert not Integration.objects.filter(name="Inside").exists()


def _admin_form(url: str, organisation: Organisation) -> dict[str, object]:
    return {
        "name": "Inside",
        "organisations": [organisation.pk],
        "can_write": "on",
        "webhook_url": url,
        "webhook_secret": "",
    }


@pytest.mark.parametrize("url", ["http://10.0.0.5/hook", "http://localhost:8000/hook"])
def test_the_admin_form_shows_the_refusal_on_the_field(admin_client, registry, url) -> None:
    callkom = Organisation.objects.get(slug="callkom")

    response = admin_client.post("/admin/routing/integration/add/", _admin_form(url, callkom))

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["webhook_url"]
    assert "public addresses only" in message
    assert "public addresses only" in response.content.decode()
    assert not Integration.objects.filter(name="Inside").exists()


def test_the_admin_form_refuses_a_private_url_on_change_too(admin_client, registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    integration = integration_create(name="Desk", organisations=[callkom]).integration
    form = {**_admin_form("http://192.168.1.20/hook", callkom), "name": "Desk"}

    response = admin_client.post(f"/admin/routing/integration/{integration.pk}/change/", form)

    assert response.status_code == 200
    assert "webhook_url" in response.context["adminform"].form.errors
    integration.refresh_from_db()
    assert integration.webhook_url == ""


def test_the_admin_form_accepts_a_private_url_with_the_setting(
    admin_client, registry, settings
) -> None:
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True
    callkom = Organisation.objects.get(slug="callkom")

    response = admin_client.post(
        "/admin/routing/integration/add/", _admin_form("http://10.0.0.5/hook", callkom)
    )

    assert response.status_code == 200  # the page showing the new token
    assert Integration.objects.get(name="Inside").webhook_url == "http://10.0.0.5/hook"
