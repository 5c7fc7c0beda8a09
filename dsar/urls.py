from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "DSAR routing"
admin.site.site_title = "DSAR routing"
admin.site.index_title = "Privacy desk"

urlpatterns = [
    # Before admin/: the admin's catch-all answers every unknown path under it.
    path("staff/", include("routing.urls_staff")),
    path("admin/", admin.site.urls),
    path("api/", include("routing.api.urls")),
    path("", include("routing.urls")),
    path("", include("routing.urls_public")),
    path("", include("routing.urls_links")),
    # Provider delivery reports, protected by ANYMAIL_WEBHOOK_SECRET (basic auth).
    path("anymail/", include("anymail.urls")),
]
