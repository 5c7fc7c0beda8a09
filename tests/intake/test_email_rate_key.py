"""The per-email intake limit: every spelling of one mailbox shares one allowance."""

from __future__ import annotations

import pytest
from django.test import Client

from routing.identifiers import email_rate_key
from routing.models import Request
from tests.intake.test_form import CALLKOM, callkom_post

SAME_AS_ADA = [
    "ada@example.org",
    " Ada@Example.ORG ",
    "ada@example.org.",
    "ada+news@example.org",
    "ADA+X+Y@EXAMPLE.ORG",
    # Fullwidth forms (NFKC).
    "\uff41\uff44\uff41@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.\uff4f\uff52\uff47",
    "ada@example\u3002org",  # ideographic full stop, a dot to IDNA
    "ada@exam\u200bple.org",  # zero-width space
    "ada@ex\u0430mple.org",  # a Cyrillic a
    "ada@xn--exmple-4nf.org",  # the same, in punycode
    "ad\u0430@\u0435x\u0430mpl\u0435.\u043erg",  # Cyrillic a, e, o
    "ada@ex\u03b1mple.\u03bfrg",  # Greek alpha, omicron
]


@pytest.mark.parametrize("spelling", SAME_AS_ADA)
def test_spellings_of_one_mailbox_give_one_key(spelling: str) -> None:
    assert email_rate_key(spelling) == "ada@example.org"


@pytest.mark.parametrize(
    ("unicode_form", "punycode_form"),
    [
        ("ada@bücher.example", "ada@xn--bcher-kva.example"),
        ("ada@BÜCHER.example", "Ada+1@XN--BCHER-KVA.example"),
        ("ada@café.example", "ada@xn--caf-dma.example"),
        ("ada@ǅemal.example", "ada@džemal.example"),  # a title-case digraph, NFKC-folded
    ],
)
def test_a_domains_unicode_and_punycode_forms_give_one_key(
    unicode_form: str, punycode_form: str
) -> None:
    assert email_rate_key(unicode_form) == email_rate_key(punycode_form)


@pytest.mark.parametrize(
    "other",
    ["bob@example.org", "ada@example.com", "ada.martin@example.org", "ada@examp1e.org"],
)
def test_other_mailboxes_keep_their_own_key(other: str) -> None:
    assert email_rate_key(other) != email_rate_key("ada@example.org")


@pytest.mark.parametrize("value", ["", "   ", "not an address", "ada@xn--", "@", "a" * 5000])
def test_anything_posted_gets_a_key_without_error(value: str) -> None:
    assert isinstance(email_rate_key(value), str)


@pytest.mark.django_db
def test_the_email_limit_trips_across_tag_case_and_idn_spellings(
    client: Client, registry, sent
) -> None:
    spellings = [
        "ada@bücher.example",
        "Ada+1@BÜCHER.example",
        "ada+2@xn--bcher-kva.example",
        "ADA@XN--BCHER-KVA.EXAMPLE",
        "\uff41\uff44\uff41+3@bücher.example",  # fullwidth
    ]
    statuses = []
    with sent():
        for n, email in enumerate(spellings):
            statuses.append(
                client.post(
                    CALLKOM, callkom_post(email=email), REMOTE_ADDR=f"192.0.2.{n}"
                ).status_code
            )

    limited = client.post(
        CALLKOM, callkom_post(email="ada+4@bu\u0308cher.example"), REMOTE_ADDR="192.0.2.99"
    )
    other = client.post(CALLKOM, callkom_post(email="bob@bücher.example"), REMOTE_ADDR="192.0.2.98")

    # The fullwidth local part is not an address Django accepts, but it is counted.
    assert statuses == [302, 302, 302, 302, 400]
    assert limited.status_code == 429
    assert other.status_code == 302
    assert Request.objects.count() == 5
