"""Form fields that refuse what could break a header or a log line."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# C0 and C1 controls (CR and LF among them) and the Unicode line and paragraph separators:
# in a name or an address they could split an email header.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class _SingleLine:
    """Checks the raw value, before CharField strips a trailing newline away."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValidationError(
                _("Write this on one line, without line breaks or control characters."),
                code="control_characters",
            )
        return super().to_python(value)  # type: ignore[misc]


class PlainSelect(forms.Select):
    """A select whose options are written in Python: through the template engine, a list of
    fifty countries costs fifty template renders on every page load."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, mark_safe(" selected") if str(option) == selected else "", label)
                for option, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class SingleLineField(_SingleLine, forms.CharField):
    pass


class SingleLineEmailField(_SingleLine, forms.EmailField):
    pass
