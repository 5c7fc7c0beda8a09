"""The status page's upload of a proof of identity."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"

# The file service's refusals, by code, as the subject reads them in their language.
_REFUSALS = {
    "type": _("This file is not accepted: send a PDF, a JPEG or a PNG file."),
    "too_large": _("The file is larger than 10 MB: send a smaller file."),
    "empty": _("The file is empty."),
    "image": _("The image could not be read: send another photo or a PDF."),
}


class IdentityProofForm(forms.Form):
    file = forms.FileField(
        label=_("Proof of identity"),
        help_text=_("A PDF, JPEG or PNG file of up to 10 MB."),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Choose the file to send."),
            "empty": _("The file is empty."),
        },
    )

    def refuse(self, error: ValidationError) -> None:
        """Show the file service's refusal on the field."""
        details = error.error_dict.get("file", []) if hasattr(error, "error_dict") else []
        codes = [detail.code for detail in details if detail.code in _REFUSALS]
        self.add_error("file", _REFUSALS[codes[0]] if codes else _REFUSALS["type"])
