"""Normalising the phone numbers, WhatsApp numbers and websites that find a customer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.identifiers import (
    IDENTIFIER_TYPES,
    InvalidIdentifier,
    display_domain,
    normalise_domain,
    normalise_identifier,
    normalise_phone,
)


@pytest.mark.parametrize(
    ("value", "region", "e164"),
    [
        pytest.param("01 99 00 12 34", "FR", "+33199001234", id="fr-national"),
        pytest.param("01.99.00.12.34", "fr", "+33199001234", id="fr-dots-lower-region"),
        pytest.param("+33 (0)1 99 00 12 34", None, "+33199001234", id="fr-trunk-zero"),
        pytest.param("0033 1 99 00 12 34", "FR", "+33199001234", id="fr-international-00"),
        pytest.param("+33199001234", "GB", "+33199001234", id="e164-ignores-region"),
        pytest.param("020 7946 0321", "GB", "+442079460321", id="uk-drama-london"),
        pytest.param("(213) 555-0142", "US", "+12135550142", id="us-555-01xx"),
    ],
)
def test_valid_numbers_become_e164_without_warning(
    value: str, region: str | None, e164: str
) -> None:
    result = normalise_phone(value, default_region=region)

    assert result.e164 == e164
    assert result.is_valid
    assert result.warning is None


@pytest.mark.parametrize(
    ("value", "e164"),
    [
        pytest.param("06 39 98 45 67", "+33639984567", id="fr-fiction-mobile"),
        pytest.param("07700 900123", "+447700900123", id="uk-drama-mobile"),
    ],
)
def test_possible_but_not_valid_numbers_are_kept_with_a_warning(value: str, e164: str) -> None:
    region = "FR" if value.startswith("06") else "GB"

    result = normalise_phone(value, default_region=region)

    assert result.e164 == e164
    assert not result.is_valid
    assert result.warning is not None
    assert e164 in result.warning


@pytest.mark.parametrize(
    ("value", "region", "words"),
    [
        pytest.param("", "FR", "is empty", id="empty"),
        pytest.param("   ", "FR", "is empty", id="blank"),
        pytest.param("call me", "FR", "is not a phone number", id="words"),
        pytest.param("01 99", "FR", "too short", id="too-short"),
        pytest.param("+33 1 99 00 12 34 56 78", None, "too long", id="too-long"),
        pytest.param("01 99 00 12 34", None, "international prefix", id="national-without-region"),
        pytest.param("+999 1234 5678", None, "no known country calling code", id="unknown-code"),
        pytest.param("555 0142", "US", "area code", id="local-only"),
    ],
)
def test_impossible_numbers_are_refused_naming_the_field(
    value: str, region: str | None, words: str
) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalise_phone(value, default_region=region)

    assert caught.value.field == "phone"
    assert words in caught.value.message
    assert str(caught.value) == f"phone: {caught.value.message}"


def test_a_whatsapp_number_follows_the_phone_rules_under_its_own_field() -> None:
    assert normalise_identifier("whatsapp", "07700 900123", default_region="GB") == "+447700900123"
    with pytest.raises(InvalidIdentifier) as caught:
        normalise_identifier("whatsapp", "12", default_region="GB")
    assert caught.value.field == "whatsapp"


@pytest.mark.parametrize(
    ("value", "domain"),
    [
        pytest.param("https://www.Maison.Example/path", "maison.example", id="scheme-www-path"),
        pytest.param("WWW.exemple.fr", "exemple.fr", id="upper-www"),
        pytest.param("maison.example", "maison.example", id="bare"),
        pytest.param("http://maison.example:8080/x?y=1#z", "maison.example", id="port-query"),
        pytest.param("maison.example.", "maison.example", id="trailing-dot"),
        pytest.param("  maison.example/  ", "maison.example", id="spaces-around"),
        pytest.param("shop.maison.example", "shop.maison.example", id="subdomain-kept"),
        pytest.param("www.example", "www.example", id="www-as-the-name-is-kept"),
        pytest.param("café.example", "xn--caf-dma.example", id="idn"),
        pytest.param("https://www.CAFÉ.example/menu", "xn--caf-dma.example", id="idn-upper-url"),
        pytest.param("xn--caf-dma.example", "xn--caf-dma.example", id="punycode-input"),
    ],
)
def test_domains_are_reduced_to_their_host(value: str, domain: str) -> None:
    assert normalise_domain(value) == domain


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param("", "is empty", id="empty"),
        pytest.param("Comfile 360.com", "not a website domain", id="space-inside"),
        pytest.param("localhost", "no top-level domain", id="single-label"),
        pytest.param("192.0.2.10", "IP address", id="ipv4"),
        pytest.param("http://[2001:db8::1]/", "IP address", id="ipv6"),
        pytest.param("privacy@maison.example", "email address", id="email"),
        pytest.param("exa_mple.example", "not a website domain", id="underscore"),
        pytest.param("-maison.example", "not a website domain", id="leading-hyphen"),
        pytest.param("maison..example", "not a website domain", id="empty-label"),
        pytest.param("https://", "not a website domain", id="scheme-only"),
    ],
)
def test_garbage_domains_are_refused_naming_the_field(value: str, words: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalise_domain(value)

    assert caught.value.field == "website"
    assert words in caught.value.message


def test_display_domain_shows_the_unicode_form() -> None:
    assert display_domain("xn--caf-dma.example") == "café.example"
    assert display_domain("maison.example") == "maison.example"


def test_unknown_identifier_type_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalise_identifier("fax", "+33199001234", default_region="FR")

    assert caught.value.field == "type"
    assert all(kind in caught.value.message for kind in IDENTIFIER_TYPES)


# Numbers from ranges reserved for fiction, so generated cases stay demo data.
fiction_numbers = st.one_of(
    st.integers(0, 9999).map(lambda n: f"+3319900{n:04d}"),
    st.integers(0, 9999).map(lambda n: f"+33 6 39 98 {n:04d}"),
    st.integers(0, 999).map(lambda n: f"+44 20 7946 0{n:03d}"),
    st.integers(0, 999).map(lambda n: f"+44 7700 900{n:03d}"),
    st.integers(0, 99).map(lambda n: f"+1 213 555 01{n:02d}"),
)


@given(fiction_numbers)
def test_phone_normalisation_is_idempotent(value: str) -> None:
    once = normalise_phone(value, default_region=None)

    twice = normalise_phone(once.e164, default_region="FR")

    assert twice == once
    assert once.e164.startswith("+")
    assert once.e164[1:].isdigit()


labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True).filter(
    lambda label: "--" not in label
)


@given(
    st.lists(labels, min_size=1, max_size=3),
    st.sampled_from(["", "http://", "https://", "HTTPS://"]),
    st.sampled_from(["", "www.", "WWW."]),
    st.sampled_from(["", "/", "/contact?x=1", ":8443/a#b"]),
)
def test_domain_normalisation_ignores_what_browsers_add(
    names: list[str], scheme: str, www: str, tail: str
) -> None:
    domain = ".".join([*names, "example"])
    if domain.startswith("www."):
        domain = domain[4:] if domain.count(".") > 1 else domain

    result = normalise_domain(f"{scheme}{www}{domain.upper()}{tail}")

    assert result == normalise_domain(domain)
    assert normalise_domain(result) == result
