"""The cases docs/vendors.md describes, organisation by organisation."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from routing.identifiers import normalise_identifier
from routing.planning import (
    CustomerSpec,
    Identifiers,
    InMemoryRegistry,
    RegistryFiles,
    RouteDecision,
    load_registry_files,
    plan_routes,
)

from .editing import edit

CALLKOM_CONTROLLER_SCOPES = [
    "callkom:website",
    "callkom:saas-accounts",
    "callkom:billing",
    "callkom:prospects",
    "callkom:candidates",
    "callkom:suppliers",
]


def codes(route: RouteDecision) -> list[str]:
    return [task.code for task in route.tasks]


def with_kind_actions(
    registry: InMemoryRegistry, scope_key: str, kind_actions: dict[str, str]
) -> InMemoryRegistry:
    """The shipped organisation of ``scope_key``, with that scope's per-kind actions replaced."""
    slug = scope_key.split(":", 1)[0]
    organisation = registry.files.organisation(slug)
    assert organisation is not None
    scopes = tuple(
        dataclasses.replace(scope, kind_actions=kind_actions) if scope.key == scope_key else scope
        for scope in organisation.scopes
    )
    return InMemoryRegistry(
        RegistryFiles(
            organisations=(dataclasses.replace(organisation, scopes=scopes),),
            third_parties=registry.files.third_parties,
        ),
        [customer for customer in registry.customers if customer.organisation == slug],
    )


def test_callkom_do_not_call_is_forwarded_and_the_customer_asked_to_block_the_number(
    registry: InMemoryRegistry,
) -> None:
    phone = normalise_identifier("phone", "01 99 00 12 34", default_region="FR")

    plan = plan_routes(
        registry,
        organisation="callkom",
        kinds=["marketing_objection"],
        scopes=["callkom:ai-calls"],
        identifiers=Identifiers(phone=phone),
    )

    [route] = plan.routes
    assert route.action == "forward"
    assert route.target.type == "customer"
    assert (route.target.name, route.target.email) == ("Maison Exemple", "privacy@maison.example")
    assert codes(route) == ["ask_customer_to_block_number"]
    assert route.explanation == (
        "Callkom processes AI-call data for its customer (policy §3.3), so the request is "
        "forwarded to Maison Exemple, found by the phone number +33199001234."
    )


def test_callkom_objection_on_ai_calls_also_asks_to_block_the_number(
    registry: InMemoryRegistry,
) -> None:
    plan = plan_routes(
        registry,
        organisation="callkom",
        kinds=["objection"],
        scopes=["callkom:ai-calls"],
        identifiers=Identifiers(phone="+33199005678"),
    )

    [route] = plan.routes
    assert route.target.name == "Cabinet Fictif Conseil"
    assert codes(route) == ["ask_customer_to_block_number"]


def test_callkom_caller_not_found_becomes_a_task_to_identify_the_customer(
    registry: InMemoryRegistry,
) -> None:
    plan = plan_routes(
        registry,
        organisation="callkom",
        kinds=["marketing_objection"],
        scopes=["callkom:ai-calls"],
        identifiers=Identifiers(phone="+33199009999"),
    )

    [route] = plan.routes
    assert route.action == "forward"
    assert route.target.type == "unresolved"
    assert codes(route) == ["identify_customer", "ask_customer_to_block_number"]
    assert "no customer matches the phone number +33199009999" in route.explanation


def test_callkom_marketing_objection_from_a_prospect_suppresses_the_contact(
    registry: InMemoryRegistry,
) -> None:
    plan = plan_routes(
        registry,
        organisation="callkom",
        kinds=["marketing_objection"],
        scopes=["callkom:prospects"],
    )

    [route] = plan.routes
    assert (route.action, route.target.type) == ("fulfil", "organisation")
    # Callkom's address is obfuscated in its policy, so staff must restore it (§9.1).
    assert codes(route) == ["suppress_contact", "restore_contact_address"]
    assert "[email protected]" in route.tasks[1].text


def test_callkom_erasure_of_billing_data_states_the_retention_limit(
    registry: InMemoryRegistry,
) -> None:
    plan = plan_routes(
        registry, organisation="callkom", kinds=["erasure"], scopes=["callkom:billing"]
    )

    assert "Billing records are kept 10 years" in plan.routes[0].explanation
    assert "§9.3" in plan.routes[0].explanation


def test_callkom_without_scopes_routes_controller_scopes_and_the_matched_customer(
    registry: InMemoryRegistry,
) -> None:
    matched = plan_routes(
        registry,
        organisation="callkom",
        kinds=["access"],
        identifiers=Identifiers(phone="+33199001234"),
    )
    unmatched = plan_routes(
        registry,
        organisation="callkom",
        kinds=["access"],
        identifiers=Identifiers(phone="+33199009999"),
    )

    assert [route.scope for route in matched.routes] == [
        "callkom:website",
        "callkom:saas-accounts",
        "callkom:billing",
        "callkom:ai-calls",
        "callkom:prospects",
        "callkom:candidates",
        "callkom:suppliers",
    ]
    assert [route.scope for route in unmatched.routes] == CALLKOM_CONTROLLER_SCOPES


