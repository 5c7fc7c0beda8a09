"""Pages for data subjects (the intake form, the status page)."""

from django.urls import URLPattern, URLResolver, include, path

from routing.views import downloads, identity_upload, intake, status

urlpatterns: list[URLPattern | URLResolver] = [
    path("", intake.chooser, name="intake-chooser"),
    path("o/<slug:slug>/request/", intake.intake_form, name="intake-form"),
    path("o/<slug:slug>/request/sent/", intake.intake_sent, name="intake-sent"),
    path(
        "o/<slug:slug>/request/sent/<str:code>/",
        intake.intake_sent,
        name="intake-sent-reference",
    ),
    path("confirm/<str:code>/", intake.confirm, name="intake-confirm"),
    path("s/<str:token>/", status.status, name="status"),
    path("s/<str:token>/answer/", status.status_answer, name="status-answer"),
    path("s/<str:token>/withdraw/", status.status_withdraw, name="status-withdraw"),
    path("s/<str:token>/identity/", identity_upload.identity_upload, name="status-identity"),
    path("s/<str:token>/files/", downloads.files, name="status-files"),
    path("s/<str:token>/files/code/", downloads.files_code, name="status-files-code"),
    path("s/<str:token>/files/<int:file_id>/", downloads.file_download, name="status-file"),
    path(".well-known/gpc.json", intake.gpc_json, name="gpc-json"),
    path("i18n/", include("django.conf.urls.i18n")),
]
