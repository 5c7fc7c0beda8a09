"""Tenancy in the admin: staff see and act on their own organisations' rows only.

A staff user belongs to organisations through ``Membership``; a superuser sees all. Every
routing admin scopes its queryset, its foreign-key choices and its organisation filter, and
answers a foreign or missing object's URL with a 404, as every foreign id must be (Django's
admin would redirect with a "doesn't exist" message instead). Memberships themselves are
managed here by superusers only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest

from routing.models import Customer, Membership, Organisation, Request, Scope
from routing.selectors.staff import staff_assignable_to_any
from routing.selectors.tenancy import visible_organisation_ids, visible_organisations

_CACHE_ATTRIBUTE = "_routing_visible_organisation_ids"


def visible_ids(request: HttpRequest) -> list[int] | None:
    """The user's organisation ids, or None for a superuser (no restriction).

    Kept on the request, so a page that scopes several querysets asks once.
    """
    user: Any = request.user
    if user.is_active and user.is_superuser:
        return None
    if not hasattr(request, _CACHE_ATTRIBUTE):
        setattr(request, _CACHE_ATTRIBUTE, visible_organisation_ids(user))
    ids: list[int] = getattr(request, _CACHE_ATTRIBUTE)
    return ids


def scope_to_organisations(
    queryset: QuerySet[Any], request: HttpRequest, path: str
) -> QuerySet[Any]:
    """``queryset`` restricted to rows whose ``path`` (e.g. ``request__organisation``) is
    one of the user's organisations."""
    ids = visible_ids(request)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": ids})


def tenant_choices(model: Any, request: HttpRequest) -> QuerySet[Any] | None:
    """Choices of a foreign key to ``model`` the user may pick, or None if not tenanted."""
    if model is Organisation:
        return visible_organisations(request.user)
    if model in (Customer, Scope, Request):
        return scope_to_organisations(model._default_manager.all(), request, "organisation")
    if model is get_user_model():
        # Users are chosen as colleagues: those who may be assigned a request the user sees.
        return staff_assignable_to_any(visible_ids(request))
    return None


class TenantFormFieldsMixin:
    """Limits foreign-key choices in forms and inlines to the user's organisations."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        choices = tenant_choices(db_field.related_model, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        choices = tenant_choices(db_field.related_model, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class NotFoundAdmin(admin.ModelAdmin):
    """A missing object is a 404 for every view that loads one: change, history, delete."""

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} matches the given query.")
        return obj


class TenantAdmin(TenantFormFieldsMixin, NotFoundAdmin):
    """A model admin whose rows belong to an organisation through ``tenant_path``."""

    tenant_path = "organisation"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_to_organisations(super().get_queryset(request), request, self.tenant_path)


class TenantInline(TenantFormFieldsMixin, admin.TabularInline):
    pass


class OrganisationListFilter(admin.RelatedFieldListFilter):
    """The organisation filter, listing only the user's organisations."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[Any, Any]]:
        return [(o.pk, str(o)) for o in visible_organisations(request.user).order_by("name")]


class SuperuserWritesMixin:
    """Shared rows every staff user may read; only a superuser changes them."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(request.user.is_superuser) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class SuperuserOnlyAdmin(NotFoundAdmin):
    """Rows that grant access (memberships, integrations): only superusers see or change
    them; for anyone else they do not exist."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Membership)
class MembershipAdmin(SuperuserOnlyAdmin):
    """Who belongs to which organisation: granting access is a superuser's decision only."""

    list_display = ["user", "organisation", "daily_digest", "created_at"]
    list_filter = ["organisation", "daily_digest"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
