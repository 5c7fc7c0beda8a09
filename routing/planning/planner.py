"""The routing planner: which part of a request goes where, as a pure function.

``plan_routes`` reads the registry through :class:`RegistryView` (the in-memory registry in tests
and previews, the database in the service) and returns a :class:`Plan` with one route per scope.
It writes nothing, so a plan can be previewed in the admin, returned by the API and tested by
table. The rule is design.md's "The routing rule"; the facts are the registry's.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from routing.identifiers import (
    IDENTIFIER_TYPES,
    InvalidIdentifier,
    display_domain,
    normalise_domain,
)

from .specs import KINDS, OrganisationSpec, ScopeSpec, ThirdPartySpec


class PlanningError(ValueError):
    """A request the planner cannot route; ``valid`` lists what would have been accepted."""

    def __init__(self, field: str, message: str, valid: Sequence[str] = ()) -> None:
        self.field = field
        self.message = message
        self.valid = list(valid)
        text = f"{field}: {message}"
        if self.valid:
            text += f" (valid: {', '.join(self.valid)})"
        super().__init__(text)


@dataclass(frozen=True)
class Identifiers:
    """What the subject gave to find the customer, already normalised (see routing.identifiers)."""

    phone: str | None = None
    website: str | None = None
    whatsapp: str | None = None

    def get(self, kind: str) -> str | None:
        value: str | None = getattr(self, kind) if kind in IDENTIFIER_TYPES else None
        return value


@dataclass(frozen=True)
class CustomerRef:
    id: str | int | None
    name: str
    email: str | None
    # "<identifier type> <normalised value>", e.g. "phone +33199001234".
    matched_by: str


class RegistryView(Protocol):
    def organisation(self, slug: str) -> OrganisationSpec | None: ...

    def organisation_slugs(self) -> list[str]: ...

    def scope_owner(self, scope_key: str) -> str | None: ...

    def third_party(self, slug: str) -> ThirdPartySpec | None: ...

    def find_customer(
        self, organisation: str, identifiers: Identifiers, identifier_types: Sequence[str]
    ) -> CustomerRef | None: ...


@dataclass(frozen=True)
class Target:
    type: str  # "organisation" | "customer" | "third_party" | "unresolved"
    name: str | None
    email: str | None
    url: str | None
    ref: str | int | None


@dataclass(frozen=True)
class Task:
    code: str
    text: str


@dataclass(frozen=True)
class RouteDecision:
    scope: str
    role: str
    action: str
    target: Target
    kinds: tuple[str, ...]
    tasks: tuple[Task, ...]
    explanation: str
    # How the customer was found ("phone +33199001234"); empty for other targets.
    matched_by: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "role": self.role,
            "action": self.action,
            "target": {
                "type": self.target.type,
                "name": self.target.name,
                "email": self.target.email,
                "url": self.target.url,
            },
            "tasks": [{"code": task.code, "text": task.text} for task in self.tasks],
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Plan:
    organisation: str
    kinds: tuple[str, ...]
    routes: tuple[RouteDecision, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "kinds": list(self.kinds),
            "routes": [route.as_json() for route in self.routes],
        }


_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_IDENTIFIER_WORDS = {"phone": "phone number", "website": "website", "whatsapp": "WhatsApp number"}


def _check_identifiers(identifiers: Identifiers) -> None:
    # The planner compares identifiers as stored; a raw one would silently match nothing.
    for kind in ("phone", "whatsapp"):
        value = identifiers.get(kind)
        if value is not None and not _E164.match(value):
            raise PlanningError(
                kind,
                f"{value!r} is not a normalised phone number; pass it through normalise_identifier",
                ["E.164, e.g. +33199001234"],
            )
    website = identifiers.website
    if website is not None:
        try:
            normalised = normalise_domain(website)
        except InvalidIdentifier as exc:
            raise PlanningError("website", exc.message, ["a domain, e.g. maison.example"]) from exc
        if normalised != website:
            raise PlanningError(
                "website",
                f"{website!r} is not normalised (it would be {normalised!r})",
                ["a domain, e.g. maison.example"],
            )


def _kinds(
    organisation: OrganisationSpec, kinds: Sequence[str], allowed: Collection[str] | None
) -> tuple[str, ...]:
    if isinstance(kinds, str):
        kinds = [kinds]
    valid = [kind for kind in KINDS if kind in (organisation.kinds if allowed is None else allowed)]
    if not kinds:
        raise PlanningError("kind", "a request needs at least one kind", valid)
    for kind in kinds:
        if kind not in KINDS:
            raise PlanningError("kind", f"unknown kind {kind!r}", valid)
        if kind not in valid:
            raise PlanningError(
                "kind", f"{organisation.name} does not handle {kind!r} requests", valid
            )
    # Canonical order, so the same request gives the same plan however its kinds were listed.
    return tuple(kind for kind in KINDS if kind in kinds)


def _named_scopes(
    registry: RegistryView, organisation: OrganisationSpec, scopes: Sequence[str]
) -> list[ScopeSpec]:
    if isinstance(scopes, str):
        scopes = [scopes]
    valid = organisation.scope_keys
    wanted = set()
    for key in scopes:
        if organisation.scope(key) is not None:
            wanted.add(key)
            continue
        owner = registry.scope_owner(key)
        if owner is not None and owner != organisation.slug:
            raise PlanningError(
                "scope",
                f"scope {key!r} belongs to organisation {owner!r}, not {organisation.slug!r}",
                valid,
            )
        raise PlanningError("scope", f"unknown scope {key!r} for {organisation.slug!r}", valid)
    return [scope for scope in organisation.scopes if scope.key in wanted]


def _cite(scope: ScopeSpec) -> str:
    return f"policy {scope.policy_section}"


def _matched_words(matched_by: str) -> str:
    kind, _, value = matched_by.partition(" ")
    if kind == "website":
        value = display_domain(value)
    return f"the {_IDENTIFIER_WORDS.get(kind, kind)} {value}".rstrip()


def _identifier_words(scope: ScopeSpec) -> str:
    words = [_IDENTIFIER_WORDS[kind] for kind in scope.identifier_types]
    return " or ".join(words) if words else "identifier"


def _processor_action(scope: ScopeSpec, kinds: Sequence[str]) -> str:
    actions = {scope.action_for(kind) for kind in kinds}
    # One route per scope: when kinds disagree, forwarding wins, because the customer then
    # receives the request and the subject is told anyway; a redirect alone would lose a part.
    if "forward" in actions:
        return "forward"
    return "redirect"


def _contact_task(target: Target, problem: str | None) -> Task:
    why = problem or "no address is recorded"
    return Task(
        "restore_contact_address",
        f"Record a working privacy contact address for {target.name} before anything is sent "
        f"to it; why it is missing: {why}.",
    )


def _kind_tasks(
    organisation: OrganisationSpec, scope: ScopeSpec, kinds: Sequence[str], customer: str
) -> list[Task]:
    texts = {
        "suppress_contact": (
            f"Put the subject's contact details on {organisation.name}'s opt-out list at once, "
            "so they are not contacted again."
        ),
        "ask_customer_to_block_number": (
            f"Ask {customer} to block the subject's number so it is not called again; "
            f"{organisation.name} can help block it on the platform."
        ),
    }
    tasks: list[Task] = []
    for kind in kinds:
        for code in scope.kind_tasks.get(kind, ()):
            if all(task.code != code for task in tasks):
                tasks.append(Task(code, texts.get(code, f"Carry out {code.replace('_', ' ')}.")))
    return tasks


def _limit_notes(scope: ScopeSpec, kinds: Sequence[str]) -> str:
    notes = [
        f" Limit on {kind.replace('_', ' ')}: {scope.limits[kind]}"
        for kind in kinds
        if kind in scope.limits
    ]
    return "".join(note if note.endswith(".") else note + "." for note in notes)


def _route(
    registry: RegistryView,
    organisation: OrganisationSpec,
    scope: ScopeSpec,
    kinds: tuple[str, ...],
    customer: CustomerRef | None,
    identifiers: Identifiers,
) -> RouteDecision:
    org = organisation.name
    cite = _cite(scope)
    tasks: list[Task] = []

    if scope.role == "controller":
        action = "fulfil"
        target = Target(
            "organisation",
            org,
            organisation.privacy_email,
            organisation.policy_url or organisation.website or None,
            organisation.slug,
        )
        explanation = (
            f"{org} is the controller of {scope.name} ({cite}), "
            f"so {org} answers the request itself."
        )
        tasks += _kind_tasks(organisation, scope, kinds, "the customer")
        if target.email is None:
            tasks.append(_contact_task(target, organisation.contact_problem))

    elif scope.role == "processor":
        action = _processor_action(scope, kinds)
        if customer is not None:
            target = Target("customer", customer.name, customer.email, None, customer.id)
            found = f"found by {_matched_words(customer.matched_by)}"
            if action == "forward":
                outcome = f"the request is forwarded to {customer.name}, {found}"
            else:
                outcome = (
                    f"the subject is redirected to {customer.name} ({found}), "
                    "which answers the request"
                )
            explanation = f"{org} processes {scope.name} for its customer ({cite}), so {outcome}."
            tasks += _kind_tasks(organisation, scope, kinds, customer.name)
            if target.email is None:
                tasks.append(_contact_task(target, None))
        else:
            target = Target("unresolved", None, None, None, None)
            given = [
                f"the {_IDENTIFIER_WORDS[kind]} {identifiers.get(kind)}"
                for kind in scope.identifier_types
                if identifiers.get(kind)
            ]
            if given:
                missing = f"no customer matches {' or '.join(given)}"
            else:
                missing = f"the request gives no {_identifier_words(scope)} to find the customer by"
            then = (
                "forward the request to it without delay"
                if action == "forward"
                else "tell the subject how to reach it"
            )
            explanation = (
                f"{org} processes {scope.name} for a customer ({cite}), but {missing}, "
                f"so staff must identify the customer, then {then}."
            )
            tasks.append(
                Task(
                    "identify_customer",
                    f"Identify the {org} customer concerned (from the {_identifier_words(scope)}, "
                    f"or the date and time the subject gives), then {then}.",
                )
            )
            tasks += _kind_tasks(organisation, scope, kinds, "the customer")

    else:
        action = "redirect"
        third_party = registry.third_party(scope.third_party) if scope.third_party else None
        if third_party is not None:
            target = Target(
                "third_party",
                third_party.name,
                third_party.privacy_email,
                third_party.policy_url or third_party.website or None,
                third_party.slug,
            )
            where = f" ({target.url})" if target.url else ""
            explanation = (
                f"{third_party.name} is an independent controller of {scope.name} ({cite}), "
                f"so the subject is redirected to {third_party.name}{where}."
            )
            tasks += _kind_tasks(organisation, scope, kinds, "the customer")
            if target.email is None:
                tasks.append(_contact_task(target, third_party.contact_problem))
        else:
            # Only a database edited by hand can get here: the registry files refuse it.
            target = Target("unresolved", None, None, None, scope.third_party)
            explanation = (
                f"An independent controller holds {scope.name} ({cite}), but it is missing from "
                "the registry, so staff must identify it before the subject is redirected."
            )
            tasks.append(
                Task(
                    "identify_third_party",
                    f"Record the independent controller of {scope.name} in the registry.",
                )
            )

    return RouteDecision(
        scope=scope.key,
        role=scope.role,
        action=action,
        target=target,
        kinds=kinds,
        tasks=tuple(tasks),
        explanation=explanation + _limit_notes(scope, kinds),
        matched_by=customer.matched_by if target.type == "customer" and customer else "",
    )


def plan_routes(
    registry: RegistryView,
    *,
    organisation: str,
    kinds: Sequence[str],
    scopes: Sequence[str] | None = None,
    identifiers: Identifiers = Identifiers(),  # frozen, so sharing it is safe
    allowed_kinds: Collection[str] | None = None,
) -> Plan:
    """Route a request of ``kinds`` to ``organisation``, one route per scope.

    ``scopes`` names the scopes the request touches. Without it (None or empty) the request
    touches every controller scope of the organisation and every processor scope whose customer
    an identifier finds; independent-controller scopes are routed only when named, because the
    organisation holds none of that data and a blanket redirect would only confuse the subject.
    ``allowed_kinds`` (e.g. the kinds of the subject's regime) replaces the organisation's own
    list of kinds. Routes follow the order of the scopes in the organisation's file.
    """
    spec = registry.organisation(organisation)
    if spec is None:
        raise PlanningError(
            "organisation",
            f"unknown organisation {organisation!r}",
            sorted(registry.organisation_slugs()),
        )
    request_kinds = _kinds(spec, kinds, allowed_kinds)
    _check_identifiers(identifiers)

    customers: dict[str, CustomerRef | None] = {}

    def customer_for(scope: ScopeSpec) -> CustomerRef | None:
        if scope.key not in customers:
            customers[scope.key] = registry.find_customer(
                spec.slug, identifiers, scope.identifier_types
            )
        return customers[scope.key]

    if scopes:
        selected = _named_scopes(registry, spec, scopes)
    else:
        selected = [
            scope
            for scope in spec.scopes
            if scope.role == "controller"
            or (scope.role == "processor" and customer_for(scope) is not None)
        ]
        if not selected:
            raise PlanningError(
                "scope",
                f"no scope of {spec.slug!r} applies without naming one; name the scopes",
                spec.scope_keys,
            )

    routes = tuple(
        _route(
            registry,
            spec,
            scope,
            request_kinds,
            customer_for(scope) if scope.role == "processor" else None,
            identifiers,
        )
        for scope in selected
    )
    return Plan(organisation=spec.slug, kinds=request_kinds, routes=routes)
