"""Form fields that refuse what could break a header or a log line."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from routing.identifiers import has_control_characters, has_invisible_characters


class _SingleLine:
    """Checks the raw value, before CharField strips a trailing newline away."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and has_control_characters(value):
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


class LongTextField(forms.CharField):
    """Free text whose limit is counted as the page's counter counts it.

    A browser sends each line break as CR LF; read as one character, a text the counter
    shows as within the limit is within it here too. The browser's own ``maxlength`` is left
    out: it cuts a pasted text without a word, where the form says what is over.
    """

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class SingleLineEmailField(forms.EmailField):
    """An address refuses invisible characters too: Django's check of an international
    domain drops a zero-width space or a soft hyphen, so the address would pass and be
    stored with it."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and has_invisible_characters(value):
            raise ValidationError(
                _(
                    "This address contains a line break or an invisible character. "
                    "Type it again, on one line."
                ),
                code="control_characters",
            )
        return super().to_python(value)
