from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import Client

from routing.models import Event, Organisation, Request, Route, Status
from routing.services.actors import Actor
from routing.services.intake import IntakeSubmission, intake_confirm, intake_submit
from routing.services.requests import (
    request_deny,
    request_note,
    request_pause,
)
from tests.support.pages import fr, link_in, local_path

pytestmark = pytest.mark.django_db


def confirmed(
    slug: str,
    sent,
    *,
    kinds: tuple[str, ...] = ("access",),
    scopes: tuple[str, ...] = (),
    identifiers: dict[str, str] | None = None,
    country: str = "FR",
    region: str = "",
    language: str = "en",
    gpc: bool = False,
    name: str = "Ada Martin",
    details: str = "",
) -> tuple[Request, str]:
    """A request submitted through the intake and confirmed; returns it and its status path."""
    with sent():
        received = intake_submit(
            organisation=Organisation.objects.get(slug=slug),
            submission=IntakeSubmission(
                kinds=kinds,
                scopes=scopes,
                email="ada@example.org",
                name=name,
                country=country,
                region=region,
                identifiers=identifiers or {},
                details=details,
            ),
            language=language,
            gpc=gpc,
        )
    code = link_in(mail.outbox[-1], "/confirm/").rstrip("/").rsplit("/", 1)[1]
    with sent():
        intake_confirm(code=code)
    received.request.refresh_from_db()
    return received.request, local_path(link_in(mail.outbox[-1], "/s/"))


def ai_call(sent, **kwargs) -> tuple[Request, str]:
    return confirmed(
        "callkom",
        sent,
        kinds=("objection",),
        scopes=("callkom:ai-calls",),
        identifiers={"phone": "+33199001234"},
        **kwargs,
    )


@pytest.mark.parametrize("token", ["unknown-token", "x" * 43, "y" * 500])
def test_an_unknown_token_shows_a_plain_link_not_valid_page(
    client: Client, registry, token: str
) -> None:
    response = client.get(f"/s/{token}/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "This link is not valid" in page
    assert "<h1>This link is not valid</h1>" in page


def test_the_link_of_an_expired_or_purged_request_is_not_valid(
    client: Client, registry, sent
) -> None:
    request, path = ai_call(sent)
    assert client.get(path).status_code == 200

    Request.objects.filter(pk=request.pk).update(purged_at=request.received_at)

    response = client.get(path)
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_an_unknown_token_and_an_expired_confirmation_look_the_same(
    client: Client, registry, sent
) -> None:
    unknown = client.get("/s/unknown-token/").content.decode()
    bad_confirmation = client.get("/confirm/not-a-code/").content.decode()

    def body(page: str) -> str:
        return page.split('<main id="main"', 1)[1]

    assert body(unknown).split("</main>")[0] == body(bad_confirmation).split("</main>")[0]


def test_actions_on_an_unknown_token_are_not_valid_either(client: Client, registry) -> None:
    assert client.post("/s/unknown-token/answer/", {"text": "hi"}).status_code == 404
    assert client.post("/s/unknown-token/withdraw/", {"confirm": "on"}).status_code == 404


def test_the_status_page_shows_reference_status_dates_and_routes(
    client: Client, registry, sent
) -> None:
    request, path = ai_call(sent)

    response = client.get(path)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert request.reference in page
    assert "Being handled" in page
    assert request.effective_due_on.strftime("%-d %B %Y") in page
    assert "Right to object (Art. 21(1))" in page
    assert "was forwarded to Maison Exemple, who called you" in page
    assert "You sent your request to Callkom." in page
    assert "You confirmed your email address." in page
    assert "Your request about your AI-call data was forwarded to Maison Exemple." in page


def test_a_forwarded_route_says_to_whom_and_when(
    client: Client, registry, sent, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), tick=False)
    _request, path = ai_call(sent)

    page = client.get(path).content.decode()

    assert (
        "Your request about your AI-call data was forwarded to Maison Exemple, who called you, "
        "on 3 March 2026" in page
    )
    assert "Being handled" in page


def test_an_unknown_caller_is_searched_for(client: Client, registry, sent) -> None:
    _request, path = confirmed(
        "callkom",
        sent,
        kinds=("objection",),
        scopes=("callkom:ai-calls",),
        identifiers={"phone": "+33199009999"},
    )

    page = client.get(path).content.decode()

    assert (
        "Callkom is finding out which of its customers called you, and will forward your "
        "request about your AI-call data to it." in page
    )


def test_a_pending_forward_says_by_when(client: Client, registry, sent) -> None:
    request, path = ai_call(sent)
    Route.objects.filter(request=request).update(status="pending", sent_at=None)

    page = client.get(path).content.decode()

    assert (
        "Callkom will forward your request about your AI-call data to Maison Exemple, "
        "who called you, by" in page
    )


def test_a_redirect_names_the_third_party_and_links_to_it(client: Client, registry, sent) -> None:
    _request, path = confirmed(
        "comfortclick",
        sent,
        kinds=("access",),
        scopes=("comfortclick:app-diagnostics", "comfortclick:linhome"),
        country="SI",
    )

    page = client.get(path).content.decode()

    assert "For your Linhome account and call data, contact Belledonne Communications" in page
    assert 'href="https://www.linhome.org/privacy-policy/" rel="noreferrer noopener"' in page
    assert "ComfortClick answers for your app diagnostic data itself" in page


