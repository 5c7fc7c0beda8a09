"""The forms of the request actions: what each asks before its service is called."""

from __future__ import annotations

import hashlib
import json
import zoneinfo
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from routing.clock import KINDS, REGIMES
from routing.domain.denials import DENIAL_GROUNDS, DenialGround
from routing.domain.vocabulary import country_choices, split_country
from routing.forms.fields import SingleLineEmailField, SingleLineField
from routing.identifiers import InvalidIdentifier, normalise_identifier, normalise_phone
from routing.models import (
    Channel,
    Customer,
    FilePurpose,
    Organisation,
    Request,
    Scope,
    WaitingFor,
)
from routing.selectors import queue


def _text(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class NoFieldsForm(forms.Form):
    """An action that needs no input beyond the confirmation itself."""


class PartsMixin(forms.Form):
    """Which parts (kinds) an action names, offered on one request with several open parts;
    none ticked (and every bulk action) means every open part."""

    def __init__(self, *args: Any, parts: Sequence[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        if len(parts) > 1:
            self.fields["kinds"] = forms.MultipleChoiceField(
                label="Parts",
                choices=list(parts),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="None ticked: every open part.",
            )

    def chosen_kinds(self) -> list[str] | None:
        return list(self.cleaned_data.get("kinds") or []) or None


class ExtendForm(PartsMixin):
    reason = _text("Reasons", help_text="The subject is told these reasons with the new date.")


class CompleteForm(PartsMixin):
    note = _text("Note", required=False)


class PauseForm(forms.Form):
    waiting_for = forms.ChoiceField(
        label="Waiting for",
        choices=WaitingFor.choices,
        initial=WaitingFor.CLARIFICATION,
        required=False,  # a form posted without it waits for a clarification
        widget=forms.RadioSelect,
        help_text="Under UK GDPR the clock starts afresh on the day a proof of identity "
        "arrives (resume the request that day); other waits add the days paused.",
    )
    reason = forms.CharField(
        label="What the subject was asked for",
        max_length=300,
        help_text="e.g. a proof of identity, or which account the request is about.",
    )


class NoteForm(forms.Form):
    note = _text("Note", required=False)


class DenyForm(forms.Form):
    ground = forms.ChoiceField(
        label="Ground",
        choices=[("", "---------"), *((g.code, g.label) for g in DENIAL_GROUNDS.values())],
        help_text="The subject is told the ground and their right to complain.",
    )
    note = _text("Note", required=False)

    def __init__(self, *args: Any, grounds: list[DenialGround] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if grounds is not None:
            # Only the grounds open to these requests (identity only once proof was asked).
            field = self.fields["ground"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "---------"), *((g.code, g.label) for g in grounds)]


class RegimeForm(forms.Form):
    regime = forms.ChoiceField(
        label="Regime", choices=[(key, r.short_name) for key, r in REGIMES.items()]
    )
    reason = _text("Why")


class NoteTextForm(forms.Form):
    text = _text("Note")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_username())


class AssignForm(forms.Form):
    assignee = StaffChoiceField(
        label="Assignee", queryset=None, required=False, empty_label="nobody (unassign)"
    )

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, StaffChoiceField)
        field.queryset = staff


class DuplicateForm(forms.Form):
    original = forms.CharField(
        label="Duplicates request",
        required=False,
        help_text="Its reference. Leave empty to use the request each one was flagged against.",
    )

    def __init__(self, *args: Any, requests: QuerySet[Request], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requests = requests

    def clean_original(self) -> Request | None:
        typed = self.cleaned_data["original"].strip()
        if not typed:
            return None
        # Looked up among the user's own requests: another organisation's is "not found".
        references = queue.reference_forms(typed) or [typed]
        original = self.requests.filter(reference__in=references).first()
        if original is None:
            raise ValidationError(f"No request {typed} among yours.")
        return original


class CustomerForm(forms.Form):
    customer: forms.ModelChoiceField[Customer] = forms.ModelChoiceField(
        label="Customer", queryset=None
    )

    def __init__(self, *args: Any, customers: QuerySet[Customer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["customer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = customers


# --- a request received by post, phone or email ----------------------------------------------

# The channels staff enter requests from; the web form and the API enter their own.
STAFF_CHANNELS = (Channel.POST, Channel.PHONE, Channel.EMAIL)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # The time received is read in this zone, so staff see which one it is.
        return f"{obj.name} ({obj.timezone})"


class ReceiveForm(forms.Form):
    """A request that reached the organisation by post, phone or email, as staff enter it.

    ``received_at`` (in ``cleaned_data``) is the instant the date and time typed mean in
    the chosen organisation's zone: the clock counts from it.
    """

    channel = forms.ChoiceField(
        label="Received by",
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        widget=forms.RadioSelect,
    )
    organisation = OrganisationChoiceField(label="Organisation", queryset=None)
    received_on = forms.DateField(
        label="Received on", widget=forms.DateInput(attrs={"type": "date"})
    )
    received_time = forms.TimeField(
        label="at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="The organisation's local time. The deadline counts from this moment.",
    )
    kinds = forms.MultipleChoiceField(
        label="What the subject asks for",
        choices=[(kind, kind.replace("_", " ")) for kind in KINDS],
        widget=forms.CheckboxSelectMultiple,
    )
    scopes = forms.MultipleChoiceField(
        label="What it is about",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty when the subject does not say: every scope is looked at.",
    )
    caller_phone = SingleLineField(
        label="Phone number concerned",
        max_length=40,
        required=False,
        help_text="The number that called the subject, or the business number they called.",
    )
    website = SingleLineField(
        label="Website", max_length=253, required=False, help_text="e.g. maison.example"
    )
    whatsapp = SingleLineField(label="WhatsApp number", max_length=40, required=False)
    name = SingleLineField(label="Subject's name", max_length=200, required=False)
    email = SingleLineEmailField(
        label="Subject's email address",
        max_length=254,
        help_text="The acknowledgement and the answer are sent to it.",
    )
    phone = SingleLineField(label="Subject's phone number", max_length=40, required=False)
    country = forms.ChoiceField(
        label="Country where the subject lives",
        required=False,
        help_text="It decides which law applies, and with it the deadline.",
    )
    language = forms.ChoiceField(label="Language of the answers", choices=settings.LANGUAGES)
    details = forms.CharField(
        label="Details",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text="What the letter, the call or the email says, in short.",
    )
    verified = forms.BooleanField(
        label="The subject's identity and email address are confirmed",
        required=False,
        initial=True,
        help_text="Untick to email the subject a link to confirm their address first; "
        "the request then waits for it.",
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, OrganisationChoiceField)
        organisation.queryset = organisations.order_by("name")
        scopes = self.fields["scopes"]
        assert isinstance(scopes, forms.MultipleChoiceField)
        grouped: dict[str, list[tuple[str, str]]] = {}
        for scope in (
            Scope.objects.filter(organisation__in=organisations)
            .select_related("organisation")
            .order_by("organisation__name", "position", "key")
        ):
            grouped.setdefault(scope.organisation.name, []).append(
                (scope.key, f"{scope.name} ({scope.key})")
            )
        scopes.choices = list(grouped.items())
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [("", "not known"), *country_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("organisation")
        day, moment = data.get("received_on"), data.get("received_time")
        country, region = split_country(data.get("country") or "")
        data["subject_country"], data["subject_region"] = country, region
        if organisation is None:
            return data
        if day is not None and moment is not None:
            zone = zoneinfo.ZoneInfo(organisation.timezone)
            received_at = datetime.combine(day, moment, tzinfo=zone)
            if received_at > timezone.now():
                self.add_error("received_on", "A request cannot be received in the future.")
            else:
                data["received_at"] = received_at
        region_of = country or organisation.country or None
        for name, kind in (
            ("caller_phone", "phone"),
            ("whatsapp", "whatsapp"),
            ("website", "website"),
        ):
            if data.get(name):
                try:
                    normalise_identifier(
                        kind, data[name], default_region=organisation.country or None
                    )
                except InvalidIdentifier as error:
                    self.add_error(name, error.message)
        if data.get("phone"):
            try:
                normalise_phone(data["phone"], default_region=region_of)
            except InvalidIdentifier as error:
                self.add_error("phone", error.message)
        return data

    @property
    def identifiers(self) -> dict[str, str]:
        data = self.cleaned_data
        given = {
            "phone": data.get("caller_phone"),
            "website": data.get("website"),
            "whatsapp": data.get("whatsapp"),
        }
        return {key: value for key, value in given.items() if value}

    def subject(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "email": data.get("email", ""),
            "phone": data.get("phone", ""),
            "country": data.get("subject_country", ""),
            "region": data.get("subject_region", ""),
            "language": data.get("language", ""),
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's errors under the fields they name, keeping what was valid."""
        # The service says "phone" for the subject's number and for the one concerned.
        renamed = {
            "phone": "caller_phone" if self.cleaned_data.get("caller_phone") else "phone",
            "region": "country",
        }
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, texts in error.message_dict.items():
            name = renamed.get(key, key)
            for text in texts:
                if name in self.fields:
                    self.add_error(name, text)
                else:
                    self.add_error(None, f"{key.replace('_', ' ')}: {text}")

    def fingerprint(self) -> str:
        """What was previewed, so a save of other facts is shown again before it is stored."""
        data = {key: self.cleaned_data.get(key) for key in self.fields}
        data["organisation"] = getattr(data["organisation"], "pk", None)
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


# --- files on a request ------------------------------------------------------------------------


class FileUploadForm(forms.Form):
    """A file added from the request page; the service checks its type and size."""

    file = forms.FileField(label="File", allow_empty_file=True)
    purpose = forms.ChoiceField(label="Purpose", choices=FilePurpose.choices)
    kind = forms.ChoiceField(label="Part", required=False)
    scope: forms.ModelChoiceField[Scope] = forms.ModelChoiceField(
        label="Scope", queryset=None, required=False
    )

    def __init__(
        self,
        *args: Any,
        parts: Sequence[tuple[str, str]],
        scopes: QuerySet[Scope],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "the whole request"), *parts]
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ModelChoiceField)
        scope.queryset = scopes


class FileDeleteForm(forms.Form):
    reason = forms.CharField(
        label="Why",
        max_length=300,
        help_text="Kept with the file's name, size and SHA-256.",
    )
