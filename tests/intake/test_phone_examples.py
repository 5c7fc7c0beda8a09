"""Every phone hint's example passes the check the hint explains: read by the same
validator (phonenumbers, through the form), it is accepted without a warning."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from routing.forms.intake import (
    CALLER_EXAMPLE_INTERNATIONAL,
    CALLER_EXAMPLES,
    WHATSAPP_EXAMPLE,
)
from routing.identifiers import normalise_phone
from routing.models import Request

pytestmark = pytest.mark.django_db

# (form, field, scope that shows it, a kind the organisation offers, its country or None)
HINTED_FIELDS = [
    ("/o/callkom/request/", "caller_phone", "callkom:ai-calls", "objection", "FR"),
    ("/o/clickacall/request/", "caller_phone", "clickacall:platform-call-logs", "access", "GB"),
    ("/o/comfile-360/request/", "whatsapp", "comfile-360:service-data", "access", None),
]


def example_in_hint(page: str, field: str) -> str:
    hint = re.search(rf'id="id_{field}_helptext">([^<]*)</p>', page)
    assert hint is not None, f"no hint for {field}"
    found = re.search(r"e\.g\. (.+)\.$", html.unescape(hint.group(1)))
    assert found is not None, hint.group(1)
    return found.group(1)


@pytest.mark.parametrize(("country", "example"), sorted(CALLER_EXAMPLES.items()))
def test_each_national_caller_example_is_valid_in_its_country(country: str, example: str) -> None:
    assert normalise_phone(example, default_region=country).is_valid


@pytest.mark.parametrize("example", [CALLER_EXAMPLE_INTERNATIONAL, WHATSAPP_EXAMPLE])
def test_each_international_example_is_valid_anywhere(example: str) -> None:
    assert normalise_phone(example, default_region=None).is_valid


@pytest.mark.parametrize(("url", "field", "scope", "kind", "organisation_country"), HINTED_FIELDS)
@pytest.mark.parametrize("subject_country", ["FR", "GB", "US-CA", "SI"])
def test_the_example_in_the_hint_is_accepted_as_typed(
    client: Client,
    registry,
    sent,
    url: str,
    field: str,
    scope: str,
    kind: str,
    organisation_country: str | None,
    subject_country: str,
) -> None:
    example = example_in_hint(client.get(url).content.decode(), field)
    assert normalise_phone(example, default_region=organisation_country).is_valid

    with sent():
        response = client.post(
            url,
            {
                "scopes": [scope],
                field: example,
                "kinds": [kind],
                "email": "ada@example.org",
                "country": subject_country,
            },
        )

    # Accepted at once: no error, and no "we could not check this number" warning.
    assert response.status_code == 302, response.content.decode()
    stored = Request.objects.get().identifiers
    assert stored[{"caller_phone": "phone"}.get(field, field)].startswith("+")
