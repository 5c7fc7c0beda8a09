"""The request page shows each part with its dates, and extends or completes named parts."""

from __future__ import annotations

import pytest

from routing.models import PartStatus, Status
from tests.admin.test_requests_page import act, page
from tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_parts(callkom):
    return make_request(callkom, kinds=("access", "erasure"), scopes=["callkom:website"])


def test_the_page_lists_each_part_with_its_dates(client_a, two_parts) -> None:
    html = page(client_a, two_parts).content.decode()

    assert 'id="parts"' in html
    assert html.count('class="part-open"') == 2
    for part in two_parts.parts.all():
        assert part.explanation[-1] in html or part.explanation[0] in html


def test_a_single_part_request_offers_no_part_choice(client_a, callkom) -> None:
    request = make_request(callkom, kinds=("access",), scopes=["callkom:website"])
    html = page(client_a, request).content.decode()
    assert 'name="complete-kinds"' not in html


def test_extend_one_part_from_the_page(client_a, two_parts) -> None:
    html = page(client_a, two_parts).content.decode()
    assert 'name="extend-kinds"' in html

    act(client_a, two_parts, "extend", **{"extend-reason": "many files", "extend-kinds": "access"})

    parts = {p.kind: p for p in two_parts.parts.all()}
    assert parts["access"].extended_at is not None
    assert parts["erasure"].extended_at is None


def test_complete_one_part_then_the_rest(client_a, two_parts) -> None:
    act(client_a, two_parts, "complete", **{"complete-note": "", "complete-kinds": "erasure"})
    two_parts.refresh_from_db()
    assert two_parts.status != Status.COMPLETED
    assert {p.kind: p.status for p in two_parts.parts.all()} == {
        "access": PartStatus.OPEN,
        "erasure": PartStatus.DONE,
    }
    html = page(client_a, two_parts).content.decode()
    assert 'class="part-done"' in html
