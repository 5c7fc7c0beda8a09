"""The registry's vocabulary and the specs read from ``routing/registry_data``.

The Django models mirror these fields, so the registry files, the admin and the planner
speak about organisations, scopes, third parties and customers the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

# The clock's tables are the one list of kinds and regimes, so a registry file may name any
# regime the clock computes deadlines for. Re-exported for callers that import them here.
from routing.clock import KINDS as KINDS
from routing.clock import REGIMES as REGIMES

ROLES = ("controller", "processor", "independent_controller")
ACTIONS = ("fulfil", "forward", "redirect")

# Which actions each role allows (design.md, "The routing rule"): only a processor scope has a
# choice, and that choice is data so staff can change it without code.
ROLE_ACTIONS: dict[str, tuple[str, ...]] = {
    "controller": ("fulfil",),
    "processor": ("forward", "redirect"),
    "independent_controller": ("redirect",),
}

# Tasks a scope may add per kind (ScopeSpec.kind_tasks). The planner adds identify_customer and
# restore_contact_address itself; they are listed so the vocabulary is in one place.
TASK_CODES = (
    "identify_customer",
    "suppress_contact",
    "ask_customer_to_block_number",
    "restore_contact_address",
    "identify_third_party",
)
KIND_TASK_CODES = ("suppress_contact", "ask_customer_to_block_number")

# The fields of one retained entry (ScopeSpec.retained); period is None when the policy
# states none.
RETAINED_FIELDS = ("what", "ground", "period", "source")
RETAINED_REQUIRED = ("what", "ground", "source")
# Who receives an organisation's data (GDPR Art. 4(9)): a subprocessor acting on its
# instructions, or another recipient it discloses to.
RECIPIENT_ROLES = ("subprocessor", "recipient")


@dataclass(frozen=True)
class RetainedSpec:
    """What an organisation keeps of a scope after erasing it: the data, its legal ground,
    for how long, and the policy section that says so."""

    what: str
    ground: str
    period: str | None
    source: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "what": self.what,
            "ground": self.ground,
            "period": self.period,
            "source": self.source,
        }


def retained_from_data(value: object) -> tuple[RetainedSpec, ...]:
    """Retained entries from their stored form (a list of objects); ValueError names what
    is wrong, so a row edited by hand cannot reach a subject's email malformed."""
    if not isinstance(value, list):
        raise ValueError("must be a list of entries")
    entries: list[RetainedSpec] = []
    for index, item in enumerate(value):
        where = f"entry {index + 1}"
        if not isinstance(item, dict):
            raise ValueError(f"{where} must be an object with {', '.join(RETAINED_FIELDS)}")
        unknown = sorted(set(item) - set(RETAINED_FIELDS))
        if unknown:
            raise ValueError(f"{where} has unknown field(s) {', '.join(unknown)}")
        texts: dict[str, str | None] = {}
        for name in RETAINED_FIELDS:
            text = item.get(name)
            if text is None and name not in RETAINED_REQUIRED:
                texts[name] = None
                continue
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{where}: {name} must be a non-empty text")
            texts[name] = text.strip()
        entry = RetainedSpec(
            what=str(texts["what"]),
            ground=str(texts["ground"]),
            period=texts["period"],
            source=str(texts["source"]),
        )
        if any(existing.what == entry.what for existing in entries):
            raise ValueError(f"{where}: {entry.what!r} is listed twice")
        entries.append(entry)
    return tuple(entries)


@dataclass(frozen=True)
class ScopeSpec:
    key: str
    name: str
    description: str
    question: str
    role: str
    action: str
    policy_section: str
    kind_actions: dict[str, str] = field(default_factory=dict, hash=False)
    kind_tasks: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    third_party: str | None = None
    identifier_types: tuple[str, ...] = ()
    limits: dict[str, str] = field(default_factory=dict, hash=False)
    # What is kept after an erasure, with its ground and period.
    retained: tuple[RetainedSpec, ...] = ()

    @property
    def organisation(self) -> str:
        return self.key.split(":", 1)[0]

    def action_for(self, kind: str) -> str:
        return self.kind_actions.get(kind, self.action)


@dataclass(frozen=True)
class RecipientSpec:
    """A recipient of the data of some scopes, told of erasures, rectifications and
    restrictions (GDPR Art. 19). ``privacy_email`` None: ``contact_problem`` says why."""

    slug: str
    name: str
    role: str
    purpose: str
    scopes: tuple[str, ...]
    privacy_email: str | None
    contact_problem: str | None
    source: str


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    legal_name: str
    website: str
    privacy_email: str | None
    contact_problem: str | None
    address: str
    country: str | None
    timezone: str
    holiday_country: str | None
    holiday_subdivision: str | None
    default_regime: str
    authority_name: str
    authority_url: str
    policy_url: str
    policy_date: datetime.date | None  # None when the published text carries no date
    minimum_age: int | None
    reference_prefix: str
    kinds: tuple[str, ...]
    scopes: tuple[ScopeSpec, ...]
    # Each commitment: {"label", "days" or "months", "kinds"?, "regimes"?, "source"}.
    commitments: tuple[dict[str, Any], ...] = field(default=(), hash=False)
    forward_within_working_days: int = 1
    recipients: tuple[RecipientSpec, ...] = ()

    def scope(self, key: str) -> ScopeSpec | None:
        for scope in self.scopes:
            if scope.key == key:
                return scope
        return None

    @property
    def scope_keys(self) -> list[str]:
        return [scope.key for scope in self.scopes]


@dataclass(frozen=True)
class ThirdPartySpec:
    slug: str
    name: str
    website: str
    policy_url: str
    privacy_email: str | None
    contact_problem: str | None


@dataclass(frozen=True)
class CustomerSpec:
    organisation: str
    name: str
    email: str | None
    identifiers: tuple[tuple[str, str], ...]
    demo: bool = True


@dataclass(frozen=True)
class RegistryFiles:
    organisations: tuple[OrganisationSpec, ...]
    third_parties: tuple[ThirdPartySpec, ...]

    def organisation(self, slug: str) -> OrganisationSpec | None:
        for organisation in self.organisations:
            if organisation.slug == slug:
                return organisation
        return None

    def third_party(self, slug: str) -> ThirdPartySpec | None:
        for third_party in self.third_parties:
            if third_party.slug == slug:
                return third_party
        return None
