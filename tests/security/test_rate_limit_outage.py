"""Redis out of reach: every public form still answers as usual, its limits not counted."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.test import Client

from routing.domain.links import acknowledge_url
from routing.models import Request, Route, Status
from routing.services.actors import Actor
from routing.services.requests import request_pause
from tests.factories import (
    CustomerFactory,
    CustomerIdentifierFactory,
    OrganisationFactory,
    ScopeFactory,
    make_request,
)
from tests.intake.test_form import CALLKOM, callkom_post
from tests.support.pages import link_in, local_path

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

# Nothing listens on port 1: every connection is refused at once.
DEAD_REDIS = "redis://127.0.0.1:1/0"
CALLER = "+33 1 99 00 12 34"


@pytest.fixture
def dead_rate_limit_cache(settings: Any) -> None:
    """The rate-limit cache as configured, pointed at a Redis that is not there."""
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {**settings.CACHES["ratelimit"], "LOCATION": DEAD_REDIS},
    }


def _submitted(client: Client, sent: Any) -> str:
    with sent():
        response = client.post(CALLKOM, callkom_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    return local_path(link_in(mail.outbox[-1], "/confirm/"))


def _confirmed(client: Client, sent: Any) -> str:
    confirm_path = _submitted(client, sent)
    with sent():
        response = client.post(confirm_path)
    assert response.status_code == 302
    return str(response["Location"]).split("?")[0]


def test_the_intake_form_is_submitted(
    client: Client, registry: Any, sent: Any, dead_rate_limit_cache: None, caplog: Any
) -> None:
    with caplog.at_level(logging.WARNING, logger="dsar.cache"):
        _submitted(client, sent)

    assert Request.objects.get().status == Status.UNVERIFIED
    assert "cache unavailable" in caplog.text  # the outage is logged, not hidden


def test_the_address_is_confirmed(
    client: Client, registry: Any, sent: Any, dead_rate_limit_cache: None
) -> None:
    status_path = _confirmed(client, sent)

    assert status_path.startswith("/s/")
    assert Request.objects.get().status != Status.UNVERIFIED


def test_the_status_page_answer_is_sent(
    client: Client, registry: Any, sent: Any, dead_rate_limit_cache: None
) -> None:
    status_path = _confirmed(client, sent)
    request_pause(request=Request.objects.get(), by=Actor.system("staff"), reason="Which day?")

    response = client.post(f"{status_path}answer/", {"text": "On 3 March."})

    assert response.status_code == 302
    assert Request.objects.get().status == Status.IN_PROGRESS


def test_the_request_is_withdrawn(
    client: Client, registry: Any, sent: Any, dead_rate_limit_cache: None
) -> None:
    status_path = _confirmed(client, sent)

    response = client.post(f"{status_path}withdraw/", {"confirm": "on"})

    assert response.status_code == 302
    assert Request.objects.get().status == Status.WITHDRAWN


def test_a_customer_acknowledges_a_forward(client: Client, dead_rate_limit_cache: None) -> None:
    scope = ScopeFactory.create(processor=True, organisation=OrganisationFactory.create(scope=None))
    customer = CustomerFactory.create(organisation=scope.organisation, email="dpo@maison.example")
    CustomerIdentifierFactory.create(customer=customer, value=CALLER)
    request = make_request(
        scope.organisation, kinds=("erasure",), scopes=[scope.key], identifiers={"phone": CALLER}
    )
    route = Route.objects.get(request=request)

    response = client.post("/" + acknowledge_url(route.pk).split("/", 3)[3])

    assert response.status_code == 200


def test_the_language_is_switched(client: Client, dead_rate_limit_cache: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    assert response.status_code == 302


def test_the_limits_still_count_when_the_cache_is_back(
    client: Client, registry: Any, sent: Any, settings: Any
) -> None:
    settings.DSAR_INTAKE_RATE_PER_IP = "1/h"
    _submitted(client, sent)

    assert client.post(CALLKOM, callkom_post(email="bob@example.org")).status_code == 429


def test_a_rate_limit_cache_that_raises_in_an_outage_is_a_system_error(settings: Any) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        },
    }

    assert "dsar.E001" in {message.id for message in run_checks()}


def test_the_configured_rate_limit_cache_passes_that_check() -> None:
    assert "dsar.E001" not in {message.id for message in run_checks()}
