"""The plumbing between the content, the cipher and the storage."""

from __future__ import annotations

import hashlib

import pytest

from routing.files.streams import IterStream, Meter, NotText, TooLarge


def test_a_read_of_n_bytes_gives_n_bytes_until_the_end() -> None:
    # boto3 takes a short read for the end of the stream, and would then upload the
    # rest in one request held whole in memory.
    stream = IterStream(iter([b"abc", b"", b"defgh", b"ij"]))
    assert stream.read(4) == b"abcd"
    assert stream.read(5) == b"efghi"
    assert stream.read(5) == b"j"
    assert stream.read(5) == b""


def test_reading_everything_joins_what_is_left() -> None:
    stream = IterStream(iter([b"abc", b"def"]))
    assert stream.read(2) == b"ab"
    assert stream.read() == b"cdef"


def test_the_meter_counts_hashes_and_stops_past_the_limit() -> None:
    meter = Meter([b"abc", b"def"], limit=6)
    assert b"".join(meter) == b"abcdef"
    assert (meter.size, meter.sha256) == (6, hashlib.sha256(b"abcdef").hexdigest())
    with pytest.raises(TooLarge):
        list(Meter([b"abc", b"defg"], limit=6))


def test_utf8_text_may_split_a_character_between_chunks_but_not_turn_binary() -> None:
    encoded = "Élodie".encode()
    assert b"".join(Meter([encoded[:1], encoded[1:]], limit=None, text_encoding="utf-8"))
    with pytest.raises(NotText):
        list(Meter([b"hello", b"\xff\xfe"], limit=None, text_encoding="utf-8"))
    with pytest.raises(NotText):
        list(Meter([b"hello", b"\x00"], limit=None, text_encoding="8bit"))
    assert b"".join(Meter([b"\xc9lodie"], limit=None, text_encoding="8bit")) == b"\xc9lodie"
