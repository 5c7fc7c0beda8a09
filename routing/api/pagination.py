"""Cursor pagination: stable under inserts, and a page costs one query however deep."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class RequestCursorPagination(CursorPagination):
    # Newest first by id: unique and never changes, so a cursor never skips or repeats a
    # row when others are created or updated meanwhile.
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class RegistryCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
