"""Links sent by email to people outside the service (customers, recipients of data)."""

from django.urls import path

from routing.views.acknowledge import acknowledge
from routing.views.recipient_acknowledge import recipient_acknowledge_view

urlpatterns = [
    # Before ack/<token>/, which would otherwise take "r" for a token.
    path("ack/r/<str:token>/", recipient_acknowledge_view, name="recipient-acknowledge"),
    path("ack/<str:token>/", acknowledge, name="route-acknowledge"),
]
