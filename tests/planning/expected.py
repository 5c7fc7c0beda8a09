"""The registry's expected content, written out from docs/vendors.md and the policies.

The tests compare the shipped files and the planner against these tables, so a change to a
registry file that contradicts the reading of a policy fails here and is reviewed.
"""

from __future__ import annotations

from routing.planning import Identifiers

# scope key -> (role, action), as in vendors.md's tables.
SCOPES: dict[str, tuple[str, str]] = {
    "callkom:website": ("controller", "fulfil"),
    "callkom:saas-accounts": ("controller", "fulfil"),
    "callkom:billing": ("controller", "fulfil"),
    "callkom:ai-calls": ("processor", "forward"),
    "callkom:prospects": ("controller", "fulfil"),
    "callkom:candidates": ("controller", "fulfil"),
    "callkom:suppliers": ("controller", "fulfil"),
    "comfortclick:app-diagnostics": ("controller", "fulfil"),
    "comfortclick:linhome": ("independent_controller", "redirect"),
    "comfile-360:service-data": ("processor", "redirect"),
    "comfile-360:account": ("controller", "fulfil"),
    "comfile-360:service-usage": ("controller", "fulfil"),
    "comfile-360:website": ("controller", "fulfil"),
    "comfile-360:marketing": ("controller", "fulfil"),
    "comfile-360:recruiting": ("controller", "fulfil"),
    "click-and-call:account": ("controller", "fulfil"),
    "click-and-call:contact-form": ("controller", "fulfil"),
    "click-and-call:call-sessions": ("processor", "redirect"),
    "click-and-call:billing": ("controller", "fulfil"),
    "click-and-call:security-logs": ("controller", "fulfil"),
    "clickacall:sales-and-clients": ("controller", "fulfil"),
    "clickacall:website": ("controller", "fulfil"),
    "clickacall:marketing": ("controller", "fulfil"),
    "clickacall:platform-call-logs": ("processor", "forward"),
    "clickacall:payments": ("controller", "fulfil"),
}

# The kinds each policy names (vendors.md, "Rights").
KINDS_BY_ORGANISATION: dict[str, tuple[str, ...]] = {
    "callkom": (
        "access",
        "rectification",
        "erasure",
        "restriction",
        "portability",
        "objection",
        "marketing_objection",
        "withdraw_consent",
        "post_mortem",
    ),
    "comfortclick": (
        "access",
        "rectification",
        "erasure",
        "restriction",
        "portability",
        "objection",
    ),
    "comfile-360": (
        "access",
        "rectification",
        "erasure",
        "restriction",
        "portability",
        "objection",
        "marketing_objection",
        "withdraw_consent",
    ),
    "click-and-call": ("access", "rectification", "erasure", "opt_out_sale", "limit_sensitive"),
    "clickacall": ("access", "rectification", "erasure", "marketing_objection"),
}

# Organisations whose published contact address is missing or garbled.
WITHOUT_ADDRESS = {"callkom", "comfile-360", "clickacall"}

THIRD_PARTY = {"comfortclick:linhome": "Belledonne Communications"}
BELLEDONNE_POLICY = "https://www.linhome.org/privacy-policy/"

# For each processor scope: identifiers that find a demo customer, and that customer's name.
MATCHING: dict[str, tuple[Identifiers, str, str]] = {
    "callkom:ai-calls": (Identifiers(phone="+33199001234"), "Maison Exemple", "+33199001234"),
    "comfile-360:service-data": (
        Identifiers(whatsapp="+447700900123"),
        "Boutique Démo",
        "+447700900123",
    ),
    "click-and-call:call-sessions": (
        Identifiers(website="sunset-plumbing.example"),
        "Sunset Sample Plumbing",
        "sunset-plumbing.example",
    ),
    "clickacall:platform-call-logs": (
        Identifiers(website="northwind.example.org"),
        "Northwind Fictional Ltd",
        "northwind.example.org",
    ),
}

# Tasks added per (scope, kind) by the per-kind rules.
KIND_TASKS: dict[tuple[str, str], tuple[str, ...]] = {
    ("callkom:ai-calls", "objection"): ("ask_customer_to_block_number",),
    ("callkom:ai-calls", "marketing_objection"): ("ask_customer_to_block_number",),
    ("callkom:prospects", "marketing_objection"): ("suppress_contact",),
    ("clickacall:marketing", "marketing_objection"): ("suppress_contact",),
}


def organisation_of(scope_key: str) -> str:
    return scope_key.split(":", 1)[0]
