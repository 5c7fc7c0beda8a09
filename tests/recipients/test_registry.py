"""Recipients in the registry: read from the policies' files, checked, loaded, and kept
where staff entered what the policies do not say (a contact)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from routing.models import Recipient
from routing.planning import load_registry_files
from routing.planning.loading import REGISTRY_DIR, RegistryFileError
from routing.services.registry import registry_load

CLICK_AND_CALL = {
    # The policy's table of third-party services, each with the scopes it serves.
    "twilio": ("Twilio", ["click-and-call:call-sessions"]),
    "stripe": ("Stripe", ["click-and-call:billing"]),
    "supabase": ("Supabase", ["click-and-call:account"]),
    "vercel": ("Vercel", ["click-and-call:account", "click-and-call:contact-form"]),
    "posthog": ("PostHog", ["click-and-call:account"]),
    "resend": ("Resend", ["click-and-call:account"]),
    "cloudflare": ("Cloudflare", ["click-and-call:contact-form", "click-and-call:security-logs"]),
    "upstash": ("Upstash", ["click-and-call:security-logs"]),
}


def test_the_shipped_files_list_the_recipients_the_policies_name() -> None:
    files = load_registry_files()
    recipients = {o.slug: {r.slug: r for r in o.recipients} for o in files.organisations}

    assert {
        slug: (r.name, list(r.scopes)) for slug, r in recipients["click-and-call"].items()
    } == CLICK_AND_CALL
    assert {r.name for r in recipients["clickacall"].values()} >= {
        "Revolut Bank",
        "Stripe",
        "Experian",
    }
    assert recipients["clickacall"]["experian"].scopes == ("clickacall:payments",)
    assert set(recipients["callkom"]) == {"payment-provider", "crm-provider"}
    # No policy gives a recipient's privacy address: each says so, none is made up.
    for organisation in recipients.values():
        for recipient in organisation.values():
            assert recipient.privacy_email is None
            assert recipient.contact_problem
            assert recipient.source


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    target = tmp_path / "registry_data"
    shutil.copytree(REGISTRY_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        pytest.param(
            'scopes = ["click-and-call:call-sessions"]',
            'scopes = ["click-and-call:calls"]',
            "scopes",
            "unknown value 'click-and-call:calls'",
            id="unknown-scope",
        ),
        pytest.param(
            'scopes = ["click-and-call:call-sessions"]',
            'scopes = ["callkom:billing"]',
            "scopes",
            "unknown value 'callkom:billing'",
            id="another-organisations-scope",
        ),
        pytest.param(
            'role = "subprocessor"\npurpose = "Voice',
            'role = "processor"\npurpose = "Voice',
            "role",
            "subprocessor, recipient",
            id="bad-role",
        ),
        pytest.param(
            'contact_problem = "The policy names Twilio without a privacy contact."\n',
            "",
            "contact_problem",
            "is required when privacy_email is missing",
            id="no-contact-no-reason",
        ),
    ],
)
def test_a_broken_recipient_names_file_recipient_and_field(
    registry_copy: Path, old: str, new: str, field: str, words: str
) -> None:
    _edit(registry_copy / "click-and-call.toml", old, new)

    with pytest.raises(RegistryFileError) as caught:
        load_registry_files(registry_copy)

    error = caught.value
    assert (error.file, error.key, error.field) == ("click-and-call.toml", "twilio", field)
    assert words in error.message


@pytest.mark.django_db
def test_loading_stores_recipients_and_a_reload_keeps_what_staff_entered(registry: Any) -> None:
    stripe = Recipient.objects.get(organisation__slug="click-and-call", slug="stripe")
    assert [s.key for s in stripe.scopes.all()] == ["click-and-call:billing"]
    assert stripe.privacy_email == ""
    assert Recipient.objects.filter(organisation__slug="clickacall").count() == 4

    # Staff enter the contact and one more scope; a reload changes neither.
    stripe.privacy_email = "privacy@stripe.example"
    stripe.save()
    stripe.scopes.add(stripe.organisation.scopes.get(key="click-and-call:account"))

    report = registry_load(files=load_registry_files())

    stripe.refresh_from_db()
    assert stripe.privacy_email == "privacy@stripe.example"
    assert stripe.scopes.count() == 2
    assert not report.changed


@pytest.mark.django_db
def test_a_reload_gives_back_a_scope_removed_in_the_database(registry: Any) -> None:
    twilio = Recipient.objects.get(organisation__slug="click-and-call", slug="twilio")
    twilio.scopes.clear()

    report = registry_load(files=load_registry_files())

    assert report.updated == ["recipient click-and-call:twilio (scopes)"]
    assert [s.key for s in twilio.scopes.all()] == ["click-and-call:call-sessions"]
