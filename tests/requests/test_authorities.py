"""A refusal always names an authority: the organisation's, else the subject's country's,
else the law's."""

from __future__ import annotations

import pytest

from routing.domain.authorities import BY_COUNTRY, EDPB_MEMBERS, authority_for
from routing.domain.denials import denial_text
from routing.models import Organisation, OutboundMessage
from routing.services.requests import (
    request_complete,
    request_deny,
    route_mark_not_applicable,
)
from tests.factories import make_request

pytestmark = pytest.mark.django_db

EU_AND_EEA = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "IS",
    "LI",
    "NO",
]


def test_every_eu_and_eea_state_and_the_uk_have_an_authority_with_an_address() -> None:
    assert set(BY_COUNTRY) == {*EU_AND_EEA, "GB"}
    for authority in BY_COUNTRY.values():
        assert authority.name
        assert authority.url.startswith("https://")
        assert "Art. 77" in authority.source


def test_the_organisations_own_authority_comes_first(registry) -> None:
    request = make_request("callkom", country="DE")
    assert authority_for(request).name == "CNIL"


@pytest.mark.parametrize(
    ("country", "name", "url"),
    [
        ("SI", "Informacijski pooblaščenec", "https://www.ip-rs.si"),
        ("DE", "Bundesbeauftragte für den Datenschutz", "https://www.bfdi.bund.de"),
        ("GB", "Information Commissioner's Office", "https://ico.org.uk"),
    ],
)
def test_without_one_the_subjects_country_decides(registry, by, country, name, url) -> None:
    comfile = Organisation.objects.get(slug="comfile-360")
    assert not comfile.authority_name
    request = make_request(comfile, country=country)

    request_deny(request=request, by=by, ground="manifestly_unfounded")

    text = denial_text(request)
    assert name in text
    assert f"({url})" in text
    assert "()" not in text


def test_a_californian_subject_is_sent_to_the_cppa(registry) -> None:
    comfile = Organisation.objects.get(slug="comfile-360")
    request = make_request(comfile, country="US")
    request.subject_region = "CA"
    assert authority_for(request).url == "https://cppa.ca.gov"


def test_a_country_without_an_authority_in_the_table_falls_back_to_the_law(registry) -> None:
    comfile = Organisation.objects.get(slug="comfile-360")
    request = make_request(comfile, country="JP")
    authority = authority_for(request)
    assert authority.url == EDPB_MEMBERS
    assert "country of residence" in authority.name


def test_the_completion_email_names_the_subjects_authority(registry, by) -> None:
    comfile = Organisation.objects.get(slug="comfile-360")
    request = make_request(comfile, country="SI")
    for route in request.routes.all():
        route_mark_not_applicable(route=route, by=by)
    request_complete(request=request, by=by)

    email = OutboundMessage.objects.get(template="request_completed")
    assert "complain to Informacijski pooblaščenec." in email.body_text
