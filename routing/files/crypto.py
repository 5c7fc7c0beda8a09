"""Encryption at rest: a fresh AES-256 data key per file, streamed in authenticated chunks.

Format, version 1 (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár,
"Online authenticated-encryption and its nonce-reuse misuse-resistance", 2015, as age and
Tink's streaming AEAD use it):

    header = b"DSRF" | version (1 byte: 1) | chunk size (4 bytes, big-endian)
             | nonce prefix (7 random bytes)
    frame  = AES-256-GCM(data key,
                         nonce = prefix | chunk index (4 bytes, big-endian)
                                 | last flag (1 byte: 1 on the final frame, else 0),
                         associated data = header)
    object = header | frame 0 | frame 1 | ... | final frame

Every frame but the last holds exactly ``chunk size`` bytes of plaintext (plus its 16-byte
tag); the last holds 0 to ``chunk size``. A changed header or byte, frames reordered,
dropped or repeated, and a truncated or extended object all fail authentication, so a
reader holds one frame at a time and still learns of any change.

The data key is wrapped by a master key (AES-256-GCM with a random nonce, the master key's
id as associated data); the wrapped key and the id live on the file's row, so rotating the
master key rewraps 60 bytes per file and never touches the stored objects.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"DSRF"
VERSION = 1
CHUNK_SIZE = 64 * 1024
# A header naming another size is refused before any allocation it would cause.
MIN_CHUNK_SIZE = 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024
TAG_SIZE = 16
PREFIX_SIZE = 7
HEADER = struct.Struct(">4sBI7s")
HEADER_SIZE = HEADER.size
MAX_CHUNKS = 2**32
KEY_SIZE = 32

WRAP_VERSION = 1
WRAP_NONCE_SIZE = 12
WRAPPED_KEY_SIZE = 1 + WRAP_NONCE_SIZE + KEY_SIZE + TAG_SIZE

KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class FileIntegrityError(Exception):
    """The stored object was altered, damaged, cut short or is not in this format."""


class KeyUnwrapError(Exception):
    """A wrapped data key does not open with the master key of its id."""


@dataclass(frozen=True)
class MasterKey:
    id: str
    key: bytes = field(repr=False)


@dataclass(frozen=True)
class Keyring:
    """Master keys by id; the first one given is current and wraps new data keys."""

    keys: tuple[MasterKey, ...]

    @property
    def current(self) -> MasterKey:
        return self.keys[0]

    def get(self, key_id: str) -> MasterKey | None:
        return next((k for k in self.keys if k.id == key_id), None)


def parse_keyring(text: str, *, name: str = "DSAR_FILE_KEYS") -> Keyring:
    """``id:base64key,id:base64key``, the first current. Errors name the variable and the
    entry's position or id, never key material."""
    keys: list[MasterKey] = []
    entries = [entry.strip() for entry in text.split(",") if entry.strip()]
    if not entries:
        raise ValueError(f"{name} holds no key; give id:base64key (32 random bytes).")
    for position, entry in enumerate(entries, start=1):
        key_id, sep, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID.match(key_id):
            raise ValueError(
                f"{name}: entry {position} is not id:base64key (an id is 1 to 32 letters, "
                "digits, '.', '_' or '-')."
            )
        try:
            key = base64.b64decode(
                encoded.strip().replace("-", "+").replace("_", "/"), validate=True
            )
        except (binascii.Error, ValueError):
            raise ValueError(f"{name}: the key of {key_id!r} is not valid base64.") from None
        if len(key) != KEY_SIZE:
            raise ValueError(
                f"{name}: the key of {key_id!r} is {len(key)} bytes; AES-256 needs {KEY_SIZE}."
            )
        if any(k.id == key_id for k in keys):
            raise ValueError(f"{name}: the id {key_id!r} is given twice.")
        keys.append(MasterKey(key_id, key))
    return Keyring(tuple(keys))


def new_master_key_entry(key_id: str) -> str:
    """A fresh ``id:base64key`` entry for DSAR_FILE_KEYS."""
    if not KEY_ID.match(key_id):
        raise ValueError("A key id is 1 to 32 letters, digits, '.', '_' or '-'.")
    return f"{key_id}:{base64.b64encode(os.urandom(KEY_SIZE)).decode()}"


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_SIZE * 8)


