"""Words shown to data subjects for things stored as data: scopes, kinds, countries.

The registry (scope questions and names) is English data in TOML files. Listing the
shipped strings here with ``gettext_noop`` lets makemessages collect them, so the intake
form, the status page and the emails show them in the subject's language; a string staff
add later shows in English until someone translates it. The regimes' labels and the
grounds of refusal are marked where they are defined (routing.clock.regimes,
routing.domain.denials).
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import get_language, gettext, gettext_noop

from routing.clock import REGIMES

# Scope questions and names of the shipped registry (routing/registry_data/*.toml).
REGISTRY_STRINGS = (
    # Callkom
    gettext_noop("I visited callkom.io, filled in a form there or used its chat"),
    gettext_noop("website contact and browsing data"),
    gettext_noop("I have (or had) a user account on the Callkom platform"),
    gettext_noop("platform account data"),
    gettext_noop("My company is or was billed by Callkom"),
    gettext_noop("billing data"),
    gettext_noop("An automated agent called me on behalf of a company"),
    gettext_noop("AI-call data"),
    gettext_noop("Callkom contacted me to sell its services, or I asked it for a demo"),
    gettext_noop("prospecting data"),
    gettext_noop("I applied for a job at Callkom"),
    gettext_noop("job applicants' data"),
    gettext_noop("I work for a supplier or partner of Callkom"),
    gettext_noop("supplier and subprocessor contacts"),
    # Click & Call
    gettext_noop("I have (or had) a Click & Call account"),
    gettext_noop("account data"),
    gettext_noop("I wrote to Click & Call through its website form"),
    gettext_noop("contact-form data"),
    gettext_noop("I called a business with a call button on its website"),
    gettext_noop("call-session data"),
    gettext_noop("My company pays or paid for Click & Call"),
    gettext_noop("I was blocked or rate-limited by Click & Call"),
    gettext_noop("security logs"),
    # Clickacall
    gettext_noop("I enquired about Clickacall's services or my business is a client"),
    gettext_noop("sales-lead and client data"),
    gettext_noop("I visited the Clickacall website"),
    gettext_noop("website visitors' IP addresses"),
    gettext_noop(
        "Clickacall contacts me by phone, email, SMS or social media and I want it to stop"
    ),
    gettext_noop("marketing contact data"),
    gettext_noop("I made a video or voice call to a business through a Clickacall button or link"),
    gettext_noop("call logs of clients' video and voice calls"),
    gettext_noop("My business pays Clickacall, or Clickacall checked its credit"),
    gettext_noop("payment and credit-check data"),
    # Comfile 360
    gettext_noop("A business wrote to me on WhatsApp and I want to know what it holds about me"),
    gettext_noop("WhatsApp conversation data"),
    gettext_noop("I have (or had) an account on Comfile 360, or my company pays for it"),
    gettext_noop("client account data"),
    gettext_noop("I use Comfile 360 and want to know what it records of my use"),
    gettext_noop("service usage data"),
    gettext_noop("I visited the Comfile 360 website"),
    gettext_noop("website visitor data"),
    gettext_noop("I asked Comfile 360 for a demo or receive its marketing messages"),
    gettext_noop("demo-request and marketing data"),
    gettext_noop("I applied for a job at Comfile 360, or work or worked for it"),
    gettext_noop("applicant, employee and contractor data"),
    # ComfortClick
    gettext_noop("I use the ComfortClick Intercom app on my phone or tablet"),
    gettext_noop("app diagnostic data"),
    gettext_noop("I want my Linhome account, calls or messages made through the intercom app"),
    gettext_noop("Linhome account and call data"),
    # Supervisory authorities (authority_name), named where a subject may complain.
    gettext_noop("CNIL"),
    gettext_noop("California Privacy Protection Agency"),
    gettext_noop("Information Commissioner's Office"),
    gettext_noop("Information Commissioner of the Republic of Slovenia"),
)

# What each kind asks for, in plain words, under the regime's label.
KIND_HINTS = {
    "access": gettext_noop(
        "Get a copy of the personal data held about you and learn how it is used."
    ),
    "rectification": gettext_noop("Have wrong or incomplete data about you corrected."),
    "erasure": gettext_noop("Have the personal data held about you deleted."),
    "restriction": gettext_noop(
        "Have the use of your data paused, for example while you dispute it."
    ),
    "portability": gettext_noop(
        "Receive your data in a reusable format, or have it sent elsewhere."
    ),
    "objection": gettext_noop("Object to the use of your data, for example to stop being called."),
    "marketing_objection": gettext_noop("Stop marketing calls, emails or messages."),
    "withdraw_consent": gettext_noop("Withdraw a consent you gave earlier."),
    "opt_out_sale": gettext_noop("Stop the sale or sharing of your personal information."),
    "limit_sensitive": gettext_noop("Limit the use of your sensitive personal information."),
    "post_mortem": gettext_noop("Say what should happen to your data after your death."),
}

# A name for a kind the regime does not name itself.
KIND_NAMES = {
    "access": gettext_noop("Access"),
    "rectification": gettext_noop("Correction"),
    "erasure": gettext_noop("Deletion"),
    "restriction": gettext_noop("Restriction"),
    "portability": gettext_noop("Portability"),
    "objection": gettext_noop("Objection"),
    "marketing_objection": gettext_noop("Stop marketing"),
    "withdraw_consent": gettext_noop("Withdraw consent"),
    "opt_out_sale": gettext_noop("Opt out of sale or sharing"),
    "limit_sensitive": gettext_noop("Limit sensitive information"),
    "post_mortem": gettext_noop("Post-mortem directives"),
}

OTHER_COUNTRY = "ZZ"  # ISO 3166 user-assigned: "another country"

# Countries of residence offered, as (value, name). A value is a country code, or a country
# and region where the region decides the law (US states, Quebec).
COUNTRIES: tuple[tuple[str, str], ...] = (
    ("AT", gettext_noop("Austria")),
    ("BE", gettext_noop("Belgium")),
    ("BG", gettext_noop("Bulgaria")),
    ("HR", gettext_noop("Croatia")),
    ("CY", gettext_noop("Cyprus")),
    ("CZ", gettext_noop("Czechia")),
    ("DK", gettext_noop("Denmark")),
    ("EE", gettext_noop("Estonia")),
    ("FI", gettext_noop("Finland")),
    ("FR", gettext_noop("France")),
    ("DE", gettext_noop("Germany")),
    ("GR", gettext_noop("Greece")),
    ("HU", gettext_noop("Hungary")),
    ("IS", gettext_noop("Iceland")),
    ("IE", gettext_noop("Ireland")),
    ("IT", gettext_noop("Italy")),
    ("LV", gettext_noop("Latvia")),
    ("LI", gettext_noop("Liechtenstein")),
    ("LT", gettext_noop("Lithuania")),
    ("LU", gettext_noop("Luxembourg")),
    ("MT", gettext_noop("Malta")),
    ("NL", gettext_noop("Netherlands")),
    ("NO", gettext_noop("Norway")),
    ("PL", gettext_noop("Poland")),
    ("PT", gettext_noop("Portugal")),
    ("RO", gettext_noop("Romania")),
    ("SK", gettext_noop("Slovakia")),
    ("SI", gettext_noop("Slovenia")),
    ("ES", gettext_noop("Spain")),
    ("SE", gettext_noop("Sweden")),
    ("CH", gettext_noop("Switzerland")),
    ("GB", gettext_noop("United Kingdom")),
    ("US-CA", gettext_noop("United States: California")),
    ("US-CO", gettext_noop("United States: Colorado")),
    ("US-CT", gettext_noop("United States: Connecticut")),
    ("US-VA", gettext_noop("United States: Virginia")),
    ("US", gettext_noop("United States: another state")),
    ("CA-QC", gettext_noop("Canada: Quebec")),
    ("CA", gettext_noop("Canada: another province")),
    ("BR", gettext_noop("Brazil")),
    ("HK", gettext_noop("Hong Kong")),
    ("MA", gettext_noop("Morocco")),
    ("TN", gettext_noop("Tunisia")),
    ("SN", gettext_noop("Senegal")),
    ("AU", gettext_noop("Australia")),
    ("IN", gettext_noop("India")),
    (OTHER_COUNTRY, gettext_noop("Another country")),
)

# An example number with its country code, for phone field errors (ranges reserved for
# drama, so no one real is ever shown).
_PHONE_EXAMPLES = {"FR": "+33 6 39 98 45 67", "GB": "+44 7700 900123", "US": "+1 213 555 0142"}


def translated(text: str) -> str:
    """The subject's-language form of a registry string, or the string itself."""
    return gettext(text) if text else text


