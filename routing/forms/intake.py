"""The intake form: built from one organisation's scopes and kinds, validated at the edge.

Every error names its field and keeps what was valid. Phone numbers are read against the
country the subject lives in; names and addresses refuse line breaks and control
characters; every field has a size limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from routing.clock import REGIMES
from routing.domain.vocabulary import (
    country_choices,
    country_name,
    kind_hint,
    kind_label,
    phone_example,
    split_country,
    translated,
)
from routing.forms.fields import LongTextField, PlainSelect, SingleLineEmailField, SingleLineField
from routing.identifiers import InvalidIdentifier, normalise_domain, normalise_phone
from routing.models import Organisation, Scope
from routing.presenters.identifiers import phone_label
from routing.services.intake import IntakeSubmission

MAX_DETAILS = 5000
HONEYPOT = "homepage"
# A hidden field that says "I saw the warning; this number is right as typed".
CONFIRMED_SUFFIX = "_as_typed"

# The hints' example numbers, written as a phone shows a call from the organisation's
# country, from the ranges kept for fiction that the phone check (phonenumbers) accepts as
# valid; tests/intake/test_phone_examples.py reads each through the form.
CALLER_EXAMPLES = {"FR": "01 99 00 12 34", "GB": "020 7946 0123", "US": "(213) 555-0142"}
CALLER_EXAMPLE_INTERNATIONAL = "+33 1 99 00 12 34"
WHATSAPP_EXAMPLE = "+44 20 7946 0123"

# Identifier fields, in the order shown, and the scope identifier type each one fills.
IDENTIFIER_FIELDS = (
    ("caller_phone", "phone"),
    ("call_time", "phone"),
    ("website", "website"),
    ("whatsapp", "whatsapp"),
)


@dataclass(frozen=True)
class Choice:
    """One checkbox of a group, with its hint and the fields it reveals."""

    widget: Any
    label: str
    hint: str = ""
    fields: tuple[BoundField, ...] = ()


def regime_for_form(organisation: Organisation) -> str:
    """The kinds are named in the words of the organisation's own regime."""
    return organisation.default_regime if organisation.default_regime in REGIMES else "gdpr"


def caller_example(organisation: Organisation) -> str:
    """A number that called, as the subject's phone shows it: national to the organisation's
    country, which the form also reads it against."""
    return CALLER_EXAMPLES.get(organisation.country, CALLER_EXAMPLE_INTERNATIONAL)


def offered_kinds(organisation: Organisation, *, gpc: bool) -> list[str]:
    kinds = list(organisation.kinds)
    if gpc and "opt_out_sale" in kinds:
        # The browser asked for an opt-out: offer it first.
        kinds.remove("opt_out_sale")
        kinds.insert(0, "opt_out_sale")
    return kinds


def gpc_applies(organisation: Organisation, gpc: bool) -> bool:
    return gpc and regime_for_form(organisation) == "ccpa" and "opt_out_sale" in organisation.kinds


