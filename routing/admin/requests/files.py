"""The request page's files: the list, the upload form and a delete with its reason.

Both forms post to views of their own, which call the file services and redirect back to
the page with the outcome as a message. A proof of identity opens in the browser, for
staff to check it, and never in a cache.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header
from django.utils.text import Truncator

from routing.admin.requests.actions import RequestActionsMixin, error_text, form_errors
from routing.admin.requests.forms import FileDeleteForm, FileUploadForm
from routing.admin.tenancy import NotFoundAdmin
from routing.models import FilePurpose, Request, RequestFile
from routing.presenters.formats import format_datetime
from routing.selectors.files import organisation_scopes, request_file, request_files
from routing.selectors.identity_proofs import identity_proof
from routing.selectors.parts import kind_name, request_parts_list
from routing.services.actors import Actor
from routing.services.files import file_chunks, file_delete, file_store
from routing.services.identity_proofs import identity_proof_viewed

ANCHOR = "files"


class RequestFilesMixin(RequestActionsMixin, NotFoundAdmin):
    def file_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/files/",
                self.admin_site.admin_view(self.file_upload_view),
                name="{}_{}_file_upload".format(*info),
            ),
            path(
                "<path:object_id>/files/<int:file_id>/delete/",
                self.admin_site.admin_view(self.file_delete_view),
                name="{}_{}_file_delete".format(*info),
            ),
            path(
                "<path:object_id>/files/<int:file_id>/view/",
                self.admin_site.admin_view(self.file_view_view),
                name="{}_{}_file_view".format(*info),
            ),
        ]

    def _file_view_url(self, obj: Request, file: RequestFile) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_file_view",
            args=[obj.pk, file.pk],
            current_app=self.admin_site.name,
        )

    def _files_url(self, obj: Request) -> str:
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        return f"{url}#{ANCHOR}"

    def _acting_on(self, request: HttpRequest, object_id: str) -> Request:
        obj: Request = self.get_object(request, unquote(object_id))
        if not self.has_act_permission(request):
            raise PermissionDenied
        return obj

    def file_upload_view(self, request: HttpRequest, object_id: str) -> HttpResponseBase:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._acting_on(request, object_id)
        form = _upload_form(obj, request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, f"Add a file: {form_errors(form)}")
            return HttpResponseRedirect(self._files_url(obj))
        upload = form.cleaned_data["file"]
        try:
            stored = file_store(
                request=obj,
                purpose=form.cleaned_data["purpose"],
                content=upload,
                name=upload.name or "",
                by=Actor.staff(request.user),
                kind=form.cleaned_data["kind"] or "",
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as error:
            messages.error(request, f"{Truncator(upload.name).chars(80)}: {error_text(error)}")
        else:
            messages.success(request, f"{obj.reference}: {stored.name} added.")
        return HttpResponseRedirect(self._files_url(obj))

    def file_delete_view(
        self, request: HttpRequest, object_id: str, file_id: int
    ) -> HttpResponseBase:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._acting_on(request, object_id)
        file = request_file(obj, file_id)
        if file is None:
            raise Http404("No such file on this request.")
        form = FileDeleteForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"Delete {file.name}: {form_errors(form)}")
            return HttpResponseRedirect(self._files_url(obj))
        try:
            file_delete(file=file, by=Actor.staff(request.user), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, f"Delete {file.name}: {error_text(error)}")
        else:
            messages.success(request, f"{obj.reference}: {file.name} deleted.")
        return HttpResponseRedirect(self._files_url(obj))

    def file_view_view(
        self, request: HttpRequest, object_id: str, file_id: int
    ) -> HttpResponseBase:
        """A live proof of identity, shown inline; each opening is an event."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        # Another organisation's request is a 404 here (NotFoundAdmin).
        obj: Request = self.get_object(request, unquote(object_id))
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        file = identity_proof(obj, file_id)
        if file is None:
            raise Http404("No such proof of identity on this request.")
        identity_proof_viewed(file=file, by=Actor.staff(request.user))
        response = StreamingHttpResponse(file_chunks(file), content_type=file.content_type)
        response["Content-Disposition"] = str(content_disposition_header(False, file.name))
        response["Content-Length"] = str(file.size)
        # A copy of an identity document must not outlive its deletion in any cache.
        response["Cache-Control"] = "no-store, private"
        response["X-Content-Type-Options"] = "nosniff"
        # Whatever the file holds runs nothing with the admin's origin.
        response["Content-Security-Policy"] = "sandbox"
        return response

    def files_context(self, request: HttpRequest, obj: Request, can_act: bool) -> dict[str, Any]:
        zone = obj.organisation.timezone
        return {
            "files": [
                _file_row(obj, file, zone) | {"view_url": self._viewable_url(obj, file)}
                for file in request_files(obj)
            ],
            "file_form": _upload_form(obj, auto_id="file-%s") if can_act else None,
            "file_delete_form": FileDeleteForm(auto_id=False) if can_act else None,
        }

    def _viewable_url(self, obj: Request, file: RequestFile) -> str:
        if file.purpose != FilePurpose.IDENTITY or file.is_deleted:
            return ""
        return self._file_view_url(obj, file)


def _upload_form(obj: Request, *args: Any, **kwargs: Any) -> FileUploadForm:
    parts = [(part.kind, kind_name(obj, part.kind)) for part in request_parts_list(obj)]
    return FileUploadForm(
        *args, parts=parts, scopes=organisation_scopes(obj.organisation_id), **kwargs
    )


def _file_row(obj: Request, file: RequestFile, zone: str) -> dict[str, Any]:
    return {
        "file": file,
        "purpose": file.get_purpose_display(),
        "part": kind_name(obj, file.kind) if file.kind else "",
        "scope": file.scope.key if file.scope is not None else "",
        "sha256_prefix": file.sha256[:12],
        "added_at": format_datetime(file.created_at, zone),
        "added_by": file.created_by_label or file.get_created_by_type_display(),
        "deleted_at": format_datetime(file.deleted_at, zone) if file.is_deleted else "",
        "deleted_by": file.deleted_by_label or file.get_deleted_by_type_display(),
    }
