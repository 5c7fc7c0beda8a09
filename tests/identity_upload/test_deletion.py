"""A proof of identity is deleted once identity is settled or the request closes: the
stored object goes, the row and the events with its SHA-256 stay."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from routing.domain.denials import IDENTITY_GROUND
from routing.models import ActorType, Event, EventType, RequestFile
from routing.services.actors import Actor
from routing.services.identity_proofs import CLOSED, SETTLED
from routing.services.requests import (
    request_deny,
    request_expire_unverified,
    request_resume,
    request_verify,
    request_withdraw,
)
from tests.factories import make_request
from tests.identity_upload.helpers import staff_proof, stored_objects, upload, view_url

pytestmark = pytest.mark.django_db


def _assert_deleted(proof: RequestFile, by: Actor, reason: str, files_dir: Any) -> None:
    proof.refresh_from_db()
    assert stored_objects(files_dir) == []
    assert proof.is_deleted
    assert (proof.deleted_by_type, proof.deleted_by_label, proof.deleted_reason) == (
        by.type,
        by.label,
        reason,
    )
    deleted = Event.objects.get(request=proof.request, type=EventType.FILE_DELETED)
    assert (deleted.actor_type, deleted.actor_label) == (by.type, by.label)
    assert (deleted.data["file_id"], deleted.data["sha256"]) == (proof.pk, proof.sha256)
    assert deleted.data["reason"] == reason


def _subjects_proof(client: Client, awaiting_identity) -> RequestFile:
    request, path = awaiting_identity
    assert upload(client, path).status_code == 302
    return RequestFile.objects.get(request=request)


def test_staff_resuming_the_request_deletes_the_proof(
    client: Client, awaiting_identity, staff_a, sent, files_dir
) -> None:
    proof = _subjects_proof(client, awaiting_identity)
    by = Actor.staff(staff_a)

    with sent():
        request_resume(request=proof.request, by=by, note="Identity checked.")

    _assert_deleted(proof, by, SETTLED, files_dir)


@pytest.mark.parametrize("close", ["deny", "withdraw"])
def test_refusing_or_closing_the_request_deletes_the_proof(
    client: Client, awaiting_identity, staff_a, sent, files_dir, close
) -> None:
    proof = _subjects_proof(client, awaiting_identity)
    by = Actor.staff(staff_a) if close == "deny" else Actor.subject()

    with sent():
        if close == "deny":
            request_deny(request=proof.request, by=by, ground=IDENTITY_GROUND)
        else:
            request_withdraw(request=proof.request, by=by)

    _assert_deleted(proof, by, CLOSED, files_dir)


def test_the_subjects_own_answer_keeps_the_proof_for_staff_to_check(
    client: Client, awaiting_identity, sent, files_dir
) -> None:
    proof = _subjects_proof(client, awaiting_identity)

    with sent():
        request_resume(request=proof.request, by=Actor.subject(), note="Sent it above.")

    proof.refresh_from_db()
    assert not proof.is_deleted
    assert len(stored_objects(files_dir)) == 1


def test_verifying_the_request_deletes_a_proof_staff_added(
    registry, staff_a, sent, files_dir
) -> None:
    request = make_request("callkom", verified=False)
    by = Actor.staff(staff_a)
    proof = staff_proof(request, by)

    with sent():
        request_verify(request=request, by=by, method="document")

    _assert_deleted(proof, by, SETTLED, files_dir)


def test_expiring_an_unconfirmed_request_deletes_its_proof(registry, sent, files_dir) -> None:
    request = make_request("callkom", verified=False)
    proof = staff_proof(request, Actor.system("post room"))

    with sent():
        request_expire_unverified(request=request)

    _assert_deleted(proof, Actor.system(), CLOSED, files_dir)


def test_a_deleted_proof_no_longer_opens_and_who_saw_it_stays_known(
    client: Client, client_a, awaiting_identity, staff_a, sent, files_dir
) -> None:
    proof = _subjects_proof(client, awaiting_identity)
    assert client_a.get(view_url(proof)).status_code == 200

    with sent():
        request_resume(request=proof.request, by=Actor.staff(staff_a))

    assert client_a.get(view_url(proof)).status_code == 404
    viewed = Event.objects.get(type=EventType.FILE_VIEWED)
    assert (viewed.actor_type, viewed.actor_label) == (ActorType.STAFF, staff_a.username)
