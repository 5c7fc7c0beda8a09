"""What a file is, from its first bytes (never its name), and what each purpose accepts."""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from dataclasses import dataclass

from routing.files.streams import has_control_bytes

# Enough for a signature, a CSV's first lines or an email's headers.
SNIFF_BYTES = 8 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ZIP = "application/zip"
JSON = "application/json"
CSV = "text/csv"
TEXT = "text/plain"
EML = "message/rfc822"

DESCRIPTIONS = {
    PDF: "PDF",
    JPEG: "JPEG image",
    PNG: "PNG image",
    ZIP: "ZIP archive",
    JSON: "JSON",
    CSV: "CSV",
    TEXT: "plain text",
    EML: "email message (EML)",
}
# Plain text with a shape: where a purpose takes plain text but not the shape, the file
# is kept as plain text.
TEXT_TYPES = frozenset({JSON, CSV, TEXT, EML})
IMAGE_TYPES = frozenset({JPEG, PNG})

ALLOWED: dict[str, tuple[str, ...]] = {
    "identity": (PDF, JPEG, PNG),
    "response": (PDF, JSON, CSV, ZIP, PNG, JPEG, TEXT),
    "correspondence": (PDF, TEXT, PNG, JPEG, EML),
}

# Recognised only to name them when they are refused.
_REFUSED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable (ELF)"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable"),
    (b"\xce\xfa\xed\xfe", "a macOS executable"),
    (b"\xca\xfe\xba\xbe", "a macOS executable or Java class"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
_EMAIL_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "received",
        "return-path",
        "mime-version",
        "content-type",
        "reply-to",
        "delivered-to",
    }
)
_HEADER_LINE = re.compile(r"^([!-9;-~]+):[ \t]")


@dataclass(frozen=True)
class Sniffed:
    """``content_type`` is None for what no purpose accepts; ``description`` names it."""

    content_type: str | None
    description: str
    # For text: "utf-8", or "8bit" for a legacy single-byte encoding (Windows-1252, ...).
    text_encoding: str | None = None


def sniff(head: bytes) -> Sniffed:
    if head.startswith(b"%PDF-"):
        return Sniffed(PDF, DESCRIPTIONS[PDF])
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG, DESCRIPTIONS[JPEG])
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PNG, DESCRIPTIONS[PNG])
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Sniffed(ZIP, DESCRIPTIONS[ZIP])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed(None, "a WebP image")
    for signature, description in _REFUSED_SIGNATURES:
        if head.startswith(signature):
            return Sniffed(None, description)
    if has_control_bytes(head):
        return Sniffed(None, "binary data of an unknown type")
    try:
        # A character cut at the end of the head is not held against it.
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = head.decode("latin-1")
        encoding = "8bit"
    sniffed = _sniff_text(text.removeprefix("\ufeff"))
    if sniffed.content_type is None:
        return sniffed
    return Sniffed(sniffed.content_type, sniffed.description, encoding)


def _sniff_text(text: str) -> Sniffed:
    start = text.lstrip()[:64].lower()
    if start.startswith(("<!doctype html", "<html", "<head", "<body", "<script")):
        return Sniffed(None, "an HTML page")
    if start.startswith(("<?xml", "<svg")):
        return Sniffed(None, "an XML or SVG document")
    if start.startswith(("{", "[")):
        return Sniffed(JSON, DESCRIPTIONS[JSON])
    # The last line may be cut by the end of the head.
    lines = text.splitlines()[:-1] if len(text) >= SNIFF_BYTES // 2 else text.splitlines()
    if _looks_like_email(lines):
        return Sniffed(EML, DESCRIPTIONS[EML])
    if _looks_like_csv(lines):
        return Sniffed(CSV, DESCRIPTIONS[CSV])
    return Sniffed(TEXT, DESCRIPTIONS[TEXT])


def _looks_like_email(lines: list[str]) -> bool:
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    names = set()
    for line in lines:
        if not line.strip():
            break
        if line[0] in " \t":  # a folded header's continuation
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        names.add(match.group(1).lower())
    return len(names & _EMAIL_HEADERS) >= 2


def _looks_like_csv(lines: list[str]) -> bool:
    rows = [line for line in lines if line.strip()][:10]
    if len(rows) < 2:
        return False
    for delimiter in (",", ";", "\t"):
        widths = {len(row) for row in csv.reader(rows, delimiter=delimiter)}
        if len(widths) == 1 and widths.pop() >= 2:
            return True
    return False


def accepted_type(purpose: str, sniffed: Sniffed) -> str | None:
    """The content type to keep the file as for ``purpose``, or None where it is refused."""
    allowed = ALLOWED[purpose]
    if sniffed.content_type in allowed:
        return sniffed.content_type
    if sniffed.content_type in TEXT_TYPES and TEXT in allowed:
        return TEXT
    return None


def allowed_descriptions(purpose: str) -> str:
    names = [DESCRIPTIONS[t] for t in ALLOWED[purpose]]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def display_name(name: str, *, max_length: int = 255) -> str:
    """The name a file was given, safe to show: no folders, no control or format
    characters, at most ``max_length`` characters with the extension kept."""
    name = re.split(r"[/\\]", name or "")[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    name = name.strip().strip(".") or "file"
    if len(name) > max_length:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: max_length - len(extension) - 1] + "." + extension
        else:
            name = name[:max_length]
    return name
