"""French is complete: every string of the public pages, and the registry data they show."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from routing.clock import REGIMES
from routing.domain.denials import DENIAL_GROUNDS
from routing.domain.vocabulary import (
    COUNTRIES,
    KIND_HINTS,
    REGISTRY_STRINGS,
    kind_label,
    translated,
)
from routing.models import OutboundMessage, Request
from routing.planning import load_registry_files
from routing.services.actors import Actor
from routing.services.requests import (
    request_complete,
    request_deny,
    route_mark_done,
)
from tests.factories import make_request

FRENCH = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


def _entries(po: str) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of every entry but the header; a plural entry's msgstr is
    empty if any of its forms is."""
    entries = []
    for block in po.split("\n\n")[1:]:
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        head, *forms = re.split(r"\nmsgstr(?:\[\d+\])? ", block)
        msgid = "".join(re.findall(r'"(.*)"', head.split("msgid ", 1)[1]))
        texts = ["".join(re.findall(r'"(.*)"', form)) for form in forms]
        entries.append((flags, msgid, "" if not all(texts) else "\n".join(texts)))
    return entries


def test_every_french_string_is_translated_and_none_is_fuzzy() -> None:
    entries = _entries((FRENCH / "django.po").read_text())

    assert len(entries) > 250
    assert [msgid for _flags, msgid, msgstr in entries if not msgstr] == []
    assert [msgid for flags, msgid, _msgstr in entries if "fuzzy" in flags] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs msgfmt (gettext)")
def test_the_compiled_catalogue_matches_its_source(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"

    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(FRENCH / "django.po")], check=True
    )

    assert compiled.read_bytes() == (FRENCH / "django.mo").read_bytes()


def test_the_shipped_registry_is_listed_for_translation() -> None:
    files = load_registry_files()
    shipped = {
        text
        for organisation in files.organisations
        for scope in organisation.scopes
        for text in (scope.question, scope.name)
    }
    shipped |= {o.authority_name for o in files.organisations if o.authority_name}

    assert shipped <= set(REGISTRY_STRINGS)


def test_registry_strings_countries_and_refusals_read_in_french() -> None:
    refusals = [ground.subject_text for ground in DENIAL_GROUNDS.values()]
    with translation.override("fr"):
        untranslated = [text for text in REGISTRY_STRINGS if translated(text) == text]
        untranslated += [hint for hint in KIND_HINTS.values() if translation.gettext(hint) == hint]
        untranslated += [text for text in refusals if translation.gettext(text) == text]
        countries = [translation.gettext(name) for _code, name in COUNTRIES]

    # Names spelled alike in both languages are fine (France, Portugal, ...).
    assert untranslated == []
    assert "Allemagne" in countries
    assert "États-Unis\u00a0: Californie" in countries


def test_every_regimes_kind_labels_read_in_french() -> None:
    # Not only the shipped organisations' regimes: a request may fall under any of them.
    with translation.override("fr"):
        untranslated = [
            label
            for key, regime in REGIMES.items()
            for kind, label in regime.kinds.items()
            if kind_label(key, kind) == label
        ]
        quebec = kind_label("quebec-law25", "erasure")

    assert untranslated == []
    assert quebec.startswith("Suppression des renseignements périmés ou non justifiés")


@pytest.mark.django_db
def test_a_french_subjects_refusal_and_completion_are_french_throughout(registry) -> None:
    refused, completed = make_request("callkom"), make_request("callkom", email="eve@example.org")
    Request.objects.filter(pk__in=[refused.pk, completed.pk]).update(subject_language="fr")
    for request in (refused, completed):
        request.refresh_from_db()
        for route in request.routes.all():
            route_mark_done(route=route, by=Actor.system())

    request_deny(request=refused, by=Actor.system(), ground="manifestly_unfounded")
    request_complete(request=completed, by=Actor.system())

    denial = OutboundMessage.objects.get(request=refused, template="request_denied").body_text
    completion = OutboundMessage.objects.get(
        request=completed, template="request_completed"
    ).body_text
    assert "Callkom ne donnera pas suite à votre demande, car elle est manifestement" in denial
    assert "auprès de la CNIL (https://" in denial
    assert "will not act on your request" not in denial
    assert "réclamation auprès de la CNIL." in completion
