"""Renders an email from templates/emails/<name>/{subject.txt,body.txt,body.html}.

One helper for every message, in the recipient's language; the result is stored in the
outbox before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(name: str, context: dict[str, Any], language: str = "en") -> RenderedEmail:
    with translation.override(language):
        subject = render_to_string(f"emails/{name}/subject.txt", context)
        text = render_to_string(f"emails/{name}/body.txt", context)
        html = render_to_string(f"emails/{name}/body.html", context)
    # A subject is one line: a template's trailing newline or a stray break must not
    # become a header injection.
    one_line = " ".join(subject.split())
    return RenderedEmail(subject=one_line[:300], text=text.strip() + "\n", html=html.strip())
