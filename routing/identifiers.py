"""Normalisers for the identifiers a data subject gives to find an organisation's customer.

Pure functions: no Django, no database. The routing planner, the intake form, the API and the
registry loader all store and compare identifiers in the forms produced here, so that one
customer is found whichever way the subject typed the number or the address.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import unicodedata
from dataclasses import dataclass

import idna
import phonenumbers

IDENTIFIER_TYPES = ("phone", "website", "whatsapp")

# C0 and C1 controls (CR and LF among them), the Unicode line and paragraph separators, and
# the bidirectional embeddings, overrides and isolates: in a name or an address they could
# split an email header or reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def has_control_characters(value: str) -> bool:
    """True if ``value`` holds a line break, a control character or a bidi control."""
    return bool(_CONTROL.search(value))


def has_invisible_characters(value: str) -> bool:
    """True if ``value`` holds a control character or an invisible format character
    (zero-width space, soft hyphen, direction marks...). No email address needs one, and
    IDNA 2003, which validates an address's domain, silently drops some of them."""
    return has_control_characters(value) or any(
        unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value
    )


class InvalidIdentifier(ValueError):
    """An identifier that cannot be normalised; ``field`` names the input it came from."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NormalisedPhone:
    e164: str
    is_valid: bool
    warning: str | None


_POSSIBLE_REASONS = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "has no known country calling code",
    phonenumbers.ValidationResult.TOO_SHORT: "is too short to be a phone number",
    phonenumbers.ValidationResult.TOO_LONG: "is too long to be a phone number",
    phonenumbers.ValidationResult.INVALID_LENGTH: "does not have a length used by its country",
}


def normalise_phone(
    value: str, *, default_region: str | None, field: str = "phone"
) -> NormalisedPhone:
    """Return ``value`` in E.164.

    ``default_region`` (ISO 3166-1 alpha-2, e.g. "FR") reads numbers written in national form.
    A number that is *possible* but not *valid* is accepted with a warning: numbering plans change
    faster than the metadata, and a subject must not be refused because of stale data.
    """
    text = value.strip()
    if not text:
        raise InvalidIdentifier(field, "is empty; give a phone number, e.g. +33 1 99 00 12 34")
    region = default_region.upper() if default_region else None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            if region is None and not text.startswith("+"):
                message = f"{text!r} needs its international prefix (e.g. +33 or +44)"
            else:
                message = f"{text!r} has no known country calling code"
        else:
            message = f"{text!r} is not a phone number"
        raise InvalidIdentifier(field, message) from exc
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason not in (
        phonenumbers.ValidationResult.IS_POSSIBLE,
        phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    ):
        explanation = _POSSIBLE_REASONS.get(reason, "is not a possible phone number")
        raise InvalidIdentifier(field, f"{text!r} {explanation}")
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        # A local-only number cannot be dialled from elsewhere, so it cannot identify anyone.
        raise InvalidIdentifier(field, f"{text!r} lacks its area code")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    is_valid = phonenumbers.is_valid_number(number)
    warning = None
    if not is_valid:
        warning = (
            f"{e164} is a possible number but not a valid one according to current numbering "
            "data; it was kept, check it with the subject if nothing matches"
        )
    return NormalisedPhone(e164=e164, is_valid=is_valid, warning=warning)


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def normalise_domain(value: str, *, field: str = "website") -> str:
    """Return the registrable host of a website address, lower-case and IDNA-encoded.

    "https://www.Maison.Example/contact?x=1" and "maison.example" both give "maison.example";
    "café.example" gives "xn--caf-dma.example". Scheme, path, query, port and one leading
    "www." are dropped, because subjects paste whatever their browser shows.
    """
    text = value.strip()
    if not text:
        raise InvalidIdentifier(field, "is empty; give a website address, e.g. maison.example")
    host = _SCHEME.sub("", text, count=1)
    host = re.split(r"[/?#\\]", host, maxsplit=1)[0]
    if "@" in host:
        raise InvalidIdentifier(
            field, f"{text!r} looks like an email address; give the website, e.g. maison.example"
        )
    if host.startswith("["):
        raise InvalidIdentifier(field, f"{text!r} is an IP address, not a website domain")
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if not host or any(ch.isspace() for ch in host):
        raise InvalidIdentifier(field, f"{text!r} is not a website domain")
    host = host.rstrip(".")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise InvalidIdentifier(field, f"{text!r} is an IP address, not a website domain")
    try:
        # UTS #46 mapping lower-cases and normalises the Unicode form the way browsers do.
        encoded = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InvalidIdentifier(field, f"{text!r} is not a website domain ({exc})") from exc
    labels = encoded.split(".")
    if labels[0] == "www" and len(labels) > 2:
        labels = labels[1:]
    if len(labels) < 2:
        raise InvalidIdentifier(
            field, f"{text!r} has no top-level domain; give the full domain, e.g. maison.example"
        )
    if not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InvalidIdentifier(field, f"{text!r} is not a website domain")
    domain = ".".join(labels)
    if len(domain) > 253:
        raise InvalidIdentifier(field, f"{text!r} is longer than a domain name can be")
    return domain


def display_domain(domain: str) -> str:
    """The Unicode form of a normalised domain, for people to read.

    "xn--caf-dma.example" gives "café.example"; anything undecodable is returned unchanged.
    """
    try:
        return idna.decode(domain)
    except idna.IDNAError:
        return domain


def normalise_identifier(kind: str, value: str, *, default_region: str | None) -> str:
    """Normalise one identifier of ``kind``; a WhatsApp number follows the phone rules.

    Returns the stored form only; callers that show the possible-but-not-valid warning call
    :func:`normalise_phone` themselves.
    """
    if kind in ("phone", "whatsapp"):
        return normalise_phone(value, default_region=default_region, field=kind).e164
    if kind == "website":
        return normalise_domain(value, field=kind)
    raise InvalidIdentifier(
        "type", f"unknown identifier type {kind!r} (valid: {', '.join(IDENTIFIER_TYPES)})"
    )


def display_phone(e164: str) -> str:
    """A stored E.164 number grouped for people to read: "+33199001234" gives
    "+33 1 99 00 12 34"; anything unparsable is returned unchanged."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# Cyrillic and Greek letters drawn like Latin ones once case-folded, so that a look-alike
