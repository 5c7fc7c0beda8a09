"""Slovenian: a complete catalogue, and the intake form, acknowledgement and status page in it."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

from dsar.celery import app as celery_app
from routing.clock import REGIMES
from routing.domain.vocabulary import country_choices, kind_label
from routing.models import Organisation, OutboundMessage, Request
from routing.services.actors import Actor
from routing.services.intake import IntakeSubmission, intake_confirm, intake_submit
from routing.services.messages import acknowledgement
from routing.services.requests import request_complete, request_deny, route_mark_done
from tests.factories import make_request

LOCALE = Path(settings.BASE_DIR) / "locale"
SLOVENIAN = LOCALE / "sl" / "LC_MESSAGES"
COMFORTCLICK = "/o/comfortclick/request/"
BROWSER_SLOVENIAN = "sl-SI,sl;q=0.9,en;q=0.5"


def _entries(po: str) -> dict[str, tuple[str, str]]:
    """msgid (after its msgctxt, if any) -> (flags, msgstr), for every entry but the header."""
    entries = {}
    for block in po.split("\n\n")[1:]:
        head, *forms = re.split(r"\nmsgstr(?:\[\d+\])? ", block)
        flags = " ".join(line for line in head.splitlines() if line.startswith("#,"))
        before, msgid = head.split("msgid ", 1)
        context = "".join(re.findall(r'"(.*)"', before.split("msgctxt ")[-1]))
        key = "".join(re.findall(r'"(.*)"', msgid))
        # A plural entry counts as untranslated if any of its forms is empty.
        texts = ["".join(re.findall(r'"(.*)"', form)) for form in forms]
        entries[f"{context}\x04{key}" if "msgctxt " in before else key] = (
            flags,
            "\n".join(texts) if all(texts) else "",
        )
    return entries


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Any) -> Iterator[Any]:
    """``with sent(): ...`` runs the outbox's on-commit hand-off at once, into mail.outbox."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    celery_app.conf.task_always_eager = previous


def _link(message: mail.EmailMessage, path_part: str) -> str:
    for url in re.findall(r"https?://\S+", str(message.body)):
        if path_part in url:
            return url
    raise AssertionError(f"no link with {path_part!r} in: {message.body}")


def _confirmed_in_slovenian(sent: Any) -> tuple[Request, str]:
    """A ComfortClick request made in Slovenian and confirmed; returns it and its status link."""
    with sent():
        received = intake_submit(
            organisation=Organisation.objects.get(slug="comfortclick"),
            submission=IntakeSubmission(
                kinds=("access",),
                scopes=("comfortclick:app-diagnostics", "comfortclick:linhome"),
                email="ana.novak@example.si",
                name="Ana Novak",
                country="SI",
                region="",
                identifiers={},
                details="",
            ),
            language="sl",
        )
    code = _link(mail.outbox[-1], "/confirm/").rstrip("/").rsplit("/", 1)[1]
    with sent():
        intake_confirm(code=code)
    received.request.refresh_from_db()
    return received.request, _link(mail.outbox[-1], "/s/")


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs msgfmt (gettext)")
def test_msgfmt_finds_every_slovenian_string_translated_and_none_fuzzy(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"

    checked = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(SLOVENIAN / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )

    statistics = checked.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages\.", statistics), statistics
    assert int(statistics.split()[0]) > 250
    assert compiled.read_bytes() == (SLOVENIAN / "django.mo").read_bytes()


def test_the_slovenian_catalogue_translates_every_string_the_french_one_does() -> None:
    po = (SLOVENIAN / "django.po").read_text()
    entries = _entries(po)
    french = _entries((LOCALE / "fr" / "LC_MESSAGES" / "django.po").read_text())

    assert sorted(entries) == sorted(french)
    assert [msgid for msgid, (_flags, msgstr) in entries.items() if not msgstr] == []
    assert [msgid for msgid, (flags, _msgstr) in entries.items() if "fuzzy" in flags] == []
    assert '"Language: sl\\n"' in po
    assert "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || " in po


def test_every_regimes_kind_labels_read_in_slovenian() -> None:
    with translation.override("sl"):
        untranslated = [
            label
            for key, regime in REGIMES.items()
            for kind, label in regime.kinds.items()
            if kind_label(key, kind) == label
        ]
        lgpd = kind_label("lgpd", "erasure")

    assert untranslated == []
    assert lgpd == "Izbris podatkov, obdelanih na podlagi privolitve (člen 18, VI)"


@pytest.mark.django_db
def test_the_form_is_in_slovenian_and_the_request_keeps_the_language(
    client: Client, registry, sent
) -> None:
    page = client.get(COMFORTCLICK, HTTP_ACCEPT_LANGUAGE=BROWSER_SLOVENIAN).content.decode()

    assert '<html lang="sl">' in page
    assert "Zahteva glede osebnih podatkov za podjetje ComfortClick" in page
    assert "Na telefonu ali tablici uporabljam aplikacijo ComfortClick Intercom" in page
    assert "Pravica do dostopa (člen 15)" in page
    assert "Vaš e-poštni naslov" in page
    assert "Your email address" not in page

    with sent():
        response = client.post(
            COMFORTCLICK,
            {
                "scopes": ["comfortclick:app-diagnostics"],
                "kinds": ["access"],
                "email": "ana.novak@example.si",
                "name": "Ana Novak",
                "country": "SI",
            },
            HTTP_ACCEPT_LANGUAGE=BROWSER_SLOVENIAN,
        )

    assert response.status_code == 302
    request = Request.objects.get()
    assert request.subject_language == "sl"
    assert OutboundMessage.objects.get().language == "sl"
    assert mail.outbox[0].subject == (
        f"Potrdite svojo zahtevo {request.reference} za podjetje ComfortClick"
    )
    sent_page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=BROWSER_SLOVENIAN)
    assert "Preverite svojo e-pošto" in sent_page.content.decode()


