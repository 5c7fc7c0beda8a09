"""The encryption format by itself: chunked AES-256-GCM under a per-file data key."""

from __future__ import annotations

import base64
import io
import os

import pytest

from routing.files.crypto import (
    CHUNK_SIZE,
    HEADER_SIZE,
    TAG_SIZE,
    FileIntegrityError,
    KeyUnwrapError,
    MasterKey,
    decrypt_chunks,
    encrypt_chunks,
    encrypted_size,
    new_data_key,
    parse_keyring,
    unwrap_data_key,
    wrap_data_key,
)
from tests.files.conftest import KEY_1, KEY_2, SECRET

SMALL_CHUNK = 1024


def _encrypt(key: bytes, data: bytes, *, piece: int = 777) -> bytes:
    pieces = (data[i : i + piece] for i in range(0, len(data), piece))
    return b"".join(encrypt_chunks(key, pieces, chunk_size=SMALL_CHUNK))


def _decrypt(key: bytes, stored: bytes) -> bytes:
    return b"".join(decrypt_chunks(key, io.BytesIO(stored).read))


@pytest.mark.parametrize(
    "size", [0, 1, SMALL_CHUNK - 1, SMALL_CHUNK, SMALL_CHUNK + 1, 3 * SMALL_CHUNK, 5000]
)
def test_round_trip_gives_the_exact_bytes_at_every_chunk_boundary(size: int) -> None:
    key = new_data_key()
    data = os.urandom(size)
    stored = _encrypt(key, data)
    assert _decrypt(key, stored) == data
    assert len(stored) == encrypted_size(size, chunk_size=SMALL_CHUNK)


def test_the_stored_object_holds_no_plaintext() -> None:
    stored = _encrypt(new_data_key(), SECRET * 100)
    assert SECRET[:12] not in stored
    assert b"passport" not in stored


def test_each_file_gets_its_own_key_and_nonces() -> None:
    data = SECRET * 10
    assert _encrypt(new_data_key(), data) != _encrypt(new_data_key(), data)
    key = new_data_key()
    assert _encrypt(key, data) != _encrypt(key, data)


def _frames(stored: bytes) -> tuple[bytes, list[bytes]]:
    body = stored[HEADER_SIZE:]
    size = SMALL_CHUNK + TAG_SIZE
    return stored[:HEADER_SIZE], [body[i : i + size] for i in range(0, len(body), size)]


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda s: _flip(s, HEADER_SIZE + 2 * SMALL_CHUNK + 5), id="a byte changed"),
        pytest.param(lambda s: _flip(s, 9), id="the header's nonce prefix changed"),
        pytest.param(lambda s: s[: -(SMALL_CHUNK // 2)], id="the last frame cut"),
        pytest.param(
            lambda s: _frames(s)[0] + b"".join(_frames(s)[1][:-1]), id="the last frame dropped"
        ),
        pytest.param(
            lambda s: (
                _frames(s)[0]
                + b"".join([_frames(s)[1][1], _frames(s)[1][0]])
                + b"".join(_frames(s)[1][2:])
            ),
            id="two frames swapped",
        ),
        pytest.param(lambda s: s + _frames(s)[1][-1], id="a frame repeated at the end"),
        pytest.param(lambda s: s[: HEADER_SIZE - 1], id="only part of the header"),
        pytest.param(lambda s: b"XXXX" + s[4:], id="not this format"),
    ],
)
def test_a_tampered_object_fails_to_open_with_a_clear_error(tamper) -> None:
    key = new_data_key()
    stored = _encrypt(key, os.urandom(3 * SMALL_CHUNK + 100))
    with pytest.raises(FileIntegrityError) as raised:
        _decrypt(key, tamper(stored))
    assert "stored object" in str(raised.value)


def test_another_files_key_does_not_open_it() -> None:
    stored = _encrypt(new_data_key(), SECRET)
    with pytest.raises(FileIntegrityError, match="failed authentication"):
        _decrypt(new_data_key(), stored)


def test_a_data_key_unwraps_only_with_its_master_key_and_id() -> None:
    first, second = parse_keyring(KEY_1).current, parse_keyring(KEY_2).current
    data_key = new_data_key()
    wrapped = wrap_data_key(first, data_key)
    assert unwrap_data_key(first, wrapped) == data_key
    assert data_key not in wrapped
    with pytest.raises(KeyUnwrapError, match="'k2'"):
        unwrap_data_key(second, wrapped)
    # The same key under another id: the id is bound to the wrapping.
    with pytest.raises(KeyUnwrapError):
        unwrap_data_key(MasterKey("renamed", first.key), wrapped)


def test_the_default_chunk_size_streams_in_64_kib_frames() -> None:
    key = new_data_key()
    data = os.urandom(2 * CHUNK_SIZE + 3)
    pieces = list(encrypt_chunks(key, [data]))
    assert [len(p) for p in pieces] == [
        HEADER_SIZE,
        CHUNK_SIZE + TAG_SIZE,
        CHUNK_SIZE + TAG_SIZE,
        3 + TAG_SIZE,
    ]


def test_the_keyring_reads_several_keys_the_first_current() -> None:
    keyring = parse_keyring(f" {KEY_2} , {KEY_1} ")
    assert keyring.current.id == "k2"
    assert keyring.get("k1") is not None
    assert keyring.get("k3") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "holds no key"),
        ("k1", "entry 1 is not id:base64key"),
        ("bad id!:AAAA", "entry 1 is not id:base64key"),
        ("k1:not base64!", "'k1' is not valid base64"),
        ("k1:" + "A" * 24, "'k1' is 18 bytes; AES-256 needs 32"),
        (f"{KEY_1},{KEY_1}", "'k1' is given twice"),
    ],
)
def test_a_bad_keyring_is_refused_naming_the_variable_and_never_the_key(text, message) -> None:
    with pytest.raises(ValueError, match="DSAR_FILE_KEYS") as raised:
        parse_keyring(text)
    assert message in str(raised.value)
    assert KEY_1.split(":")[1] not in str(raised.value)


def test_a_master_keys_repr_hides_the_key() -> None:
    key = parse_keyring(KEY_1).current
    assert base64.b64encode(key.key).decode() not in repr(key)
    assert str(key.key) not in repr(key)
