"""Reading and validating the registry files in ``routing/registry_data``.

One TOML file per organisation (named after its slug), ``third_parties.toml`` and
``demo_customers.toml``. Every mistake is reported as a :class:`RegistryFileError` naming the
file, the key (organisation, scope, third party or customer) and the field, because these files
are edited by people reviewing policies, not by programmers.
"""

from __future__ import annotations

import datetime
import difflib
import re
import tomllib
import zoneinfo
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from routing.identifiers import IDENTIFIER_TYPES, InvalidIdentifier, normalise_identifier

from .specs import (
    ACTIONS,
    KIND_TASK_CODES,
    KINDS,
    RECIPIENT_ROLES,
    REGIMES,
    RETAINED_FIELDS,
    ROLE_ACTIONS,
    ROLES,
    CustomerSpec,
    OrganisationSpec,
    RecipientSpec,
    RegistryFiles,
    RetainedSpec,
    ScopeSpec,
    ThirdPartySpec,
)

REGISTRY_DIR = Path(__file__).resolve().parent.parent / "registry_data"
THIRD_PARTIES_FILE = "third_parties.toml"
DEMO_CUSTOMERS_FILE = "demo_customers.toml"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+(?:/\S*)?$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_SUBDIVISION = re.compile(r"^[A-Z0-9]{1,3}$")
_PREFIX = re.compile(r"^[A-Z]{2,4}$")

# Number ranges and domains reserved for drama, fiction and documentation, so that demo data can
# never reach a real person: Ofcom's drama ranges (020 7946 0xxx, 07700 900xxx), ARCEP's fiction
# ranges (01 99 00 xx xx, 06 39 98 xx xx), the NANP's 555-01xx, and RFC 2606 / RFC 6761 names.
_FICTION_PHONE = re.compile(
    r"^\+(?:442079460\d{3}|447700900\d{3}|3319900\d{4}|3363998\d{4}|1[2-9]\d{2}55501\d{2})$"
)
_FICTION_DOMAIN = re.compile(r"^(?:(?:[a-z0-9-]+\.)*example(?:\.(?:com|org|net))?)$")

_ORGANISATION_FIELDS = (
    "slug",
    "name",
    "legal_name",
    "website",
    "privacy_email",
    "contact_problem",
    "address",
    "country",
    "timezone",
    "holiday_country",
    "holiday_subdivision",
    "default_regime",
    "authority_name",
    "authority_url",
    "policy_url",
    "policy_date",
    "minimum_age",
    "reference_prefix",
    "forward_within_working_days",
    "kinds",
    "commitments",
    "scopes",
    "recipients",
)
_SCOPE_FIELDS = (
    "key",
    "name",
    "description",
    "question",
    "role",
    "action",
    "kind_actions",
    "kind_tasks",
    "third_party",
    "identifier_types",
    "policy_section",
    "limits",
    "retained",
)
_RECIPIENT_FIELDS = (
    "slug",
    "name",
    "role",
    "purpose",
    "scopes",
    "privacy_email",
    "contact_problem",
    "source",
)
_COMMITMENT_FIELDS = ("label", "days", "months", "kinds", "regimes", "source")
_THIRD_PARTY_FIELDS = ("slug", "name", "website", "policy_url", "privacy_email", "contact_problem")
_CUSTOMER_FIELDS = ("organisation", "name", "email", "identifiers", "demo")


class RegistryFileError(ValueError):
    """A registry file that cannot be used; names the file, the key and the field."""

    def __init__(
        self, file: Path | str, message: str, *, key: str | None = None, field: str | None = None
    ) -> None:
        self.file = Path(file).name
        self.key = key
        self.field = field
        self.message = message
        where = self.file
        if key:
            where += f" [{key}]"
        if field:
            where += f" {field}"
        super().__init__(f"{where}: {message}")


def _valid(values: Iterable[str]) -> str:
    return f"(valid: {', '.join(values)})"


