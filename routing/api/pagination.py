"""Cursor pagination: stable under inserts, and a page costs one query however deep."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination

# The position is an id (a bigint): anything else in a crafted cursor is refused before it
# reaches the query, where it raised (a text id) or overflowed the column (a huge one).
_BIGINT_MAX = 2**63 - 1


class IdCursorPagination(CursorPagination):
    """Ordered by id. A cursor that does not decode answers 404 (DRF's "Invalid cursor");
    one that decodes to a position that is not an id answers 400."""

    def decode_cursor(self, request: Any) -> Cursor | None:
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        position = str(cursor.position)
        if not (position.isascii() and position.isdigit()) or int(position) > _BIGINT_MAX:
            raise self._invalid()
        return cursor

    def _invalid(self) -> ValidationError:
        return ValidationError({self.cursor_query_param: [str(self.invalid_cursor_message)]})


class RequestCursorPagination(IdCursorPagination):
    # Newest first by id: unique and never changes, so a cursor never skips or repeats a
    # row when others are created or updated meanwhile.
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class RegistryCursorPagination(IdCursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
