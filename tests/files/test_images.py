"""Photos lose their metadata (GPS position, camera, comments) before they are stored."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from routing.services.files import file_read, file_store
from tests.files.conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def test_the_sample_photo_carries_gps_before_it_is_stored() -> None:
    with Image.open(io.BytesIO(jpeg_with_gps())) as photo:
        assert photo.getexif().get_ifd(GPS_IFD)
        assert photo.info["comment"]


def test_jpeg_exif_gps_camera_and_comment_are_stripped(request_, by) -> None:
    stored = file_store(
        request=request_,
        purpose="identity",
        content=io.BytesIO(jpeg_with_gps()),
        name="id.jpg",
        by=by,
    )
    kept = file_read(stored)
    assert stored.content_type == "image/jpeg"
    assert b"Exif" not in kept
    assert b"PhoneMaker" not in kept
    assert b"Ada Martin" not in kept
    with Image.open(io.BytesIO(kept)) as photo:
        assert photo.format == "JPEG"
        assert photo.size == (64, 48)
        assert len(photo.getexif()) == 0
        assert "comment" not in photo.info
        pixel = photo.getpixel((32, 24))
        assert isinstance(pixel, tuple)
        red, green, blue = pixel
        assert red > 150
        assert green < 80
        assert blue < 80


def test_a_rotated_photo_is_turned_upright_since_its_orientation_tag_goes(request_, by) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    Image.new("RGB", (80, 40), (0, 0, 255)).save(out, "JPEG", exif=exif)
    stored = file_store(
        request=request_, purpose="identity", content=io.BytesIO(out.getvalue()), name="a", by=by
    )
    with Image.open(io.BytesIO(file_read(stored))) as photo:
        assert photo.size == (40, 80)
        assert len(photo.getexif()) == 0


def test_png_text_chunks_and_exif_are_stripped(request_, by) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ada Martin")
    info.add_itxt("Description", "kitchen, 12 rue Exemple")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (1, 2, 3, 128)).save(out, "PNG", pnginfo=info, exif=exif)
    assert b"Ada Martin" in out.getvalue()
    stored = file_store(
        request=request_, purpose="identity", content=io.BytesIO(out.getvalue()), name="a", by=by
    )
    kept = file_read(stored)
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"Ada Martin", b"PhoneMaker"):
        assert chunk not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.getpixel((5, 5)) == (1, 2, 3, 128)
    assert stored.size == len(kept)