class _Table:
    """One TOML table being read: typed getters that fail with file, key and field."""

    def __init__(
        self,
        data: Mapping[str, Any],
        file: Path,
        key: str | None,
        fields: Iterable[str],
        prefix: str = "",
    ) -> None:
        self.data = data
        self.file = file
        self.key = key
        self.prefix = prefix
        # Unknown fields are reported first: a misspelt field would otherwise be ignored, or
        # reported as a missing one.
        known = tuple(fields)
        for name in data:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" {_valid(known)}"
                raise self.error(name, f"unknown field{hint}")

    def error(self, field: str | None, message: str) -> RegistryFileError:
        name = f"{self.prefix}{field}" if field else (self.prefix.rstrip(".") or None)
        return RegistryFileError(self.file, message, key=self.key, field=name)

    def _get(self, name: str) -> object:
        return self.data.get(name)

    def text(self, name: str, *, blank: bool = False) -> str:
        value = self._get(name)
        if value is None:
            if blank:
                return ""
            raise self.error(name, "is required")
        if not isinstance(value, str):
            raise self.error(name, f"must be a string, not {type(value).__name__}")
        value = value.strip()
        if not value and not blank:
            raise self.error(name, "must not be empty")
        return value

    def opt_str(self, name: str) -> str | None:
        if self._get(name) is None:
            return None
        return self.text(name) or None

    def choice(self, name: str, choices: Iterable[str]) -> str:
        options = tuple(choices)
        value = self.text(name)
        if value not in options:
            raise self.error(name, f"unknown value {value!r} {_valid(options)}")
        return value

    def opt_int(self, name: str, *, minimum: int) -> int | None:
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, f"must be a whole number, not {value!r}")
        if value < minimum:
            raise self.error(name, f"must be at least {minimum}, not {value}")
        return value

    def opt_date(self, name: str) -> datetime.date | None:
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise self.error(name, f"must be a TOML date such as 2025-11-14, not {value!r}")
        return value

    def flag(self, name: str, *, default: bool) -> bool:
        value = self._get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(name, f"must be true or false, not {value!r}")
        return value

    def str_list(self, name: str, choices: Iterable[str] | None = None) -> tuple[str, ...]:
        value = self._get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(name, "must be a list of strings")
        options = tuple(choices) if choices is not None else None
        for item in value:
            if options is not None and item not in options:
                raise self.error(name, f"unknown value {item!r} {_valid(options)}")
        if len(set(value)) != len(value):
            raise self.error(name, "lists a value twice")
        return tuple(value)

    def table(self, name: str) -> dict[str, Any]:
        value = self._get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(name, "must be a table")
        return value

    def tables(self, name: str) -> list[dict[str, Any]]:
        value = self._get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(name, f"must be an array of tables ([[{name}]])")
        return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryFileError(path, f"not valid TOML: {exc}") from exc
    except OSError as exc:
        raise RegistryFileError(path, f"cannot be read: {exc.strerror}") from exc


def _email_and_problem(table: _Table) -> tuple[str | None, str | None]:
    # A missing or unusable address must stay visible (vendors.md): never accept one silently.
    email = table.opt_str("privacy_email")
    problem = table.opt_str("contact_problem")
    if email is not None and not _EMAIL.match(email):
        raise table.error(
            "privacy_email",
            f"{email!r} is not an email address; leave it out and explain in contact_problem",
        )
    if email is None and problem is None:
        raise table.error(
            "contact_problem", "is required when privacy_email is missing (say why it is missing)"
        )
    return email, problem


def _url(table: _Table, name: str, *, blank: bool = False) -> str:
    value = table.text(name, blank=blank)
    if value and not _URL.match(value):
        raise table.error(name, f"{value!r} is not an http(s) URL")
    return value


def _kind_map(table: _Table, name: str) -> dict[str, Any]:
    mapping = table.table(name)
    for kind in mapping:
        if kind not in KINDS:
            raise table.error(f"{name}.{kind}", f"unknown kind {kind!r} {_valid(KINDS)}")
    return mapping


def _retained(table: _Table) -> tuple[RetainedSpec, ...]:
    """``[[scopes.retained]]``: what is kept after an erasure. The ground and the source are
    what the subject reads, so both are required; a period only when the policy states one."""
    entries: list[RetainedSpec] = []
    for index, data in enumerate(table.tables("retained")):
        item = _Table(data, table.file, table.key, RETAINED_FIELDS, f"retained[{index}].")
        entry = RetainedSpec(
            what=item.text("what"),
            ground=item.text("ground"),
            period=item.opt_str("period"),
            source=item.text("source"),
        )
        if any(existing.what == entry.what for existing in entries):
            raise item.error("what", f"{entry.what!r} is listed twice")
        entries.append(entry)
    return tuple(entries)