def _wrap_aad(key_id: str) -> bytes:
    return b"DSRF data key|" + key_id.encode()


def wrap_data_key(master: MasterKey, data_key: bytes) -> bytes:
    nonce = os.urandom(WRAP_NONCE_SIZE)
    sealed = AESGCM(master.key).encrypt(nonce, data_key, _wrap_aad(master.id))
    return bytes([WRAP_VERSION]) + nonce + sealed


def unwrap_data_key(master: MasterKey, wrapped: bytes) -> bytes:
    wrapped = bytes(wrapped)
    if len(wrapped) != WRAPPED_KEY_SIZE or wrapped[0] != WRAP_VERSION:
        raise KeyUnwrapError("The wrapped data key is malformed.")
    nonce, sealed = wrapped[1 : 1 + WRAP_NONCE_SIZE], wrapped[1 + WRAP_NONCE_SIZE :]
    try:
        return AESGCM(master.key).decrypt(nonce, sealed, _wrap_aad(master.id))
    except InvalidTag:
        raise KeyUnwrapError(
            f"The wrapped data key does not open with master key {master.id!r}."
        ) from None


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= MAX_CHUNKS:
        raise ValueError("The file has more chunks than the format can count.")
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def encrypt_chunks(
    data_key: bytes, plaintext: Iterable[bytes], *, chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """The encrypted object, piece by piece: the header, then one frame per chunk. Input
    pieces may be of any size; at most one chunk (plus one piece) is held at a time."""
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be {MIN_CHUNK_SIZE} to {MAX_CHUNK_SIZE} bytes.")
    aead = AESGCM(data_key)
    prefix = os.urandom(PREFIX_SIZE)
    header = HEADER.pack(MAGIC, VERSION, chunk_size, prefix)
    yield header
    buffer = bytearray()
    index = 0
    for piece in plaintext:
        buffer += piece
        # A chunk is sealed only once more data is known to follow, so the final one
        # (possibly full, or empty for an empty file) carries the last flag.
        while len(buffer) > chunk_size:
            yield aead.encrypt(_nonce(prefix, index, False), bytes(buffer[:chunk_size]), header)
            del buffer[:chunk_size]
            index += 1
    yield aead.encrypt(_nonce(prefix, index, True), bytes(buffer), header)


def read_upto(read: Callable[[int], bytes], size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end of the stream (``read`` may return
    short)."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        piece = read(wanted)
        if not piece:
            break
        parts.append(piece)
        wanted -= len(piece)
    return b"".join(parts)


def decrypt_chunks(data_key: bytes, read: Callable[[int], bytes]) -> Iterator[bytes]:
    """The plaintext, chunk by chunk, each authenticated before it is given out; raises
    FileIntegrityError at the first chunk that does not authenticate."""
    header = read_upto(read, HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        raise FileIntegrityError("The stored object is shorter than its header.")
    magic, version, chunk_size, prefix = HEADER.unpack(header)
    if magic != MAGIC:
        raise FileIntegrityError("The stored object is not an encrypted file of this service.")
    if version != VERSION:
        raise FileIntegrityError(f"The stored object has unknown format version {version}.")
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise FileIntegrityError("The stored object's header names an impossible chunk size.")
    aead = AESGCM(data_key)
    frame_size = chunk_size + TAG_SIZE
    current = read_upto(read, frame_size)
    index = 0
    while True:
        following = read_upto(read, frame_size) if len(current) == frame_size else b""
        last = not following
        if len(current) < TAG_SIZE:
            raise FileIntegrityError(f"The stored object is cut short at chunk {index}.")
        try:
            chunk = aead.decrypt(_nonce(prefix, index, last), current, header)
        except InvalidTag:
            raise FileIntegrityError(
                f"Chunk {index} of the stored object failed authentication: the object was "
                "altered, damaged or cut short, or belongs to another file."
            ) from None
        yield chunk
        if last:
            return
        current = following
        index += 1


def encrypted_size(plaintext_size: int, *, chunk_size: int = CHUNK_SIZE) -> int:
    """The stored object's size for a plaintext of this size."""
    frames = max(1, -(-plaintext_size // chunk_size))
    return HEADER_SIZE + plaintext_size + frames * TAG_SIZE
