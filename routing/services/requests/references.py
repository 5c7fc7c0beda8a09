"""Gap-free references per organisation and year (CALLKOM-2026-000042)."""

from __future__ import annotations

from django.db import connection

from routing.models import Organisation, ReferenceCounter


def next_reference(organisation: Organisation, year: int) -> str:
    """The next reference of the organisation's year. The counter row stays locked until
    the transaction ends, so callers take it as late as they can."""
    if not _can_update_returning():
        return _next_reference_locked(organisation, year)
    qn = connection.ops.quote_name
    # One statement instead of a locked read and a write; only quoted names are formatted
    # in, the values are parameters.
    sql = (
        f"UPDATE {qn(ReferenceCounter._meta.db_table)} SET {qn('last')} = {qn('last')} + 1 "  # noqa: S608
        f"WHERE {qn('organisation_id')} = %s AND {qn('year')} = %s RETURNING {qn('last')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation.pk, year])
        row = cursor.fetchone()
    if row is None:  # the year's first request
        return _next_reference_locked(organisation, year)
    return f"{organisation.reference_prefix}-{year}-{int(row[0]):06d}"


def _next_reference_locked(organisation: Organisation, year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{organisation.reference_prefix}-{year}-{counter.last:06d}"


def _can_update_returning() -> bool:
    # PostgreSQL always; SQLite from 3.35, where Django also returns ids from bulk inserts.
    return connection.vendor != "sqlite" or connection.features.can_return_rows_from_bulk_insert
