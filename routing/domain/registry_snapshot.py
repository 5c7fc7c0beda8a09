"""The registry's small tables, read once per process and kept until they change.

Organisations, scopes, third parties and the integrations that take webhooks change a
few times a year, yet every create reads them. Each process keeps one snapshot, tagged
with a version held in the shared cache. A write anywhere bumps that version, at once and
again when its transaction commits, so every process reloads on its next read. Reads in
a transaction that has written to the registry itself get a private snapshot with its
own writes. With the cache unreachable, every read goes to the database. Customers are
not here: there are many, and each lookup is one indexed query.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_save

from routing.domain.registry_specs import organisation_spec, third_party_spec
from routing.models import Integration, Organisation, Scope, ThirdParty
from routing.planning import OrganisationSpec, ThirdPartySpec

logger = logging.getLogger(__name__)

VERSION_KEY_PREFIX = "routing:registry-version"
# A lost bump (the cache down at the moment of a write) is healed after this long.
MAX_AGE_SECONDS = 300.0
# The shared version is asked at most this often: another process's change is seen
# within a second, and a create asks the cache once instead of at every read.
CHECK_EVERY_SECONDS = 1.0


@dataclass(frozen=True)
class RegistrySnapshot:
    version: str | None
    loaded_at: float
    organisations: Mapping[str, OrganisationSpec]
    organisation_rows: Mapping[str, Organisation]
    scope_rows: Mapping[str, Scope]
    scope_owners: Mapping[str, str]
    third_parties: Mapping[str, ThirdPartySpec]
    third_party_ids: Mapping[str, int]
    # organisation id -> ids of the active integrations with a webhook URL that see it
    webhook_integrations: Mapping[int, tuple[int, ...]]
    # When the version was last found current (monotonic seconds); only for the shared one.
    checked_at: list[float] = field(default_factory=lambda: [0.0])

    def organisation_row(self, slug: str) -> Organisation | None:
        """A copy of the organisation's row, so no caller changes the shared one."""
        row = self.organisation_rows.get(slug)
        if row is None:
            return None
        mine = copy.copy(row)
        mine._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        mine.kinds = list(row.kinds)
        mine.commitments = copy.deepcopy(row.commitments)
        return mine

    def organisation_id(self, slug: str) -> int | None:
        row = self.organisation_rows.get(slug)
        return row.pk if row is not None else None


_lock = threading.Lock()
_shared: RegistrySnapshot | None = None
# Moved on by every change: a load that began before a change is not kept after it.
_generation = 0
_local = threading.local()


def _load(version: str | None) -> RegistrySnapshot:
    organisations: dict[str, OrganisationSpec] = {}
    rows: dict[str, Organisation] = {}
    scope_rows: dict[str, Scope] = {}
    scope_owners: dict[str, str] = {}
    queryset = Organisation.objects.prefetch_related(
        Prefetch("scopes", queryset=Scope.objects.select_related("third_party"))
    )
    for organisation in queryset:
        scopes = list(organisation.scopes.all())
        organisations[organisation.slug] = organisation_spec(organisation, scopes)
        for scope in scopes:
            # A route's scope must not lead back to the shared organisation row.
            scope._state.fields_cache.pop("organisation", None)
            scope_rows[scope.key] = scope
            scope_owners[scope.key] = organisation.slug
        # The prefetched scopes stay behind: callers get the row alone.
        organisation._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        rows[organisation.slug] = organisation
    third_parties = list(ThirdParty.objects.all())
    webhooks: dict[int, list[int]] = {}
    through = Integration.organisations.through
    for integration_id, organisation_id in (
        through.objects.filter(integration__revoked_at__isnull=True)
        .exclude(integration__webhook_url="")
        .order_by("integration_id")
        .values_list("integration_id", "organisation_id")
    ):
        webhooks.setdefault(organisation_id, []).append(integration_id)
    return RegistrySnapshot(
        version=version,
        loaded_at=time.monotonic(),
        organisations=organisations,
        organisation_rows=rows,
        scope_rows=scope_rows,
        scope_owners=scope_owners,
        third_parties={tp.slug: third_party_spec(tp) for tp in third_parties},
        third_party_ids={tp.slug: tp.pk for tp in third_parties},
        webhook_integrations={k: tuple(v) for k, v in webhooks.items()},
    )


def version_key() -> str:
    """Per database: processes of other databases sharing the cache (a test run, a
    benchmark) do not make each other reload."""
    return f"{VERSION_KEY_PREFIX}:{connection.settings_dict['NAME']}"


def _current_version() -> str | None:
    try:
        key = version_key()
        version = cache.get(key)
        if version is None:
            cache.add(key, uuid.uuid4().hex, None)
            version = cache.get(key)
    except Exception:  # the cache is down: no sharing until it is back
        logger.warning("registry snapshot: cache unavailable, reading the database")
        return None
    return str(version) if version is not None else None


def _writer_pending() -> bool:
    """This thread's transaction has written to the registry and is still open."""
    marker = getattr(_local, "marker", None)
    if marker is None:
        return False
    # Django drops a transaction's commit hooks when it rolls back and runs them when it
    # commits: either way the marker leaves the list.
    if connection.in_atomic_block and any(hook[1] is marker for hook in connection.run_on_commit):
        return True
    _local.marker = None
    return False


def _max_age() -> float:
    # A cache of this process alone (no Redis) carries no other process's bumps.
    if "LocMemCache" in settings.CACHES["default"]["BACKEND"]:
        return CHECK_EVERY_SECONDS
    return MAX_AGE_SECONDS


def registry_snapshot() -> RegistrySnapshot:
    """The registry as committed, or as this transaction has written it."""
    global _shared
    if _writer_pending():
        return _load(None)
    shared = _shared
    now = time.monotonic()
    if shared is not None and now - shared.checked_at[0] < CHECK_EVERY_SECONDS:
        return shared
    generation = _generation
    version = _current_version()
    if (
        shared is not None
        and version is not None
        and shared.version == version
        and now - shared.loaded_at < _max_age()
    ):
        shared.checked_at[0] = now
        return shared
    # With the cache down (version None) the snapshot is still kept for a second, so an
    # outage costs one load per second, not one per read.
    snapshot = _load(version)
    snapshot.checked_at[0] = time.monotonic()
    with _lock:
        if generation == _generation:
            _shared = snapshot
    return snapshot


def registry_changed() -> None:
    """Tell every process to reload: now, and again once the change is committed (a
    process that reloads before the commit would otherwise keep the old rows)."""
    _forget()
    _bump()
    if connection.in_atomic_block:

        def bump_after_commit() -> None:
            _bump()

        # Also the sign, while it waits, that this transaction wrote to the registry.
        _local.marker = bump_after_commit
        transaction.on_commit(bump_after_commit)


def registry_snapshot_clear() -> None:
    """Forget this process's snapshot (tests that empty the database)."""
    _forget()
    _local.marker = None


def _forget() -> None:
    global _shared, _generation
    with _lock:
        _shared = None
        _generation += 1


def _bump() -> None:
    _forget()
    try:
        cache.set(version_key(), uuid.uuid4().hex, None)
    except Exception:
        logger.warning("registry snapshot: cache unavailable, other processes reload later")


def _on_change(sender: Any, **kwargs: Any) -> None:
    registry_changed()


def connect_signals() -> None:
    for model in (Organisation, Scope, ThirdParty, Integration):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"registry-snapshot-save-{model}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"registry-snapshot-delete-{model}"
        )
    m2m_changed.connect(
        _on_change,
        sender=Integration.organisations.through,
        dispatch_uid="registry-snapshot-integration-organisations",
    )