def authority_words(name: str) -> str:
    """A supervisory authority as the subject reads it: its name, else a description."""
    return translated(name) or gettext("the data protection authority")


def day_format() -> str:
    """The date format of the active language for days shown to subjects."""
    # Translators: a Django date format (j = day, F = month name, n = month number, Y = year).
    return gettext("j F Y")


def kind_label(regime: str, kind: str) -> str:
    """The regime's own name for ``kind``, translated; a plain name if it has none."""
    row = REGIMES.get(regime)
    label = row.label(kind) if row is not None else None
    return gettext(label or KIND_NAMES.get(kind, kind))


def kind_hint(kind: str) -> str:
    return gettext(KIND_HINTS[kind]) if kind in KIND_HINTS else ""


# Letters that a language's alphabet orders on their own, after their base letter:
# Slovenian's abeceda runs ... c, č, d, ... s, š, t, ... z, ž. ("{" sorts after "z".)
_OWN_LETTERS = {"sl": {"č": "c{", "š": "s{", "ž": "z{"}}


def _sort_key(text: str, language: str | None) -> str:
    letters = _OWN_LETTERS.get((language or "").split("-")[0], {})
    # Other accents must not send "Émirats" after "Zambie".
    return "".join(
        letters.get(char) or unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        for char in text.casefold()
    )


def country_choices() -> list[tuple[str, str]]:
    """Countries in the active language's alphabetical order, "another country" last."""
    named = [(code, gettext(name)) for code, name in COUNTRIES if code != OTHER_COUNTRY]
    language = get_language()
    named.sort(key=lambda item: _sort_key(item[1], language))
    return [*named, (OTHER_COUNTRY, gettext("Another country"))]


def country_name(value: str) -> str:
    for code, name in COUNTRIES:
        if code == value:
            return gettext(name)
    return value


def split_country(value: str) -> tuple[str, str]:
    """("US-CA") -> ("US", "CA"); "another country" has no code."""
    if value == OTHER_COUNTRY or not value:
        return "", ""
    country, _, region = value.partition("-")
    return country, region


def phone_example(country: str) -> str:
    return _PHONE_EXAMPLES.get(country, "+33 6 39 98 45 67")
