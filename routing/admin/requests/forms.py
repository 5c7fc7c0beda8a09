"""The forms of the request actions: what each asks before its service is called."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from routing.clock import REGIMES
from routing.domain.denials import DENIAL_GROUNDS
from routing.models import Customer, Request, WaitingFor
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


class ExtendForm(forms.Form):
    reason = _text("Reasons", help_text="The subject is told these reasons with the new date.")


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