@pytest.mark.django_db
def test_the_acknowledgement_is_in_slovenian(registry, sent) -> None:
    request, status_link = _confirmed_in_slovenian(sent)
    message = mail.outbox[-1]

    reference = request.reference
    assert message.subject == f"Vaša zahteva {reference} za podjetje ComfortClick je v obravnavi"
    body = str(message.body)
    assert body.startswith("Pozdravljeni, Ana Novak,")
    assert (
        f"Hvala, ker ste potrdili svoj naslov. Podjetje ComfortClick je prejelo Vašo zahtevo "
        f"{reference}." in body
    )
    assert "- Pravica do dostopa (člen 15)" in body
    assert "Glede Vaših podatkov (podatki o računu Linhome in klicih) se obrnite na" in body
    # The same message in English: none of its sentences is left in the Slovenian one.
    request.subject_language = "en"
    token = status_link.rsplit("/", 2)[-2]
    english = acknowledgement(request, token, confirmed=True)
    assert english is not None
    sentences = [line for line in english.body_text.splitlines() if re.search("[a-z]{3}", line)]
    assert "You asked for:" in sentences
    leftovers = [line for line in sentences if line in body and status_link not in line]
    assert leftovers == []
    assert english.subject not in message.subject
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert '<html lang="sl">' in html
    assert "Spremljajte svojo zahtevo" in html


@pytest.mark.django_db
def test_the_status_page_is_in_slovenian(client: Client, registry, sent) -> None:
    request, status_link = _confirmed_in_slovenian(sent)
    path = status_link.replace(settings.DSAR_PUBLIC_URL, "", 1)

    page = client.get(path, HTTP_ACCEPT_LANGUAGE=BROWSER_SLOVENIAN).content.decode()

    assert '<html lang="sl">' in page
    assert f"<h1>Vaša zahteva {request.reference}</h1>" in page
    assert "<dt>Stanje</dt>" in page
    assert "Pravica do dostopa (člen 15)" in page
    assert "Podjetje ComfortClick bo glede Vaših podatkov (diagnostični podatki aplikacije)" in page
    assert "Kaj se je zgodilo" in page
    assert "What has happened" not in page
    assert "Your request" not in page


def _days(value: date) -> str:
    return f"{value.day}. {value.month}. {value.year}"


@pytest.mark.django_db
def test_slovenian_dates_are_written_the_slovenian_way(client: Client, registry, sent) -> None:
    request, status_link = _confirmed_in_slovenian(sent)

    body = str(mail.outbox[-1].body)
    path = status_link.replace(settings.DSAR_PUBLIC_URL, "", 1)
    page = client.get(path, HTTP_ACCEPT_LANGUAGE=BROWSER_SLOVENIAN).content.decode()

    assert f"Rok za odgovor: {_days(request.effective_due_on)}" in body
    assert f"<dd>{_days(request.received_on)}</dd>" in page


@pytest.mark.django_db
def test_a_refusal_and_a_completion_name_the_slovenian_authority_in_slovenian(
    registry, sent
) -> None:
    refused, _link = _confirmed_in_slovenian(sent)
    completed = make_request("comfortclick", scopes=["comfortclick:app-diagnostics"], country="SI")
    Request.objects.filter(pk=completed.pk).update(subject_language="sl")
    completed.refresh_from_db()
    for route in completed.routes.all():
        route_mark_done(route=route, by=Actor.system())

    with sent():
        request_deny(request=refused, by=Actor.system(), ground="no_data_held")
        request_complete(request=completed, by=Actor.system())

    denial, completion = (
        OutboundMessage.objects.get(request=r, template=t)
        for r, t in ((refused, "request_denied"), (completed, "request_completed"))
    )
    authority = "Informacijskega pooblaščenca Republike Slovenije"
    assert authority in denial.body_text
    assert "holds no personal data about you" not in denial.body_text
    assert "Podjetje ComfortClick" in denial.body_text
    assert f"lahko pritožbo naslovite na {authority}." in completion.body_text
    assert "Information Commissioner" not in completion.body_text + denial.body_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "language", "words"),
    [
        (1, "en", "confirm your address within 1 day,"),
        (7, "en", "confirm your address within 7 days,"),
        (1, "fr", "dans un délai de 1 jour,"),
        (7, "fr", "dans les 7 jours,"),
        (1, "sl", "potrdite v 1 dnevu,"),
        (2, "sl", "potrdite v 2 dneh,"),
        (7, "sl", "potrdite v 7 dneh,"),
    ],
)
def test_the_days_to_confirm_agree_with_their_number(
    client: Client, registry, settings, days: int, language: str, words: str
) -> None:
    settings.DSAR_UNVERIFIED_EXPIRY_DAYS = days

    page = client.get(COMFORTCLICK, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert words in page


def test_countries_follow_the_slovenian_alphabet() -> None:
    with translation.override("sl"):
        names = [name for _code, name in country_choices()]

    # Č, Š and Ž are letters of their own, after C, S and Z.
    assert names.index("Ciper") < names.index("Češka") < names.index("Danska")
    assert names.index("Slovenija") < names.index("Španija") < names.index("Švedska")
    assert names.index("Švica") < names.index("Tunizija")
