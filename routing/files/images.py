"""Image metadata stripping: a photo of an identity document must not carry where and
when it was taken, or on what device.

The image is decoded and written again with its pixels and colour profile only: no EXIF
(GPS, camera, dates), XMP, IPTC, comments or PNG text chunks. A JPEG keeps its
quantisation tables and subsampling, so it is not degraded further; one whose EXIF said
to rotate it is turned upright first, since the tag that said so is dropped. Decoding
also refuses what is not really an image. The decoded pixels are held in memory: images
are bounded by the purpose's size limit and by Pillow's decompression-bomb guard.
"""

from __future__ import annotations

import tempfile
import warnings
from typing import IO

from PIL import Image, ImageOps

from routing.files.sniffing import JPEG, PNG

# Results larger than this go to a temporary file instead of memory.
SPOOL_BYTES = 1024 * 1024
_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
_ORIENTATION = 0x0112


class UnreadableImage(Exception):
    pass


def strip_metadata(source: IO[bytes], content_type: str) -> IO[bytes]:
    """The image from ``source`` without its metadata, as a file positioned at 0."""
    image_format = _FORMATS[content_type]
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned open)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=[image_format]) as image:
                image.load()
                _save_clean(image, out, image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        out.close()
        raise UnreadableImage("The image has too many pixels to be processed.") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        out.close()
        raise UnreadableImage(f"The image cannot be read: {error}") from None
    out.seek(0)
    return out


def _save_clean(image: Image.Image, out: IO[bytes], image_format: str) -> None:
    icc_profile = image.info.get("icc_profile")
    orientation = image.getexif().get(_ORIENTATION, 1)
    upright = orientation in range(2, 9)
    if upright:
        image = ImageOps.exif_transpose(image)
    if image_format == "JPEG":
        # Only what is given here is written: no EXIF, XMP or comment is carried over.
        options = {"icc_profile": icc_profile, "exif": b"", "comment": b""}
        if not upright:
            try:
                image.save(out, "JPEG", quality="keep", **options)
                return
            except ValueError:  # "keep" needs tables Pillow could read; re-encode instead
                out.seek(0)
                out.truncate()
        image.save(out, "JPEG", quality=95, **options)
    else:
        # PNG text, eXIf and time chunks are written only when passed: none are.
        image.save(out, "PNG", icc_profile=icc_profile)
