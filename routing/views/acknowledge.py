"""The customer's one-click acknowledgement of a forwarded request.

GET shows what the link stands for now and, while receipt can still be confirmed, a
button; only the POST acts, so a mail scanner that follows links cannot acknowledge in the
customer's place. The page is in the language the organisation chose for its customers,
as the email that brought them here was.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from routing.presenters.acknowledgement import LINK_ACTOR_PREFIX, acknowledgement_page
from routing.services.actors import Actor
from routing.services.forwarding import InvalidLink, route_from_token
from routing.services.requests import TransitionError, route_mark_acknowledged


@never_cache
@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    try:
        route = route_from_token(token)
    except InvalidLink:
        return render(request, "links/invalid.html", status=404)
    language = route.request.organisation.language_for_customers
    page = acknowledgement_page(route)
    just_confirmed = False
    if request.method == "POST" and page.can_acknowledge:
        label = f"{LINK_ACTOR_PREFIX} {route.target_name}"
        try:
            route_mark_acknowledged(route=route, by=Actor.system(label))
            just_confirmed = True
        except TransitionError:
            pass  # changed in the meantime: the page says what it is now
        route = route_from_token(token)
        page = acknowledgement_page(route)
    with translation.override(language):
        return render(
            request, "links/acknowledge.html", {"page": page, "just_confirmed": just_confirmed}
        )