# address gets no allowance of its own. The common cases, not the whole of UTS #39.
_LOOK_ALIKES = str.maketrans(
    {
        unicodedata.lookup(name): latin
        for latin, name in (
            ("a", "CYRILLIC SMALL LETTER A"),
            ("c", "CYRILLIC SMALL LETTER ES"),
            ("d", "CYRILLIC SMALL LETTER KOMI DE"),
            ("e", "CYRILLIC SMALL LETTER IE"),
            ("g", "LATIN SMALL LETTER SCRIPT G"),
            ("h", "CYRILLIC SMALL LETTER SHHA"),
            ("i", "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"),
            ("j", "CYRILLIC SMALL LETTER JE"),
            ("l", "CYRILLIC SMALL LETTER PALOCHKA"),
            ("o", "CYRILLIC SMALL LETTER O"),
            ("p", "CYRILLIC SMALL LETTER ER"),
            ("q", "CYRILLIC SMALL LETTER QA"),
            ("s", "CYRILLIC SMALL LETTER DZE"),
            ("w", "CYRILLIC SMALL LETTER WE"),
            ("x", "CYRILLIC SMALL LETTER HA"),
            ("y", "CYRILLIC SMALL LETTER U"),
            ("a", "GREEK SMALL LETTER ALPHA"),
            ("i", "GREEK SMALL LETTER IOTA"),
            ("k", "GREEK SMALL LETTER KAPPA"),
            ("o", "GREEK SMALL LETTER OMICRON"),
            ("p", "GREEK SMALL LETTER RHO"),
            ("u", "GREEK SMALL LETTER UPSILON"),
            ("v", "GREEK SMALL LETTER NU"),
            ("x", "GREEK SMALL LETTER CHI"),
        )
    }
)
# Full stops IDNA reads as the dot between labels (ideographic, fullwidth, halfwidth).
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
# Longer than any address the form accepts (254); bounds the work on a hostile post.
_MAX_EMAIL_KEY_INPUT = 1000


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")


def email_rate_key(value: str) -> str:
    """One key for every spelling of the same mailbox, for the per-email intake limit.

    Case and compatibility forms (NFKC, case folding), invisible format characters, a
    "+tag" after the local part, a domain's punycode (``xn--``) or Unicode form and the
    common Cyrillic and Greek look-alikes of Latin letters all give the same key. Not a
    validator: a value that is no address is folded the same way and still counted.
    """
    text = _fold(value.strip()[:_MAX_EMAIL_KEY_INPUT]).translate(_DOTS)
    local, at, domain = text.rpartition("@")
    if not at:
        return text.translate(_LOOK_ALIKES)
    local = local.split("+", 1)[0]
    labels = []
    for label in domain.rstrip(".").split("."):
        if label.startswith("xn--"):
            # Not valid punycode: kept as typed.
            with contextlib.suppress(UnicodeError):
                label = label[4:].encode("ascii").decode("punycode")
        labels.append(label)
    return f"{local}@{_fold('.'.join(labels))}".translate(_LOOK_ALIKES)
