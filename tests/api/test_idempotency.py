from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from routing.models import IdempotencyRecord, Request
from routing.services import requests as lifecycle
from routing.services.idempotency import KEEP_FOR, idempotency_purge
from tests.support.api import assert_error, client_for, contract_body

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"


def _post(api, body, key):
    return api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_and_body_returns_the_first_response(api) -> None:
    first = _post(api, contract_body(), "order-1")
    again = _post(api, contract_body(), "order-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Request.objects.count() == 1


def test_a_retry_replays_without_redoing_the_work(api, django_assert_max_num_queries) -> None:
    first = _post(api, contract_body(), "order-2")

    # The token, then the stored record: no planning, no insert.
    with django_assert_max_num_queries(2):
        again = _post(api, contract_body(), "order-2")

    assert again.json() == first.json()


def test_key_order_and_spacing_of_the_body_do_not_matter(api) -> None:
    first = _post(api, contract_body(), "order-2")
    reordered = dict(reversed(list(contract_body().items())))

    again = _post(api, reordered, "order-2")

    assert again.json()["id"] == first.json()["id"]


def test_the_same_key_with_another_body_is_refused(api) -> None:
    _post(api, contract_body(), "order-3")

    response = _post(api, contract_body(details="Another request"), "order-3")

    assert_error(response, 422, "idempotency_key_reused")
    assert "Idempotency-Key" in response.json()["message"]
    assert Request.objects.count() == 1


def test_a_refused_body_does_not_use_up_the_key(api) -> None:
    bad = contract_body(kinds=["nonsense"])
    assert _post(api, bad, "order-4").status_code == 400

    response = _post(api, contract_body(), "order-4")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers


def test_keys_belong_to_one_integration(make_integration) -> None:
    _, first = make_integration("callkom")
    _, second = make_integration("callkom")

    a = _post(first, contract_body(), "shared")
    b = _post(second, contract_body(), "shared")

    assert a.json()["id"] != b.json()["id"]


def test_without_a_key_every_post_creates(api) -> None:
    api.post(URL, contract_body(), format="json")
    api.post(URL, contract_body(), format="json")

    assert Request.objects.count() == 2


def test_a_key_too_long_is_refused(api) -> None:
    response = _post(api, contract_body(), "k" * 201)
    assert_error(response, 400, "invalid", {"Idempotency-Key": "invalid"})


def test_records_are_kept_24_hours_then_purged(api, time_machine) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    first = _post(api, contract_body(), "order-5")
    time_machine.move_to(timezone.now() + KEEP_FOR - timedelta(minutes=1), tick=False)

    assert idempotency_purge() == 0
    assert _post(api, contract_body(), "order-5").json()["id"] == first.json()["id"]

    time_machine.move_to(timezone.now() + timedelta(minutes=2), tick=False)
    assert idempotency_purge() == 1
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creates_with_one_key_make_one_request(
    make_integration, monkeypatch
) -> None:
    """Both race into the create; the unique index holds the second until the first
    commits, and it then replays the first's response."""
    assert connection.vendor == "postgresql"
    receive = lifecycle.request_receive

    def slow_receive(**kwargs):
        # Holds the first transaction open, so the second surely arrives meanwhile.
        time.sleep(0.5)
        return receive(**kwargs)

    monkeypatch.setattr(lifecycle, "request_receive", slow_receive)
    _, api = make_integration("callkom")
    token = api._credentials["HTTP_AUTHORIZATION"].split()[1]
    barrier = threading.Barrier(2)
    responses: list = []

    def create() -> None:
        client = client_for(token)
        barrier.wait()
        try:
            responses.append(_post(client, contract_body(), "race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Request.objects.count() == 1
    assert sorted(r.headers.get("Idempotent-Replayed", "") for r in responses) == ["", "true"]
