"""API clients: their tokens (shown once, stored hashed), revocation and last use."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from routing.domain.registry_snapshot import registry_changed
from routing.domain.tokens import token_hash
from routing.domain.url_safety import webhook_url_problem
from routing.models import Integration, Organisation
from routing.signatures import secret_generate

TOKEN_PREFIX = "dsar_"  # noqa: S105 (a label, not a secret)
# What staff see of a token: the fixed prefix and a few random characters.
VISIBLE_CHARACTERS = 12
# last_used_at is informative; writing it on every call would make each read a write.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: str
    prefix: str
    digest: str


@dataclass(frozen=True)
class CreatedIntegration:
    integration: Integration
    # Returned once: only its hash is stored.
    token: str


class TokenRejected(Exception):
    """A bearer token that matches no active integration; ``message`` says which case."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def token_issue() -> IssuedToken:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return IssuedToken(token=token, prefix=token[:VISIBLE_CHARACTERS], digest=token_hash(token))


def webhook_secret_generate() -> str:
    return secret_generate()


def integration_assign_token(integration: Integration) -> str:
    """Give an unsaved (or rotated) integration a new token; returns the token."""
    issued = token_issue()
    integration.token_prefix = issued.prefix
    integration.token_hash = issued.digest
    return issued.token


def webhook_url_check(url: str) -> None:
    """An http or https URL of a public host; raises ValidationError keyed by the field."""
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError({"webhook_url": "Enter an http or https URL."}) from None
        problem = webhook_url_problem(url)
        if problem is not None:
            raise ValidationError({"webhook_url": problem})


@transaction.atomic
def integration_create(
    *,
    name: str,
    organisations: Sequence[Organisation],
    can_write: bool = True,
    webhook_url: str = "",
    webhook_secret: str = "",
) -> CreatedIntegration:
    """Create an integration and its token. Raises ValidationError keyed by field."""
    if not organisations:
        raise ValidationError({"organisations": "Give at least one organisation."})
    webhook_url_check(webhook_url)
    integration = Integration(
        name=name.strip(),
        can_write=can_write,
        webhook_url=webhook_url,
        # A receiver cannot verify an unsigned body, so a URL always comes with a secret.
        webhook_secret=webhook_secret or (webhook_secret_generate() if webhook_url else ""),
    )
    token = integration_assign_token(integration)
    integration.full_clean()
    integration.save()
    integration.organisations.set(organisations)
    return CreatedIntegration(integration=integration, token=token)


def integration_save(*, integration: Integration, new: bool) -> str | None:
    """Store an integration edited in the admin (its form checked the fields; the admin
    sets its organisations after). A new one gets its token, returned once; a URL always
    comes with a secret."""
    token = integration_assign_token(integration) if new else None
    if integration.webhook_url and not integration.webhook_secret:
        integration.webhook_secret = webhook_secret_generate()
    integration.save()
    return token


def integration_rotate_token(*, integration: Integration) -> str:
    """Replace the token: the old one stops working at once. Returns the new one."""
    token = integration_assign_token(integration)
    integration.save(update_fields=["token_prefix", "token_hash"])
    return token


def integration_revoke(*, integration: Integration, now: datetime | None = None) -> bool:
    """Revoke for good; False if it was revoked already (the first date is kept)."""
    now = now or timezone.now()
    changed = Integration.objects.filter(pk=integration.pk, revoked_at__isnull=True).update(
        revoked_at=now
    )
    integration.refresh_from_db(fields=["revoked_at"])
    # An update sends no signal: say so, or webhooks would still be stored for it.
    registry_changed()
    return bool(changed)


def integration_authenticate(token: str) -> tuple[Integration, frozenset[int]]:
    """The active integration holding ``token`` and the ids of its organisations;
    raises TokenRejected otherwise."""
    digest = token_hash(token)
    # One query for both: a row per organisation, each joined to the integration. Every
    # API call makes it, so the second round trip is worth saving.
    links = list(
        Integration.organisations.through.objects.filter(
            integration__token_hash=digest
        ).select_related("integration")
    )
    if links:
        integration = links[0].integration
    else:  # a wrong token, or an integration with no organisation left
        found = Integration.objects.filter(token_hash=digest).first()
        if found is None:
            raise TokenRejected("Invalid token.")
        integration = found
    if integration.revoked_at is not None:
        raise TokenRejected("This token was revoked.")
    return integration, frozenset(link.organisation_id for link in links)


def integration_touch(*, integration: Integration, now: datetime | None = None) -> bool:
    """Record use, at most once per TOUCH_EVERY; the conditional update lets concurrent
    calls of one integration write once."""
    now = now or timezone.now()
    last = integration.last_used_at
    if last is not None and now - last < TOUCH_EVERY:
        return False
    changed = (
        Integration.objects.filter(pk=integration.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY))
        .update(last_used_at=now)
    )
    if changed:
        integration.last_used_at = now
    return bool(changed)