def test_a_redirect_to_a_customer_gives_its_address(client: Client, registry, sent) -> None:
    _request, path = confirmed(
        "click-and-call",
        sent,
        kinds=("erasure",),
        scopes=("click-and-call:call-sessions",),
        identifiers={"website": "sunset-plumbing.example"},
        country="US",
        region="CA",
    )

    page = client.get(path).content.decode()

    assert (
        "For your call-session data, contact Sunset Sample Plumbing, whose website you used" in page
    )
    assert 'href="mailto:privacy@sunset-plumbing.example"' in page


def test_staff_notes_are_never_shown(client: Client, registry, sent) -> None:
    request, path = ai_call(sent)
    request_note(request=request, by=Actor.system("staff"), text="Internal: caller seems angry")

    page = client.get(path).content.decode()

    assert "Internal: caller seems angry" not in page
    assert "seems angry" not in page


def test_the_subject_answers_a_clarification_request(client: Client, registry, sent) -> None:
    request, path = ai_call(sent)
    request_pause(request=request, by=Actor.system("staff"), reason="On which day were you called?")

    page = client.get(path).content.decode()
    assert "Waiting for your answer" in page
    assert "On which day were you called?" in page
    assert "the deadline is on hold" in page

    response = client.post(f"{path}answer/", {"text": "On 3 March, at 14:05."})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    resumed = request.events.get(type="resumed")
    assert resumed.actor_type == "subject"
    assert resumed.data["note"] == "On 3 March, at 14:05."
    page = client.get(response["Location"]).content.decode()
    assert "your answer was sent" in page
    assert "On 3 March, at 14:05." in page


@pytest.mark.parametrize(("kinds", "on_hold"), [(("access",), True), (("erasure",), False)])
def test_under_uk_gdpr_only_an_access_request_is_said_to_be_on_hold(
    client: Client, registry, sent, kinds: tuple[str, ...], on_hold: bool
) -> None:
    request, path = confirmed(
        "clickacall", sent, kinds=kinds, scopes=("clickacall:website",), country="GB"
    )
    request_pause(request=request, by=Actor.system("staff"), reason="Which account?")

    page = client.get(path).content.decode()

    assert "Which account?" in page
    assert ("the deadline is on hold" in page) is on_hold


def test_an_empty_answer_is_named(client: Client, registry, sent) -> None:
    request, path = ai_call(sent)
    request_pause(request=request, by=Actor.system("staff"), reason="Which day?")

    response = client.post(f"{path}answer/", {"text": ""})

    assert response.status_code == 400
    assert "Write your answer." in response.content.decode()
    assert Request.objects.get().status == Status.AWAITING_SUBJECT


def test_an_answer_when_nothing_was_asked_changes_nothing(client: Client, registry, sent) -> None:
    _request, path = ai_call(sent)

    response = client.post(f"{path}answer/", {"text": "Hello"})

    assert response.status_code == 409
    assert "This could not be done" in response.content.decode()
    assert not Event.objects.filter(type="resumed").exists()


def test_the_subject_withdraws_after_ticking_the_box(client: Client, registry, sent) -> None:
    request, path = ai_call(sent)

    unticked = client.post(f"{path}withdraw/", {})
    assert unticked.status_code == 400
    assert "Tick the box" in unticked.content.decode()

    response = client.post(f"{path}withdraw/", {"confirm": "on"})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    assert request.events.get(type="withdrawn").actor_type == "subject"
    page = client.get(response["Location"]).content.decode()
    assert "You withdrew your request." in page
    assert "Withdraw my request" not in page  # nothing left to withdraw


def test_a_refusal_gives_the_grounds_and_the_remedy(client: Client, registry, sent) -> None:
    request, path = ai_call(sent)
    request_deny(request=request, by=Actor.system("staff"), ground="excessive")

    page = client.get(path).content.decode()

    assert "Refused" in page
    assert "You may lodge a complaint with CNIL (https://www.cnil.fr)" in page


def test_the_status_page_is_in_the_subjects_language(client: Client, registry, sent) -> None:
    _request, path = ai_call(sent, language="fr")

    page = client.get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Votre demande" in page
    assert "transmise à Maison Exemple, qui vous a appelé, le" in page
    assert fr("Droit d'opposition (art. 21, paragraphe 1)") in page
    assert "Transmettez" not in page


def test_gpc_opt_out_is_honored_once_confirmed(client: Client, registry, sent) -> None:
    request, path = confirmed(
        "click-and-call",
        sent,
        kinds=("opt_out_sale",),
        country="US",
        region="CA",
        gpc=True,
    )

    page = client.get(path).content.decode()

    assert "Opt-out request honored" in page
    assert "Your browser sent a Global Privacy Control signal" in page
    assert request.events.filter(type="gpc_signal").exists()


def test_no_gpc_honored_without_the_signal(client: Client, registry, sent) -> None:
    _request, path = confirmed(
        "click-and-call", sent, kinds=("opt_out_sale",), country="US", region="CA"
    )

    assert "Opt-out request honored" not in client.get(path).content.decode()


def test_route_due_dates_follow_the_route(client: Client, registry, sent) -> None:
    request, _path = ai_call(sent)

    route = Route.objects.get(request=request)

    assert route.due_on == request.forward_due_on