def test_callkom_customer_found_by_a_possible_but_not_valid_mobile_number(
    registry: InMemoryRegistry,
) -> None:
    phone = normalise_identifier("phone", "06 39 98 45 67", default_region="FR")

    plan = plan_routes(
        registry,
        organisation="callkom",
        kinds=["access"],
        scopes=["callkom:ai-calls"],
        identifiers=Identifiers(phone=phone),
    )

    assert plan.routes[0].target.name == "Cabinet Fictif Conseil"


def test_comfortclick_linhome_redirects_to_belledonne_with_its_policy_url(
    registry: InMemoryRegistry,
) -> None:
    plan = plan_routes(
        registry, organisation="comfortclick", kinds=["access"], scopes=["comfortclick:linhome"]
    )

    [route] = plan.routes
    assert (route.role, route.action) == ("independent_controller", "redirect")
    assert route.target.type == "third_party"
    assert route.target.name == "Belledonne Communications"
    assert route.target.url == "https://www.linhome.org/privacy-policy/"
    # ComfortClick's text gives no address for Belledonne: none is invented.
    assert route.target.email is None
    assert codes(route) == ["restore_contact_address"]
    assert route.explanation == (
        "Belledonne Communications is an independent controller of Linhome account and call "
        "data (policy §3, §10), so the subject is redirected to Belledonne Communications "
        "(https://www.linhome.org/privacy-policy/)."
    )


def test_comfortclick_request_touching_both_scopes_is_split(registry: InMemoryRegistry) -> None:
    plan = plan_routes(
        registry,
        organisation="comfortclick",
        kinds=["erasure", "access"],
        scopes=["comfortclick:linhome", "comfortclick:app-diagnostics"],
    )

    assert plan.kinds == ("access", "erasure")
    diagnostics, linhome = plan.routes
    assert (diagnostics.scope, diagnostics.action) == ("comfortclick:app-diagnostics", "fulfil")
    assert diagnostics.target.email == "info@comfortclick.com"
    assert diagnostics.tasks == ()
    assert (linhome.scope, linhome.action) == ("comfortclick:linhome", "redirect")
    assert linhome.target.name == "Belledonne Communications"


def test_comfortclick_without_scopes_does_not_send_the_subject_to_belledonne(
    registry: InMemoryRegistry,
) -> None:
    plan = plan_routes(registry, organisation="comfortclick", kinds=["access"])

    assert [route.scope for route in plan.routes] == ["comfortclick:app-diagnostics"]


def test_comfile_360_whatsapp_contact_is_redirected_to_the_customer(
    registry: InMemoryRegistry,
) -> None:
    whatsapp = normalise_identifier("whatsapp", "+44 7700 900123", default_region=None)

    plan = plan_routes(
        registry,
        organisation="comfile-360",
        kinds=["erasure"],
        scopes=["comfile-360:service-data"],
        identifiers=Identifiers(whatsapp=whatsapp),
    )

    [route] = plan.routes
    assert (route.action, route.target.type, route.target.name) == (
        "redirect",
        "customer",
        "Boutique Démo",
    )
    assert "the WhatsApp number +447700900123" in route.explanation


def test_comfile_360_garbled_address_is_never_used(registry: InMemoryRegistry) -> None:
    plan = plan_routes(
        registry, organisation="comfile-360", kinds=["access"], scopes=["comfile-360:account"]
    )

    [route] = plan.routes
    assert route.target.email is None
    assert codes(route) == ["restore_contact_address"]
    assert "info@Comfile 360.com" in route.tasks[0].text


def test_click_and_call_visitor_is_redirected_to_the_operator_found_by_website(
    registry: InMemoryRegistry,
) -> None:
    website = normalise_identifier(
        "website", "https://www.Sunset-Plumbing.example/contact", default_region="US"
    )

    plan = plan_routes(
        registry,
        organisation="click-and-call",
        kinds=["access"],
        scopes=["click-and-call:call-sessions"],
        identifiers=Identifiers(website=website),
    )

    [route] = plan.routes
    assert route.action == "redirect"
    assert (route.target.name, route.target.email) == (
        "Sunset Sample Plumbing",
        "privacy@sunset-plumbing.example",
    )
    assert "found by the website sunset-plumbing.example" in route.explanation