def _scope(
    data: dict[str, Any], path: Path, slug: str, index: int, third_parties: set[str]
) -> ScopeSpec:
    raw_key = data.get("key")
    label = raw_key if isinstance(raw_key, str) and raw_key else f"scopes[{index}]"
    table = _Table(data, path, label, _SCOPE_FIELDS)
    key = table.text("key")
    prefix, _, name = key.partition(":")
    if prefix != slug or not _SLUG.match(name):
        raise table.error(
            "key", f"must be {slug!r}, a colon and a lower-case name, e.g. {slug}:website"
        )
    role = table.choice("role", ROLES)
    action = table.choice("action", ACTIONS)
    if action not in ROLE_ACTIONS[role]:
        raise table.error(
            "action", f"{action!r} is not an action for a {role} scope {_valid(ROLE_ACTIONS[role])}"
        )

    kind_actions: dict[str, str] = {}
    for kind, value in _kind_map(table, "kind_actions").items():
        if value not in ROLE_ACTIONS[role]:
            raise table.error(
                f"kind_actions.{kind}",
                f"{value!r} is not an action for a {role} scope {_valid(ROLE_ACTIONS[role])}",
            )
        kind_actions[kind] = value

    kind_tasks: dict[str, tuple[str, ...]] = {}
    for kind, codes in _kind_map(table, "kind_tasks").items():
        if not isinstance(codes, list) or not codes:
            raise table.error(f"kind_tasks.{kind}", "must be a non-empty list of task codes")
        for code in codes:
            if code not in KIND_TASK_CODES:
                raise table.error(
                    f"kind_tasks.{kind}", f"unknown task {code!r} {_valid(KIND_TASK_CODES)}"
                )
        kind_tasks[kind] = tuple(dict.fromkeys(codes))

    limits: dict[str, str] = {}
    for kind, note in _kind_map(table, "limits").items():
        if not isinstance(note, str) or not note.strip():
            raise table.error(f"limits.{kind}", "must be a non-empty sentence")
        limits[kind] = note.strip()

    third_party = table.opt_str("third_party")
    if role == "independent_controller":
        if third_party is None:
            raise table.error("third_party", "is required for an independent_controller scope")
        if third_party not in third_parties:
            raise table.error(
                "third_party",
                f"unknown third party {third_party!r} in {THIRD_PARTIES_FILE} "
                f"{_valid(sorted(third_parties))}",
            )
    elif third_party is not None:
        raise table.error(
            "third_party", f"only an independent_controller scope has one, not a {role}"
        )

    identifier_types = table.str_list("identifier_types", IDENTIFIER_TYPES)
    if role == "processor" and not identifier_types:
        raise table.error(
            "identifier_types",
            "a processor scope must say which identifiers find the customer "
            + _valid(IDENTIFIER_TYPES),
        )
    if role != "processor" and identifier_types:
        raise table.error(
            "identifier_types", f"only a processor scope finds a customer, not a {role}"
        )

    scope = ScopeSpec(
        key=key,
        name=table.text("name"),
        description=table.text("description"),
        question=table.text("question"),
        role=role,
        action=action,
        policy_section=table.text("policy_section"),
        kind_actions=kind_actions,
        kind_tasks=kind_tasks,
        third_party=third_party,
        identifier_types=identifier_types,
        limits=limits,
        retained=_retained(table),
    )
    return scope


def _recipients(table: _Table, scope_keys: list[str]) -> tuple[RecipientSpec, ...]:
    """``[[recipients]]``: who receives the data of which of this organisation's scopes."""
    result: list[RecipientSpec] = []
    for index, data in enumerate(table.tables("recipients")):
        raw_slug = data.get("slug")
        label = raw_slug if isinstance(raw_slug, str) and raw_slug else f"recipients[{index}]"
        item = _Table(data, table.file, label, _RECIPIENT_FIELDS)
        slug = item.text("slug")
        if not _SLUG.match(slug):
            raise item.error("slug", f"{slug!r} must be lower case with dashes")
        if any(existing.slug == slug for existing in result):
            raise item.error("slug", "is defined twice")
        scopes = item.str_list("scopes", scope_keys)
        if not scopes:
            raise item.error("scopes", f"must list the scopes it receives {_valid(scope_keys)}")
        email, problem = _email_and_problem(item)
        result.append(
            RecipientSpec(
                slug=slug,
                name=item.text("name"),
                role=item.choice("role", RECIPIENT_ROLES),
                purpose=item.text("purpose"),
                scopes=scopes,
                privacy_email=email,
                contact_problem=problem,
                source=item.text("source"),
            )
        )
    return tuple(result)


