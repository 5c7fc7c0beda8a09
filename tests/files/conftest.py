"""Fixtures for stored files: master keys, a storage folder per test, and a real S3
emulator (moto's server, in its own process) for the S3 backend.

The emulator is a test dependency: when it cannot start the S3 tests fail, never skip.
"""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import boto3
import pytest
from PIL import Image

from routing.files.crypto import new_master_key_entry
from routing.models import Request
from routing.services.actors import Actor
from tests.factories import OrganisationFactory, StaffFactory, make_request
from tests.support.processes import free_port, stop_process

KEY_1 = "k1:" + base64.b64encode(bytes(range(32))).decode()
KEY_2 = new_master_key_entry("k2")
S3_ACCESS_KEY = "testing-access"
S3_SECRET_KEY = "testing-secret"
S3_START_SECONDS = 60


@pytest.fixture(autouse=True)
def file_settings(settings: Any, tmp_path: Path) -> Any:
    settings.DSAR_FILE_KEYS = KEY_1
    settings.DSAR_FILES_STORAGE = "filesystem"
    settings.DSAR_FILES_DIR = str(tmp_path / "files")
    settings.DSAR_FILES_MAX_MB = 100
    return settings


@pytest.fixture
def files_dir(file_settings: Any) -> Path:
    return Path(file_settings.DSAR_FILES_DIR)


@pytest.fixture
def request_(db: Any) -> Request:
    organisation = OrganisationFactory.create()
    return make_request(organisation, kinds=("access", "erasure"))


@pytest.fixture
def by(db: Any) -> Actor:
    return Actor.staff(StaffFactory())


@dataclass
class S3:
    client: Any
    bucket: str

    def object_bytes(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.bucket)
        return [entry["Key"] for entry in listing.get("Contents", [])]


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto's S3 server on a free port of the loopback."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("moto") / "server.log"
    endpoint = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait_for(endpoint, process, log_path)
        yield endpoint
    finally:
        stop_process(process, timeout=10)


def _wait_for(endpoint: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + S3_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    stop_process(process, timeout=5)
    pytest.fail(
        "The S3 emulator (python -m moto.server, from moto[server] in the dev lock) did not "
        f"start on {endpoint}:\n{log_path.read_text(errors='replace')[-3000:]}",
        pytrace=False,
    )


@pytest.fixture
def s3(s3_endpoint: str, file_settings: Any) -> S3:
    """A fresh bucket on the emulator, and the settings that store files in it."""
    bucket = f"dsar-files-{uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    file_settings.DSAR_FILES_STORAGE = "s3"
    file_settings.DSAR_FILES_S3_BUCKET = bucket
    file_settings.DSAR_FILES_S3_ENDPOINT_URL = s3_endpoint
    file_settings.DSAR_FILES_S3_ACCESS_KEY_ID = S3_ACCESS_KEY
    file_settings.DSAR_FILES_S3_SECRET_ACCESS_KEY = S3_SECRET_KEY
    file_settings.DSAR_FILES_S3_REGION = "us-east-1"
    file_settings.DSAR_FILES_S3_ADDRESSING_STYLE = "path"
    return S3(client, bucket)


# --- Sample content -------------------------------------------------------------------------

SECRET = b"Ada Martin, passport 19AB12345, born 1985-02-03, 12 rue Exemple, Paris"


def pdf_bytes(size: int = 200_000) -> bytes:
    """A PDF-looking document (a real signature, text the tests look for) of ``size``."""
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n(" + SECRET + b")\nendobj\n"
    filler = (SECRET + b"\n") * (size // (len(SECRET) + 1) + 1)
    return (body + filler)[: size - 6] + b"%%EOF\n"


def jpeg_with_gps() -> bytes:
    """A small JPEG photo carrying EXIF GPS coordinates, a camera and a comment."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 29.6)
    gps[3] = "E"
    gps[4] = (2.0, 17.0, 40.2)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at home of Ada Martin", quality=90)
    return out.getvalue()
