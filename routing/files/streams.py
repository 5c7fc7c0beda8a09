"""Plumbing for streamed files: an iterator read as a file, and a meter that counts,
hashes and bounds the plaintext as it passes."""

from __future__ import annotations

import codecs
import hashlib
import io
from collections.abc import Iterable, Iterator
from typing import IO


class TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


class NotText(Exception):
    """A file that began as text holds bytes further on that are not text in its encoding."""


class IterStream(io.BufferedIOBase):
    """A read-only, unseekable file over an iterator of bytes: what storage backends
    take, without the whole content ever being in memory. ``read(n)`` returns ``n``
    bytes until the end, as callers of a file expect (boto3 takes a short read for the
    end of the stream)."""

    def __init__(self, pieces: Iterable[bytes]) -> None:
        self._pieces: Iterator[bytes] = iter(pieces)
        self._pending = bytearray()

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            rest = bytes(self._pending) + b"".join(self._pieces)
            self._pending = bytearray()
            return rest
        # One buffer, extended in place: a large read (boto3 reads a whole part) holds
        # the part and the copy returned, nothing more.
        while len(self._pending) < size:
            piece = next(self._pieces, None)
            if piece is None:
                break
            self._pending += piece
        with memoryview(self._pending) as view:
            data = bytes(view[:size])
        del self._pending[:size]
        return data

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)


def iter_chunks(source: IO[bytes], chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    while chunk := source.read(chunk_size):
        yield chunk


class Meter:
    """Passes the plaintext through, counting its size and its SHA-256, refusing it past
    ``limit`` bytes and, for text (``text_encoding`` "utf-8" or "8bit"), at the first
    byte that is not text in that encoding."""

    def __init__(
        self, pieces: Iterable[bytes], *, limit: int | None, text_encoding: str | None = None
    ) -> None:
        self._pieces = pieces
        self._limit = limit
        self._text = text_encoding is not None
        self._decoder = (
            codecs.getincrementaldecoder("utf-8")() if text_encoding == "utf-8" else None
        )
        self.size = 0
        self._sha256 = hashlib.sha256()

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    def __iter__(self) -> Iterator[bytes]:
        for piece in self._pieces:
            self.size += len(piece)
            if self._limit is not None and self.size > self._limit:
                raise TooLarge(self._limit)
            if self._text:
                _check_text(self._decoder, piece)
            self._sha256.update(piece)
            yield piece
        if self._decoder is not None:
            _check_text(self._decoder, b"", final=True)


# Control characters that do not occur in text people write (NUL, and the C0 codes but
# tab, line feed, form feed, carriage return and escape).
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 27))


def has_control_bytes(data: bytes) -> bool:
    return len(data.translate(None, _CONTROL)) != len(data)


def _check_text(
    decoder: codecs.IncrementalDecoder | None, piece: bytes, final: bool = False
) -> None:
    if decoder is not None:
        try:
            decoder.decode(piece, final)
        except UnicodeDecodeError:
            raise NotText() from None
    if has_control_bytes(piece):
        raise NotText()