def _commitment(data: dict[str, Any], table: _Table, index: int) -> dict[str, Any]:
    item = _Table(data, table.file, table.key, _COMMITMENT_FIELDS, f"commitments[{index}].")
    commitment: dict[str, Any] = {"label": item.text("label")}
    days = item.opt_int("days", minimum=1)
    months = item.opt_int("months", minimum=1)
    if (days is None) == (months is None):
        raise item.error("days", "give exactly one of days or months")
    if days is not None:
        commitment["days"] = days
    if months is not None:
        commitment["months"] = months
    kinds = item.str_list("kinds", KINDS)
    if kinds:
        commitment["kinds"] = list(kinds)
    regimes = item.str_list("regimes", REGIMES)
    if regimes:
        commitment["regimes"] = list(regimes)
    commitment["source"] = item.text("source")
    return commitment


def _organisation(path: Path, third_parties: set[str]) -> OrganisationSpec:
    table = _Table(_read_toml(path), path, path.stem, _ORGANISATION_FIELDS)
    slug = table.text("slug")
    if slug != path.stem or not _SLUG.match(slug):
        raise table.error(
            "slug", f"must be the file's name, {path.stem!r}, in lower case with dashes"
        )

    timezone = table.text("timezone")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise table.error("timezone", f"unknown time zone {timezone!r}") from exc

    country = table.opt_str("country")
    if country is not None and not _ISO2.match(country):
        raise table.error("country", f"{country!r} is not an ISO 3166-1 alpha-2 code such as FR")
    holiday_country = table.opt_str("holiday_country")
    if holiday_country is not None and not _ISO2.match(holiday_country):
        raise table.error("holiday_country", f"{holiday_country!r} is not a code such as FR")
    holiday_subdivision = table.opt_str("holiday_subdivision")
    if holiday_subdivision is not None:
        if holiday_country is None:
            raise table.error("holiday_subdivision", "needs holiday_country")
        if not _SUBDIVISION.match(holiday_subdivision):
            raise table.error(
                "holiday_subdivision", f"{holiday_subdivision!r} is not a code such as ENG"
            )

    kinds = table.str_list("kinds", KINDS)
    if not kinds:
        raise table.error(
            "kinds", f"must list the kinds of request the policy names {_valid(KINDS)}"
        )
    prefix = table.text("reference_prefix")
    if not _PREFIX.match(prefix):
        raise table.error("reference_prefix", f"{prefix!r} must be 2 to 4 capital letters")
    forward_days = table.opt_int("forward_within_working_days", minimum=0)
    privacy_email, contact_problem = _email_and_problem(table)

    commitments = tuple(
        _commitment(item, table, index) for index, item in enumerate(table.tables("commitments"))
    )

    scopes: list[ScopeSpec] = []
    for index, data in enumerate(table.tables("scopes")):
        scope = _scope(data, path, slug, index, third_parties)
        if any(existing.key == scope.key for existing in scopes):
            raise RegistryFileError(path, "is defined twice", key=scope.key, field="key")
        scopes.append(scope)
    if not scopes:
        raise table.error("scopes", "an organisation needs at least one [[scopes]] table")

    organisation = OrganisationSpec(
        slug=slug,
        name=table.text("name"),
        legal_name=table.text("legal_name"),
        website=_url(table, "website", blank=True),
        privacy_email=privacy_email,
        contact_problem=contact_problem,
        address=table.text("address", blank=True),
        country=country,
        timezone=timezone,
        holiday_country=holiday_country,
        holiday_subdivision=holiday_subdivision,
        default_regime=table.choice("default_regime", REGIMES),
        authority_name=table.text("authority_name", blank=True),
        authority_url=_url(table, "authority_url", blank=True),
        policy_url=_url(table, "policy_url", blank=True),
        policy_date=table.opt_date("policy_date"),
        minimum_age=table.opt_int("minimum_age", minimum=1),
        reference_prefix=prefix,
        kinds=tuple(kind for kind in KINDS if kind in kinds),
        scopes=tuple(scopes),
        commitments=commitments,
        forward_within_working_days=1 if forward_days is None else forward_days,
        recipients=_recipients(table, [scope.key for scope in scopes]),
    )
    return organisation


def _third_parties(path: Path) -> tuple[ThirdPartySpec, ...]:
    top = _Table(_read_toml(path), path, None, ("third_parties",))
    result: list[ThirdPartySpec] = []
    for index, data in enumerate(top.tables("third_parties")):
        raw_slug = data.get("slug")
        label = raw_slug if isinstance(raw_slug, str) else f"third_parties[{index}]"
        table = _Table(data, path, label, _THIRD_PARTY_FIELDS)
        slug = table.text("slug")
        if not _SLUG.match(slug):
            raise table.error("slug", f"{slug!r} must be lower case with dashes")
        if any(existing.slug == slug for existing in result):
            raise table.error("slug", "is defined twice")
        email, problem = _email_and_problem(table)
        result.append(
            ThirdPartySpec(
                slug=slug,
                name=table.text("name"),
                website=_url(table, "website"),
                policy_url=_url(table, "policy_url"),
                privacy_email=email,
                contact_problem=problem,
            )
        )
    return tuple(result)


