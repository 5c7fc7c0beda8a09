"""The customer's one-click acknowledgement of a forwarded request.

GET shows what is acknowledged and a button; only the POST acts, so a mail scanner that
follows links cannot acknowledge in the customer's place.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from routing.models import RouteStatus
from routing.services.actors import Actor
from routing.services.forwarding import InvalidLink, route_from_token
from routing.services.requests import TransitionError, route_mark_acknowledged


@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    try:
        route = route_from_token(token)
    except InvalidLink:
        return render(request, "links/invalid.html", status=404)
    context = {"route": route, "req": route.request, "organisation": route.request.organisation}
    if route.status != RouteStatus.SENT:
        return render(request, "links/acknowledged.html", {**context, "already": True})
    if request.method == "POST":
        label = f"customer link: {route.target_name}"
        try:
            route_mark_acknowledged(route=route, by=Actor.system(label))
        except TransitionError:
            return render(request, "links/acknowledged.html", {**context, "already": True})
        return render(request, "links/acknowledged.html", {**context, "already": False})
    return render(request, "links/acknowledge.html", context)
