"""The registry snapshot: read once per process, refreshed by any change, anywhere."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from routing.domain import registry_snapshot as snapshots
from routing.domain.registry_snapshot import registry_snapshot, version_key
from routing.models import Integration, Organisation, Scope
from routing.selectors.registry import DatabaseRegistry
from routing.services.integrations import integration_create, integration_revoke

# Committed transactions: the snapshot is shared only once what it read is committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_read_costs_no_query(registry, django_assert_num_queries) -> None:
    registry_snapshot()

    with django_assert_num_queries(0):
        snapshot = registry_snapshot()
        DatabaseRegistry(["callkom"]).organisation("callkom")

    assert "callkom:ai-calls" in snapshot.scope_rows


def test_a_saved_change_is_read_at_once(registry) -> None:
    registry_snapshot()
    scope = Scope.objects.get(key="callkom:ai-calls")
    scope.name = "Calls made by the AI agent"
    scope.save()

    spec = registry_snapshot().organisations["callkom"]

    assert {s.key: s.name for s in spec.scopes}["callkom:ai-calls"] == "Calls made by the AI agent"


def test_another_processs_change_is_read_after_the_version_check(registry, monkeypatch) -> None:
    registry_snapshot()
    # Another process changed a row and bumped the shared version; this process has no
    # signal of it, only the version.
    Organisation.objects.filter(slug="callkom").update(name="Callkom SAS")
    cache.set(version_key(), "bumped-elsewhere", None)
    assert registry_snapshot().organisations["callkom"].name != "Callkom SAS", (
        "the version is asked at most once a second"
    )

    monkeypatch.setattr(snapshots, "CHECK_EVERY_SECONDS", 0.0)

    assert registry_snapshot().organisations["callkom"].name == "Callkom SAS"


class Rollback(Exception):
    pass


def _rename_then_roll_back() -> str:
    """Rename in a transaction that is rolled back; the name read inside it."""
    try:
        with transaction.atomic():
            Organisation.objects.filter(slug="callkom").update(name="Uncommitted")
            Organisation.objects.get(slug="callkom").save()  # the signal marks a writer
            seen = registry_snapshot().organisations["callkom"].name
            raise Rollback
    except Rollback:
        return seen


def test_a_transactions_own_writes_are_seen_and_a_rollback_leaves_nothing(registry) -> None:
    registry_snapshot()

    assert _rename_then_roll_back() == "Uncommitted"
    assert registry_snapshot().organisations["callkom"].name != "Uncommitted"


def test_with_the_cache_down_the_database_is_read_once_a_second(
    registry, monkeypatch, django_assert_num_queries
) -> None:
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(snapshots.cache, "get", down)
    registry_snapshot()
    with django_assert_num_queries(0):
        registry_snapshot()

    monkeypatch.setattr(snapshots, "CHECK_EVERY_SECONDS", 0.0)
    with django_assert_num_queries(4):
        registry_snapshot()


def test_after_a_registry_write_commits_reads_are_shared_again(
    registry, django_assert_num_queries
) -> None:
    with transaction.atomic():
        Organisation.objects.get(slug="callkom").save()
        registry_snapshot()
        with django_assert_num_queries(4):
            registry_snapshot()  # this transaction's own view, read each time

    # Later transactions of this thread share the snapshot again.
    with transaction.atomic():
        registry_snapshot()
        with django_assert_num_queries(0):
            registry_snapshot()


def test_after_a_registry_write_rolls_back_reads_are_shared_again(
    registry, django_assert_num_queries
) -> None:
    _rename_then_roll_back()

    with transaction.atomic():
        registry_snapshot()
        with django_assert_num_queries(0):
            registry_snapshot()


def test_a_load_overtaken_by_a_change_is_not_kept(registry, monkeypatch) -> None:
    load = snapshots._load

    def load_while_another_thread_changes(version):
        snapshot = load(version)
        Organisation.objects.filter(slug="callkom").update(name="Changed meanwhile")
        snapshots.registry_changed()
        return snapshot

    monkeypatch.setattr(snapshots, "_load", load_while_another_thread_changes)
    registry_snapshot()
    monkeypatch.setattr(snapshots, "_load", load)

    assert registry_snapshot().organisations["callkom"].name == "Changed meanwhile"


def test_organisation_rows_are_copies(registry) -> None:
    row = registry_snapshot().organisation_row("callkom")
    assert row is not None
    row.name = "Changed by a caller"

    again = registry_snapshot().organisation_row("callkom")
    assert again is not None
    assert again.name != "Changed by a caller"


def test_webhook_integrations_follow_creation_and_revocation(registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    created = integration_create(name="Desk", organisations=[callkom])
    Integration.objects.filter(pk=created.integration.pk).update(
        webhook_url="https://desk.example/hook"
    )
    created.integration.refresh_from_db()
    created.integration.save()
    assert registry_snapshot().webhook_integrations[callkom.pk] == (created.integration.pk,)

    integration_revoke(integration=created.integration)

    assert callkom.pk not in registry_snapshot().webhook_integrations