class IntakeForm(forms.Form):
    email = SingleLineEmailField(
        label=gettext_lazy("Your email address"),
        max_length=254,
        help_text=gettext_lazy("We send a link to it: your request starts once you confirm."),
    )
    name = SingleLineField(label=gettext_lazy("Your name"), max_length=200, required=False)
    phone = SingleLineField(
        label=gettext_lazy("Your phone number"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("It helps find calls made to you."),
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country where you live"),
        widget=PlainSelect,
        help_text=gettext_lazy("It decides which privacy law applies and your answer's deadline."),
    )
    details = LongTextField(
        label=gettext_lazy("Anything else we should know"),
        max_length=MAX_DETAILS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": ngettext_lazy(
                "Your text has %(show_value)d character; the limit is %(limit_value)d. "
                "Shorten it, then send the form again.",
                "Your text has %(show_value)d characters; the limit is %(limit_value)d. "
                "Shorten it, then send the form again.",
                "show_value",
            )
        },
    )
    # Hidden from people by the stylesheet; a bot that fills every field fills this one.
    homepage = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        scopes: list[Scope],
        gpc: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.scope_list = scopes
        self.unchecked_phones: list[tuple[str, str]] = []
        self.gpc = gpc_applies(organisation, gpc)
        regime = regime_for_form(organisation)
        kinds = offered_kinds(organisation, gpc=self.gpc)
        self.kind_hints = {kind: kind_hint(kind) for kind in kinds}
        self.fields["kinds"] = forms.MultipleChoiceField(
            label=_("What do you want %(organisation)s to do?")
            % {"organisation": organisation.name},
            choices=[(kind, kind_label(regime, kind)) for kind in kinds],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one thing to ask for.")},
            initial=["opt_out_sale"] if self.gpc else [],
        )
        self.fields["scopes"] = forms.MultipleChoiceField(
            label=_("What is your request about?"),
            help_text=_(
                "Tick what applies. If you are not sure, tick nothing: %(organisation)s will "
                "look everywhere it holds data."
            )
            % {"organisation": organisation.name},
            choices=[(scope.key, translated(scope.question or scope.name)) for scope in scopes],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [("", _("Choose a country")), *country_choices()]
        self.fields["details"].help_text = _("Up to %(limit)s characters.") % {
            "limit": number_format(MAX_DETAILS, force_grouping=True)
        }
        needed = {kind for scope in scopes for kind in scope.identifier_types}
        if "phone" in needed:
            self.fields["caller_phone"] = SingleLineField(
                label=phone_label(scopes),
                max_length=40,
                required=False,
                help_text=_("As it appeared on your phone, e.g. %(example)s.")
                % {"example": caller_example(organisation)},
            )
            self.fields["call_time"] = SingleLineField(
                label=_("When the call came"),
                max_length=100,
                required=False,
                help_text=_("Date and approximate time, e.g. 3 March, around 2 pm."),
            )
        if "website" in needed:
            self.fields["website"] = SingleLineField(
                label=_("The website where you used the call button"),
                max_length=253,
                required=False,
                help_text=_("Its address, e.g. example.com."),
            )
        if "whatsapp" in needed:
            self.fields["whatsapp"] = SingleLineField(
                label=_("The business's WhatsApp number"),
                max_length=40,
                required=False,
                help_text=_("The number that wrote to you, e.g. %(example)s.")
                % {"example": WHATSAPP_EXAMPLE},
            )
        self.order_fields(
            [
                "scopes",
                *[name for name, _kind in IDENTIFIER_FIELDS],
                "kinds",
                "email",
                "name",
                "country",
                "phone",
                "details",
                HONEYPOT,
            ]
        )

    # --- rendering helpers -----------------------------------------------------------

    def scope_choices(self) -> list[Choice]:
        """Each scope's checkbox with the identifier fields only it needs, so they are
        shown next to it; fields several scopes need are shown after the group."""
        shared = self._shared_identifier_fields()
        choices = []
        for widget, scope in zip(self["scopes"], self.scope_list, strict=True):
            names = [
                name
                for name, kind in IDENTIFIER_FIELDS
                if kind in scope.identifier_types and name in self.fields and name not in shared
            ]
            choices.append(
                Choice(
                    widget=widget, label=widget.choice_label, fields=tuple(self[n] for n in names)
                )
            )
        return choices

    def shared_identifier_fields(self) -> list[BoundField]:
        return [self[name] for name in self._shared_identifier_fields()]

    def _shared_identifier_fields(self) -> list[str]:
        counts: dict[str, int] = {}
        for scope in self.scope_list:
            for name, kind in IDENTIFIER_FIELDS:
                if kind in scope.identifier_types:
                    counts[name] = counts.get(name, 0) + 1
        return [n for n, _k in IDENTIFIER_FIELDS if counts.get(n, 0) > 1 and n in self.fields]

    def kind_choices(self) -> list[Choice]:
        return [
            Choice(widget=w, label=w.choice_label, hint=self.kind_hints.get(w.data["value"], ""))
            for w in self["kinds"]
        ]

    def error_links(self) -> list[tuple[str, str, str]]:
        """(anchor, field label, message) for the summary at the top, in page order."""
        links = [("main-form", "", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            if name not in self.errors:
                continue
            bound = self[name]
            anchor = bound.auto_id
            if isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
                anchor = f"{bound.auto_id}_0"
            # "What do you want ...?: Choose ..." reads badly; the label's own mark goes.
            label = str(bound.label).rstrip(" ?:\u00a0")
            links.extend((anchor, label, str(message)) for message in bound.errors)
        return links

    # --- validation --------------------------------------------------------------------

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def _region(self) -> tuple[str, str]:
        return split_country(self.cleaned_data.get("country") or "")

    def _phone(self, name: str, value: str) -> str:
        """E.164 for a number read against the subject's country.

        A number written in national form that is possible but not valid there may be
        read against the wrong country, or be new to stale numbering data: the subject is
        warned once and may send it again as it is (design.md: warn rather than refuse).
        One written with its country code needs only to be possible. A number that called
        or wrote to the subject may also be national to the organisation's country.
        """
        country, _region = self._region()
        typed = value.strip()
        international = typed.startswith(("+", "00"))
        regions = [country or None]
        if name != "phone" and self.organisation.country not in regions:
            regions.append(self.organisation.country or None)
        possible: str | None = None
        for region in regions:
            try:
                phone = normalise_phone(typed, default_region=region, field=name)
            except InvalidIdentifier:
                continue
            if phone.is_valid or international:
                return phone.e164
            possible = possible or phone.e164
        example = phone_example(country)
        where = country_name(self.cleaned_data.get("country") or "")
        if possible is not None and country:
            if self.data.get(f"{name}{CONFIRMED_SUFFIX}") == typed:
                return possible
            self.unchecked_phones.append((f"{name}{CONFIRMED_SUFFIX}", typed))
            message = _(
                "We could not check this number for %(country)s. If it is right, send the "
                "form again as it is; if not, write it with its country code, e.g. %(example)s."
            ) % {"country": where, "example": example}
        elif country and not international:
            message = _(
                "This is not a phone number we can read for %(country)s. Check it, or "
                "write it with its country code, e.g. %(example)s."
            ) % {"country": where, "example": example}
        else:
            message = _("Write the number with its country code, e.g. %(example)s.") % {
                "example": example
            }
        raise ValidationError(message, code="phone")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        country_known = "country" in cleaned
        for name in ("phone", "caller_phone", "whatsapp"):
            value = cleaned.get(name)
            if not value:
                continue
            if not country_known:
                continue  # the country's own error says what to fix first
            try:
                cleaned[name] = self._phone(name, value)
            except ValidationError as error:
                self.add_error(name, error)
        website = cleaned.get("website")
        if website:
            try:
                cleaned["website"] = normalise_domain(website)
            except InvalidIdentifier:
                self.add_error("website", _("Write the website's address, e.g. example.com."))
        return cleaned

    def submission(self) -> IntakeSubmission:
        data = self.cleaned_data
        country, region = self._region()
        identifiers = {
            kind: data[name]
            for name, kind in (
                ("caller_phone", "phone"),
                ("website", "website"),
                ("whatsapp", "whatsapp"),
            )
            if data.get(name)
        }
        return IntakeSubmission(
            kinds=tuple(data["kinds"]),
            scopes=tuple(data.get("scopes") or ()),
            email=data["email"],
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            country=country,
            region=region,
            identifiers=identifiers,
            call_time=data.get("call_time", ""),
            details=data.get("details", ""),
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Errors the request service raised, on the field they name when it is ours."""
        for field, messages in error.message_dict.items():
            target = field if field in self.fields and field != HONEYPOT else None
            for message in messages:
                self.add_error(target, message)


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Write your answer.")},
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, I want to withdraw this request"),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that you want to withdraw.")
        },
    )
