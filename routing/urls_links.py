"""Links sent by email to people outside the service (customers)."""

from django.urls import path

from routing.views.acknowledge import acknowledge

urlpatterns = [
    path("ack/<str:token>/", acknowledge, name="route-acknowledge"),
]
