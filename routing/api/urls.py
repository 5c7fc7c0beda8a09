"""The REST API for ticketing integrations, under /api/ (see routing/api/views)."""

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.utils import extend_schema
from rest_framework.routers import SimpleRouter

from routing.api.views.docs import DocsView, NotFoundView, SchemaView
from routing.api.views.events import EventsView
from routing.api.views.files import RequestFilesView, ResponseManifestView
from routing.api.views.registry import CustomerViewSet, OrganisationViewSet, ScopeViewSet
from routing.api.views.requests import RequestViewSet
from routing.api.views.tools import DeadlinesView, RoutingPreviewView

router = SimpleRouter()
router.register("requests", RequestViewSet, basename="api-request")
router.register("organisations", OrganisationViewSet, basename="api-organisation")
router.register("scopes", ScopeViewSet, basename="api-scope")
router.register("customers", CustomerViewSet, basename="api-customer")


@extend_schema(exclude=True)
class RoutingPreviewAlias(RoutingPreviewView):
    """The preview's path is spelled without a slash; the slash form works too, left out
    of the schema."""


v1: list[URLPattern | URLResolver] = [
    path("events/", EventsView.as_view(), name="api-events"),
    path("routing/preview", RoutingPreviewView.as_view(), name="api-routing-preview"),
    path("routing/preview/", RoutingPreviewAlias.as_view()),
    path("deadlines/", DeadlinesView.as_view(), name="api-deadlines"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("requests/<int:id>/files/", RequestFilesView.as_view(), name="api-request-files"),
    path(
        "requests/<int:id>/files/manifest/",
        ResponseManifestView.as_view(),
        name="api-request-files-manifest",
    ),
    *router.urls,
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(v1)),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Any other path, even one with a newline in it.
    re_path(r"", NotFoundView.as_view()),
]
