"""Helpers shared by the proof-of-identity tests."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.test import Client

from routing.models import Request, RequestFile
from routing.services.actors import Actor
from routing.services.files import file_store
from tests.admin.helpers import admin_url
from tests.files.conftest import pdf_bytes

PROOF = pdf_bytes(40_000)


def a_file(content: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream


def upload(client: Client, status_path: str, content: bytes = PROOF, name: str = "id.pdf") -> Any:
    """A multipart POST of the status page's upload form."""
    return client.post(f"{status_path}identity/", {"file": a_file(content, name)})


def stored_objects(files_dir: Path) -> list[Path]:
    return [path for path in files_dir.rglob("*") if path.is_file()] if files_dir.exists() else []


def staff_proof(request: Request, by: Actor) -> RequestFile:
    """A proof of identity staff added on the request page (one received by post)."""
    return file_store(
        request=request,
        purpose="identity",
        content=io.BytesIO(PROOF),
        name="passport.pdf",
        by=by,
    )


def view_url(file: RequestFile) -> str:
    return admin_url("request", "file_view", file.request_id, file.pk)
