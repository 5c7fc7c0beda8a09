"""The shipped registry files, and the errors a broken file gives."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from routing.planning import (
    InMemoryRegistry,
    RegistryFileError,
    load_demo_customers,
    load_registry_files,
)

from .editing import edit
from .expected import KINDS_BY_ORGANISATION, MATCHING, SCOPES, WITHOUT_ADDRESS


def test_shipped_scopes_match_the_reading_of_the_policies() -> None:
    files = load_registry_files()

    shipped = {
        scope.key: (scope.role, scope.action)
        for organisation in files.organisations
        for scope in organisation.scopes
    }
    assert shipped == SCOPES
    assert {o.slug: o.kinds for o in files.organisations} == KINDS_BY_ORGANISATION


def test_every_scope_cites_its_policy_section_and_asks_a_plain_question() -> None:
    for organisation in load_registry_files().organisations:
        for scope in organisation.scopes:
            assert scope.policy_section, scope.key
            assert scope.question, scope.key
            assert not scope.question.endswith("?"), scope.key
            assert scope.organisation == organisation.slug


def test_missing_contact_addresses_are_flagged_never_invented() -> None:
    files = load_registry_files()

    for organisation in files.organisations:
        if organisation.slug in WITHOUT_ADDRESS:
            assert organisation.privacy_email is None
            assert organisation.contact_problem
        else:
            assert organisation.privacy_email
    comfile = files.organisation("comfile-360")
    assert comfile is not None
    assert "info@Comfile 360.com" in (comfile.contact_problem or "")
    belledonne = files.third_party("belledonne-communications")
    assert belledonne is not None
    assert belledonne.privacy_email is None
    assert belledonne.policy_url == "https://www.linhome.org/privacy-policy/"


def test_policy_dates_and_calendars_are_recorded() -> None:
    files = load_registry_files()
    callkom = files.organisation("callkom")
    click_and_call = files.organisation("click-and-call")
    clickacall = files.organisation("clickacall")
    assert callkom is not None
    assert click_and_call is not None
    assert clickacall is not None

    assert callkom.policy_date == datetime.date(2025, 11, 14)
    assert (callkom.timezone, callkom.holiday_country, callkom.authority_name) == (
        "Europe/Paris",
        "FR",
        "CNIL",
    )
    assert click_and_call.commitments[0] == {
        "label": "Respond within 45 days",
        "days": 45,
        "source": 'paragraph "To exercise any of these rights"',
    }
    assert (clickacall.holiday_country, clickacall.holiday_subdivision) == ("GB", "ENG")
    # Clickacall's text carries no date; none is made up.
    assert clickacall.policy_date is None


def test_demo_customers_find_every_processor_scope(registry: InMemoryRegistry) -> None:
    customers = load_demo_customers()

    assert all(customer.demo for customer in customers)
    for scope_key, (identifiers, name, _) in MATCHING.items():
        organisation, _, _ = scope_key.partition(":")
        spec = registry.organisation(organisation)
        assert spec is not None
        scope = spec.scope(scope_key)
        assert scope is not None
        found = registry.find_customer(organisation, identifiers, scope.identifier_types)
        assert found is not None
        assert found.name == name


def test_demo_customer_identifiers_are_stored_normalised() -> None:
    customers = {customer.name: customer for customer in load_demo_customers()}

    assert customers["Cabinet Fictif Conseil"].identifiers == (
        ("phone", "+33199005678"),
        ("phone", "+33639984567"),
    )
    assert customers["Café Démo"].identifiers == (("website", "xn--caf-dma.example"),)


def _error(directory: Path) -> RegistryFileError:
    with pytest.raises(RegistryFileError) as caught:
        load_demo_customers(directory)
    return caught.value


BROKEN_FILES = [
    pytest.param(
        "callkom.toml",
        'slug = "callkom"',
        'slug = "callkom',
        ("callkom.toml", None, None, "not valid TOML"),
        id="toml-syntax",
    ),
    pytest.param(
        "callkom.toml",
        'role = "processor"',
        'role = "proccessor"',
        ("callkom.toml", "callkom:ai-calls", "role", "'proccessor' (valid: controller, processor"),
        id="unknown-role",
    ),
    pytest.param(
        "callkom.toml",
        'action = "forward"',
        'action = "send"',
        ("callkom.toml", "callkom:ai-calls", "action", "'send' (valid: fulfil, forward, redirect)"),
        id="unknown-action",
    ),
    pytest.param(
        "clickacall.toml",
        'key = "clickacall:website"\nname = "website visitors\' IP addresses"\n'
        'description = "IP addresses of website visitors, used to run the site, diagnose '
        'problems and for security."\nquestion = "I visited the Clickacall website"\n'
        'role = "controller"\naction = "fulfil"',
        'key = "clickacall:website"\nname = "website visitors\' IP addresses"\n'
        'description = "IP addresses of website visitors, used to run the site, diagnose '
        'problems and for security."\nquestion = "I visited the Clickacall website"\n'
        'role = "controller"\naction = "forward"',
        (
            "clickacall.toml",
            "clickacall:website",
            "action",
            "'forward' is not an action for a controller scope (valid: fulfil)",
        ),
        id="action-not-allowed-for-role",
    ),
    pytest.param(
        "comfortclick.toml",
        'kinds = ["access",',
        'kinds = ["acess",',
        ("comfortclick.toml", "comfortclick", "kinds", "unknown value 'acess'"),
        id="unknown-kind",
    ),
    pytest.param(
        "callkom.toml",
        'marketing_objection = ["suppress_contact"]',
        'marketing_objections = ["suppress_contact"]',
        (
            "callkom.toml",
            "callkom:prospects",
            "kind_tasks.marketing_objections",
            "unknown kind",
        ),
        id="unknown-kind-in-kind-tasks",
    ),
    pytest.param(
        "callkom.toml",
        'objection = ["ask_customer_to_block_number"]',
        'objection = ["block_everything"]',
        ("callkom.toml", "callkom:ai-calls", "kind_tasks.objection", "unknown task"),
        id="unknown-task",
    ),
    pytest.param(
        "comfortclick.toml",
        'third_party = "belledonne-communications"',
        'third_party = "belledonne"',
        (
            "comfortclick.toml",
            "comfortclick:linhome",
            "third_party",
            "unknown third party 'belledonne' in third_parties.toml",
        ),
        id="unknown-third-party",
    ),
    pytest.param(
        "comfortclick.toml",
        'third_party = "belledonne-communications"\n',
        "",
        ("comfortclick.toml", "comfortclick:linhome", "third_party", "is required"),
        id="independent-controller-without-third-party",
    ),
    pytest.param(
        "callkom.toml",
        'key = "callkom:suppliers"',
        'key = "callkom:candidates"',
        ("callkom.toml", "callkom:candidates", "key", "defined twice"),
        id="duplicate-scope-key",
    ),
    pytest.param(
        "callkom.toml",
        'key = "callkom:suppliers"',
        'key = "clickacall:suppliers"',
        ("callkom.toml", "clickacall:suppliers", "key", "must be 'callkom'"),
        id="scope-key-of-another-organisation",
    ),
    pytest.param(
        "callkom.toml",
        'identifier_types = ["phone"]\n',
        "",
        ("callkom.toml", "callkom:ai-calls", "identifier_types", "processor scope must say"),
        id="processor-without-identifier-types",
    ),
    pytest.param(
        "callkom.toml",
        'identifier_types = ["phone"]',
        'identifier_types = ["fax"]',
        ("callkom.toml", "callkom:ai-calls", "identifier_types", "'fax' (valid: phone,"),
        id="unknown-identifier-type",
    ),
    pytest.param(
        "comfile-360.toml",
        "contact_problem = 'garbled",
        'privacy_email = "info@Comfile 360.com"\ncontact_problem = \'garbled',
        ("comfile-360.toml", "comfile-360", "privacy_email", "is not an email address"),
        id="garbled-email",
    ),
    pytest.param(
        "clickacall.toml",
        "contact_problem = 'obfuscated",
        "# contact_problem = 'obfuscated",
        ("clickacall.toml", "clickacall", "contact_problem", "required when privacy_email"),
        id="missing-email-unexplained",
    ),
    pytest.param(
        "callkom.toml",
        'policy_section = "§3.3"',
        'polcy_section = "§3.3"',
        ("callkom.toml", "callkom:ai-calls", "polcy_section", "unknown field"),
        id="misspelt-field",
    ),
    pytest.param(
        "callkom.toml",
        'slug = "callkom"',
        'slug = "kallkom"',
        ("callkom.toml", "callkom", "slug", "must be the file's name"),
        id="slug-not-file-name",
    ),
    pytest.param(
        "clickacall.toml",
        'reference_prefix = "CLK"',
        'reference_prefix = "CK"',
        ("clickacall.toml", "clickacall", "reference_prefix", "already used by 'callkom'"),
        id="duplicate-reference-prefix",
    ),
    pytest.param(
        "callkom.toml",
        "policy_date = 2025-11-14",
        'policy_date = "November 14, 2025"',
        ("callkom.toml", "callkom", "policy_date", "TOML date"),
        id="policy-date-not-a-date",
    ),
    pytest.param(
        "callkom.toml",
        'timezone = "Europe/Paris"',
        'timezone = "Europe/Pariss"',
        ("callkom.toml", "callkom", "timezone", "unknown time zone"),
        id="unknown-time-zone",
    ),
    pytest.param(
        "callkom.toml",
        'default_regime = "gdpr"',
        'default_regime = "rgpd"',
        ("callkom.toml", "callkom", "default_regime", "unknown value 'rgpd' (valid: gdpr, "),
        id="unknown-regime",
    ),
    pytest.param(
        "callkom.toml",
        "months = 1",
        "months = 1\ndays = 30",
        ("callkom.toml", "callkom", "commitments[0].days", "exactly one of days or months"),
        id="commitment-days-and-months",
    ),
    pytest.param(
        "demo_customers.toml",
        '{ type = "phone", value = "+33 1 99 00 12 34" }',
        '{ type = "phone", value = "+33 1 42 68 53 00" }',
        ("demo_customers.toml", "Maison Exemple", "identifiers[0].value", "reserved for fiction"),
        id="demo-customer-real-number",
    ),
    pytest.param(
        "demo_customers.toml",
        'email = "privacy@maison.example"',
        'email = "privacy@maison.fr"',
        ("demo_customers.toml", "Maison Exemple", "email", "reserved for examples"),
        id="demo-customer-real-domain",
    ),
    pytest.param(
        "demo_customers.toml",
        '{ type = "phone", value = "01 99 00 56 78" }',
        '{ type = "phone", value = "+33199001234" }',
        ("demo_customers.toml", "Cabinet Fictif Conseil", "identifiers[0].value", "Maison Exemple"),
        id="demo-customer-duplicate-identifier",
    ),
    pytest.param(
        "demo_customers.toml",
        '{ type = "phone", value = "01 99 00 56 78" }',
        '{ type = "phone", value = "01 99" }',
        ("demo_customers.toml", "Cabinet Fictif Conseil", "identifiers[0].value", "too short"),
        id="demo-customer-malformed-phone",
    ),
    pytest.param(
        "demo_customers.toml",
        'organisation = "clickacall"',
        'organisation = "click-a-call"',
        ("demo_customers.toml", "Northwind Fictional Ltd", "organisation", "(valid: callkom,"),
        id="demo-customer-unknown-organisation",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN_FILES)
def test_broken_file_names_file_key_and_field(
    registry_copy: Path,
    file: str,
    old: str,
    new: str,
    expected: tuple[str, str | None, str | None, str],
) -> None:
    edit(registry_copy / file, old, new)

    error = _error(registry_copy)

    name, key, field, words = expected
    assert (error.file, error.key, error.field) == (name, key, field)
    assert words in error.message
    assert str(error).startswith(name)
    if field:
        assert field in str(error)


def test_registry_file_error_reads_as_one_line(registry_copy: Path) -> None:
    edit(registry_copy / "callkom.toml", 'role = "processor"', 'role = "proccessor"')

    assert str(_error(registry_copy)) == (
        "callkom.toml [callkom:ai-calls] role: unknown value 'proccessor' "
        "(valid: controller, processor, independent_controller)"
    )


def test_a_sixth_organisation_is_a_new_file(registry_copy: Path) -> None:
    (registry_copy / "maison-test.toml").write_text(
        """
slug = "maison-test"
name = "Maison Test"
legal_name = "Maison Test SAS"
website = "https://maison-test.example"
privacy_email = "privacy@maison-test.example"
country = "FR"
timezone = "Europe/Paris"
default_regime = "gdpr"
policy_date = 2026-01-02
reference_prefix = "MT"
kinds = ["access", "erasure"]

[[scopes]]
key = "maison-test:customers"
name = "customer data"
description = "Customers' orders."
question = "I bought something from Maison Test"
role = "controller"
action = "fulfil"
policy_section = "§2"
""",
        encoding="utf-8",
    )

    files = load_registry_files(registry_copy)

    added = files.organisation("maison-test")
    assert added is not None
    assert added.scope_keys == ["maison-test:customers"]
    assert added.forward_within_working_days == 1
    assert (added.authority_name, added.address, added.minimum_age) == ("", "", None)


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RegistryFileError, match="no organisation file"):
        load_registry_files(tmp_path)
