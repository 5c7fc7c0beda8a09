"""Grounds on which an organisation refuses a request, and the words its subject reads.

The texts are marked for translation here, where they are defined, so the subject reads
them in their language (the caller activates it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from routing.domain.authorities import EDPB_MEMBERS, authority_for
from routing.domain.vocabulary import authority_words
from routing.models import Request


@dataclass(frozen=True)
class DenialGround:
    code: str
    label: str
    # What the subject reads; {organisation}, {authority} and {authority_url} are filled in.
    subject_text: str


DENIAL_GROUNDS: dict[str, DenialGround] = {
    ground.code: ground
    for ground in (
        DenialGround(
            "manifestly_unfounded",
            "manifestly unfounded",
            gettext_noop(
                "{organisation} will not act on your request because it is manifestly unfounded"
                " (GDPR Art. 12(5)). You may lodge a complaint with {authority} "
                "({authority_url}) and seek a judicial remedy."
            ),
        ),
        DenialGround(
            "excessive",
            "excessive or repetitive",
            gettext_noop(
                "{organisation} will not act on your request because it is excessive, in "
                "particular because it repeats earlier requests (GDPR Art. 12(5)). You may "
                "lodge a complaint with {authority} ({authority_url}) and seek a judicial "
                "remedy."
            ),
        ),
        DenialGround(
            "identity_not_verified",
            "identity not verified",
            gettext_noop(
                "{organisation} could not verify that you are the person the data is about, so "
                "it cannot act on your request (GDPR Art. 12(2) and 12(6)). You may lodge a "
                "complaint with {authority} ({authority_url}) and seek a judicial remedy."
            ),
        ),
        DenialGround(
            "legal_retention",
            "legal retention",
            gettext_noop(
                "{organisation} must keep this data by law (for example billing records, kept "
                "for 10 years), so it cannot be erased; it is kept only for that purpose (GDPR "
                "Art. 17(3)(b)). You may lodge a complaint with {authority} ({authority_url}) "
                "and seek a judicial remedy."
            ),
        ),
        DenialGround(
            "third_party_data",
            "third parties' data",
            gettext_noop(
                "{organisation} cannot give you this data because it would disclose other "
                "people's personal data (GDPR Art. 15(4)). You may lodge a complaint with "
                "{authority} ({authority_url}) and seek a judicial remedy."
            ),
        ),
        DenialGround(
            "no_data_held",
            "no data held",
            gettext_noop(
                "{organisation} holds no personal data about you in the scope of your request. "
                "You may lodge a complaint with {authority} ({authority_url}) and seek a "
                "judicial remedy."
            ),
        ),
    )
}


# Offered only once the subject was asked for proof of identity.
IDENTITY_GROUND = "identity_not_verified"


def grounds_offered(*, identity_asked: bool) -> list[DenialGround]:
    """The grounds staff may choose for a request, in table order."""
    return [
        ground
        for ground in DENIAL_GROUNDS.values()
        if identity_asked or ground.code != IDENTITY_GROUND
    ]


def denial_text(request: Request) -> str:
    """The words the subject reads for the request's ground of refusal, in the active
    language (the caller sets the subject's)."""
    ground = DENIAL_GROUNDS[request.denial_ground]
    authority = authority_for(request)
    return gettext(ground.subject_text).format(
        organisation=request.organisation.name,
        authority=authority_words(authority.name),
        authority_url=authority.url or EDPB_MEMBERS,
    )
