"""Whether a request's subject was asked to prove who they are."""

from __future__ import annotations

from routing.models import Event, EventType, Request, WaitingFor


def identity_asked(request: Request) -> bool:
    """True once staff paused the request for proof of identity (now or earlier).

    Refusing because identity was not verified is only fair when proof was asked for
    (GDPR Art. 12(6) lets the controller ask; it cannot refuse for an answer it never sought).
    """
    if request.waiting_for == WaitingFor.IDENTITY:
        return True
    if request.pk is None:
        return False
    return Event.objects.filter(
        request=request, type=EventType.PAUSED, data__waiting_for=WaitingFor.IDENTITY
    ).exists()
