from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from routing.models import Membership, OutboundMessage
from routing.services.actors import Actor
from routing.services.reminders import digests_send, reminders_sweep
from routing.services.requests import request_assign
from tests.factories import OrganisationFactory, StaffFactory, make_request

pytestmark = pytest.mark.django_db


def test_staff_who_chose_the_digest_get_one_email_a_day_instead_of_reminders(
    time_machine,
) -> None:
    organisation = OrganisationFactory.create()
    staff: Any = StaffFactory(
        username="noor", email="noor@desk.example", organisations=[organisation]
    )
    Membership.objects.filter(user_id=staff.pk).update(daily_digest=True)
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    soon = make_request(organisation, email="a@example.org")
    later = make_request(organisation, email="b@example.org", kinds=("erasure",))
    for request in (soon, later):
        request_assign(request=request, assignee=staff, by=Actor.staff(staff))
    # One is due within the week, the other is not.
    type(soon).objects.filter(pk=soon.pk).update(
        effective_due_on=timezone.now().date() + timedelta(days=3),
        next_reminder_at=timezone.now() - timedelta(minutes=1),
    )

    reminders_sweep()
    first = digests_send()
    second = digests_send()

    assert (first, second) == (1, 0)
    assert not OutboundMessage.objects.filter(template="staff_reminder").exists()
    digest = OutboundMessage.objects.get(template="staff_digest")
    assert digest.recipient == "noor@desk.example"
    assert soon.reference in digest.body_text
    assert later.reference not in digest.body_text