def load_registry_files(directory: Path | None = None) -> RegistryFiles:
    """Read and validate every organisation file and ``third_parties.toml`` in ``directory``.

    Organisations come in file-name order; scopes in the order their file lists them, which is
    the order of the routes in a plan.
    """
    root = REGISTRY_DIR if directory is None else Path(directory)
    third_parties_path = root / THIRD_PARTIES_FILE
    third_parties = _third_parties(third_parties_path) if third_parties_path.exists() else ()
    known_third_parties = {third_party.slug for third_party in third_parties}
    organisations: list[OrganisationSpec] = []
    prefixes: dict[str, str] = {}
    for path in sorted(root.glob("*.toml")):
        if path.name in (THIRD_PARTIES_FILE, DEMO_CUSTOMERS_FILE):
            continue
        organisation = _organisation(path, known_third_parties)
        owner = prefixes.setdefault(organisation.reference_prefix, organisation.slug)
        if owner != organisation.slug:
            raise RegistryFileError(
                path,
                f"is already used by {owner!r}",
                key=organisation.slug,
                field="reference_prefix",
            )
        organisations.append(organisation)
    if not organisations:
        raise RegistryFileError(root, "holds no organisation file (<slug>.toml)")
    return RegistryFiles(organisations=tuple(organisations), third_parties=third_parties)


def load_demo_customers(directory: Path | None = None) -> tuple[CustomerSpec, ...]:
    """Read ``demo_customers.toml``: fictional customers with normalised identifiers.

    Numbers and domains must come from ranges reserved for fiction, so a demo can never
    forward a request to, or call, a real business.
    """
    root = REGISTRY_DIR if directory is None else Path(directory)
    path = root / DEMO_CUSTOMERS_FILE
    registry = load_registry_files(root)
    top = _Table(_read_toml(path), path, None, ("customers",))
    customers: list[CustomerSpec] = []
    seen: dict[tuple[str, str, str], str] = {}
    for index, data in enumerate(top.tables("customers")):
        raw_name = data.get("name")
        label = raw_name if isinstance(raw_name, str) else f"customers[{index}]"
        table = _Table(data, path, label, _CUSTOMER_FIELDS)
        name = table.text("name")
        slug = table.text("organisation")
        organisation = registry.organisation(slug)
        if organisation is None:
            raise table.error(
                "organisation",
                f"unknown organisation {slug!r} {_valid(o.slug for o in registry.organisations)}",
            )
        email = table.opt_str("email")
        if email is not None and not _EMAIL.match(email):
            raise table.error("email", f"{email!r} is not an email address")
        if email is not None and not _FICTION_DOMAIN.match(email.rsplit("@", 1)[1].lower()):
            raise table.error("email", f"{email!r} is not under a domain reserved for examples")
        identifiers: list[tuple[str, str]] = []
        for position, raw in enumerate(table.tables("identifiers")):
            item = _Table(raw, path, name, ("type", "value"), f"identifiers[{position}].")
            kind = item.choice("type", IDENTIFIER_TYPES)
            try:
                value = normalise_identifier(
                    kind, item.text("value"), default_region=organisation.country
                )
            except InvalidIdentifier as exc:
                raise item.error("value", exc.message) from exc
            fiction = _FICTION_DOMAIN if kind == "website" else _FICTION_PHONE
            if not fiction.match(value):
                raise item.error("value", f"{value} is not in a range reserved for fiction")
            other = seen.setdefault((slug, kind, value), name)
            if other != name:
                raise item.error("value", f"{kind} {value} already identifies {other!r}")
            identifiers.append((kind, value))
        if not identifiers:
            raise table.error(
                "identifiers", "a customer needs at least one [[customers.identifiers]]"
            )
        customers.append(
            CustomerSpec(
                organisation=slug,
                name=name,
                email=email,
                identifiers=tuple(identifiers),
                demo=table.flag("demo", default=True),
            )
        )
        if not customers[-1].demo:
            raise table.error("demo", "every customer in this file is a demo customer")
    return tuple(customers)