def test_click_and_call_operator_with_an_international_domain_is_named_readably(
    registry: InMemoryRegistry,
) -> None:
    website = normalise_identifier("website", "https://CAFÉ.example/", default_region=None)

    plan = plan_routes(
        registry,
        organisation="click-and-call",
        kinds=["erasure"],
        scopes=["click-and-call:call-sessions"],
        identifiers=Identifiers(website=website),
    )

    assert website == "xn--caf-dma.example"
    assert plan.routes[0].target.name == "Café Démo"
    assert "the website café.example" in plan.routes[0].explanation


def test_click_and_call_staff_can_make_call_sessions_forward_by_editing_the_file(
    registry_copy: Path,
) -> None:
    edit(
        registry_copy / "click-and-call.toml",
        'action = "redirect"\nidentifier_types = ["website"]',
        'action = "forward"\nidentifier_types = ["website"]',
    )
    edited = InMemoryRegistry.load(registry_copy)

    plan = plan_routes(
        edited,
        organisation="click-and-call",
        kinds=["access"],
        scopes=["click-and-call:call-sessions"],
        identifiers=Identifiers(website="sunset-plumbing.example"),
    )

    assert plan.routes[0].action == "forward"
    assert "forwarded to Sunset Sample Plumbing" in plan.routes[0].explanation


def test_a_kind_forwarded_by_override_makes_the_whole_route_forward(
    registry: InMemoryRegistry,
) -> None:
    edited = with_kind_actions(registry, "click-and-call:call-sessions", {"erasure": "forward"})

    def action(kinds: list[str]) -> str:
        plan = plan_routes(
            edited,
            organisation="click-and-call",
            kinds=kinds,
            scopes=["click-and-call:call-sessions"],
            identifiers=Identifiers(website="sunset-plumbing.example"),
        )
        return plan.routes[0].action

    assert action(["access"]) == "redirect"
    assert action(["erasure"]) == "forward"
    assert action(["access", "erasure"]) == "forward"


def test_a_kind_redirected_by_override_on_a_forwarding_scope_is_redirected(
    registry: InMemoryRegistry,
) -> None:
    edited = with_kind_actions(registry, "callkom:ai-calls", {"access": "redirect"})

    def action(kinds: list[str]) -> str:
        plan = plan_routes(
            edited,
            organisation="callkom",
            kinds=kinds,
            scopes=["callkom:ai-calls"],
            identifiers=Identifiers(phone="+33199001234"),
        )
        return plan.routes[0].action

    assert action(["access"]) == "redirect"
    assert action(["access", "erasure"]) == "forward"


def test_clickacall_platform_call_logs_are_forwarded_to_the_client_found_by_phone(
    registry: InMemoryRegistry,
) -> None:
    phone = normalise_identifier("phone", "020 7946 0321", default_region="GB")

    plan = plan_routes(
        registry,
        organisation="clickacall",
        kinds=["erasure"],
        scopes=["clickacall:platform-call-logs"],
        identifiers=Identifiers(phone=phone),
    )

    [route] = plan.routes
    assert (route.action, route.target.name) == ("forward", "Northwind Fictional Ltd")
    assert route.tasks == ()
    assert "60 months" in route.explanation


def test_clickacall_marketing_objection_suppresses_the_contact(
    registry: InMemoryRegistry,
) -> None:
    plan = plan_routes(
        registry,
        organisation="clickacall",
        kinds=["marketing_objection"],
        scopes=["clickacall:marketing"],
    )

    assert codes(plan.routes[0]) == ["suppress_contact", "restore_contact_address"]


def test_customer_without_an_email_needs_its_address_restored() -> None:
    files = load_registry_files()
    registry = InMemoryRegistry(
        files,
        [
            CustomerSpec(
                organisation="callkom",
                name="Atelier Sans Adresse",
                email=None,
                identifiers=(("phone", "01 99 00 99 99"),),
            )
        ],
    )

    plan = plan_routes(
        registry,
        organisation="callkom",
        kinds=["access"],
        scopes=["callkom:ai-calls"],
        identifiers=Identifiers(phone="+33199009999"),
    )

    [route] = plan.routes
    assert (route.target.type, route.target.email) == ("customer", None)
    assert codes(route) == ["restore_contact_address"]


def test_plan_as_json_has_the_documented_shape(registry: InMemoryRegistry) -> None:
    plan = plan_routes(
        registry,
        organisation="callkom",
        kinds=["objection"],
        scopes=["callkom:ai-calls"],
        identifiers=Identifiers(phone="+33199001234"),
    )

    assert plan.as_json() == {
        "organisation": "callkom",
        "kinds": ["objection"],
        "routes": [
            {
                "scope": "callkom:ai-calls",
                "role": "processor",
                "action": "forward",
                "target": {
                    "type": "customer",
                    "name": "Maison Exemple",
                    "email": "privacy@maison.example",
                    "url": None,
                },
                "tasks": [
                    {
                        "code": "ask_customer_to_block_number",
                        "text": plan.routes[0].tasks[0].text,
                    }
                ],
                "explanation": plan.routes[0].explanation,
            }
        ],
    }
