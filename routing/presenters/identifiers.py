"""The identifiers a subject gave (the number that called them, the website, the WhatsApp
number), worded as the intake form asked for them: the facts the routing depends on, shown
back so that the subject can check them."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from routing.identifiers import display_domain, display_phone
from routing.models import Request, Scope


def phone_label(scopes: Iterable[Scope]) -> str:
    """Callkom's agents call people; elsewhere the subject called the business."""
    called_by = any(list(scope.identifier_types)[:1] == ["phone"] for scope in scopes)
    return _("The phone number that called you") if called_by else _("The business's phone number")


def identifier_rows(request: Request) -> list[tuple[str, str]]:
    """(label, value) pairs for ``templates/intake/_identifiers.html``, in the form's order,
    values in the form people read (grouped digits, a domain in Unicode)."""
    given = request.identifiers or {}
    rows: list[tuple[str, str]] = []
    if given.get("phone"):
        label = phone_label(request.organisation.scopes.all())
        rows.append((label, display_phone(str(given["phone"]))))
    if given.get("website"):
        rows.append(
            (_("The website where you used the call button"), display_domain(str(given["website"])))
        )
    if given.get("whatsapp"):
        rows.append((_("The business's WhatsApp number"), display_phone(str(given["whatsapp"]))))
    return rows
