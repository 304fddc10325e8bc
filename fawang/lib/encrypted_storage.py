"""Uploaded files encrypted at rest with the field key, streamed in 64 KiB chunks.

Uploads are often copies of ID cards. Each file is written as::

    b"FWE1" | 8-byte random file nonce | chunk 0 | chunk 1 | ...

where every chunk is AES-256-GCM of up to ``CHUNK`` plaintext bytes (ciphertext + 16-byte tag) under a key
derived from the field key (HKDF, its own label), with nonce = file nonce + 4-byte chunk counter and the
associated data saying whether it is the last chunk, so chunks cannot be reordered, dropped or cut off
unnoticed. Neither writing nor reading holds more than a chunk or two in memory. A file without the header
(saved before encryption was switched on) is read as it is; ``encrypt_existing`` (run by ``prepare_site``)
encrypts such files in place. Old keys (``FIELD_ENCRYPTION_OLD_KEYS``) still open files.
"""

from __future__ import annotations

import io
import os
import secrets
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage

MAGIC = b"FWE1"
NONCE_PREFIX = 8
HEADER = len(MAGIC) + NONCE_PREFIX
CHUNK = 64 * 1024
TAG = 16
LABEL = b"fawang upload encryption v1"


class UploadDecryptionError(Exception):
    """A stored file does not decrypt with any configured key (wrong key, or the file was altered)."""


def _key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=LABEL).derive(secret.encode())


def _keys() -> list[bytes]:
    return [
        _key(k) for k in (settings.FIELD_ENCRYPTION_KEY, *getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", ()))
    ]


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(last: bool) -> bytes:
    return b"last" if last else b"more"


def encrypt_stream(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The encrypted form of a byte stream, piece by piece."""
    aes = AESGCM(_key(settings.FIELD_ENCRYPTION_KEY))
    prefix = secrets.token_bytes(NONCE_PREFIX)
    yield MAGIC + prefix
    buffer = bytearray()
    index = 0
    for piece in chunks:
        buffer.extend(piece)
        # Keep at least one byte back, so the last chunk is always known to be last when it is written.
        while len(buffer) > CHUNK:
            yield aes.encrypt(_nonce(prefix, index), bytes(buffer[:CHUNK]), _aad(False))
            del buffer[:CHUNK]
            index += 1
    yield aes.encrypt(_nonce(prefix, index), bytes(buffer), _aad(True))


class DecryptingReader(io.RawIOBase):
    """A read-only file object giving the plaintext of an encrypted file, a chunk at a time."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self._aes: AESGCM | None = None
        self._rewind()

    def _rewind(self) -> None:
        self._raw.seek(0)
        header = self._raw.read(HEADER)
        self._prefix = header[len(MAGIC) :]
        self._index = 0
        self._pending = b""
        self._done = False
        self._pos = 0
        self._next = self._raw.read(CHUNK + TAG)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Rewinds and reads forward (copies of a file start again from 0; nothing here seeks at random)."""
        if whence == io.SEEK_END and offset == 0:
            # The end (FileResponse measures the length so): known from the stored size, nothing to decrypt.
            self._pos = plain_size(os.fstat(self._raw.fileno()).st_size)
            self._pending, self._done = b"", True
            return self._pos
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence == io.SEEK_END:
            offset += plain_size(os.fstat(self._raw.fileno()).st_size)
        if offset < self._pos:
            self._rewind()
        while self._pos < offset:
            skipped = self.read(min(offset - self._pos, CHUNK))
            if not skipped:
                break
        return self._pos

    def _open_chunk(self, data: bytes, last: bool) -> bytes:
        nonce = _nonce(self._prefix, self._index)
        candidates = [self._aes] if self._aes else [AESGCM(k) for k in _keys()]
        for aes in candidates:
            try:
                plain = aes.decrypt(nonce, data, _aad(last))
            except InvalidTag:
                continue
            self._aes = aes
            return plain
        raise UploadDecryptionError(
            "上传文件无法解密：请检查 FIELD_KEY 与 FIELD_OLD_KEYS 配置，或文件已被改动。"
        )

    def _fill(self) -> None:
        if self._done:
            return
        current = self._next
        self._next = self._raw.read(CHUNK + TAG)
        last = not self._next
        self._pending += self._open_chunk(current, last)
        self._index += 1
        self._done = last

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._done:
            self._fill()
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        self._pos += n
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def is_encrypted(path: str | Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def plain_size(stored: int) -> int:
    body = stored - HEADER
    chunks = max(1, -(-body // (CHUNK + TAG)))
    return body - chunks * TAG


class _EncryptingContent(File):
    """What FileSystemStorage._save writes: the encrypted chunks (and no temporary_file_path, so the plain
    temporary file of a large upload is never moved into place)."""

    def __init__(self, content: File) -> None:
        super().__init__(None, getattr(content, "name", None))
        self._content = content

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        if hasattr(self._content, "seek"):
            self._content.seek(0)
        return encrypt_stream(self._content.chunks(CHUNK))


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: File) -> str:
        return super()._save(name, _EncryptingContent(content))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("encrypted uploads are written through save() only")
        path = self.path(name)
        raw = open(path, "rb")  # noqa: SIM115 - handed to the File, which closes it
        if raw.read(len(MAGIC)) != MAGIC:
            raw.seek(0)
            return File(raw, name)
        raw.seek(0)
        return File(io.BufferedReader(DecryptingReader(raw), buffer_size=CHUNK), name)

    def size(self, name: str) -> int:
        stored = super().size(name)
        return plain_size(stored) if is_encrypted(self.path(name)) else stored


def _stored_files(storage: Any = None) -> Iterator[Path]:
    from django.core.files.storage import default_storage

    root = Path(getattr(storage or default_storage, "location", ""))
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                yield path


def _rewrite(path: Path, plain: IO[bytes]) -> None:
    """Replace ``path`` with the encryption (current key) of ``plain``, atomically."""
    tmp = path.with_name(f".{path.name}.enc-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        for piece in encrypt_stream(iter(lambda: plain.read(CHUNK), b"")):
            out.write(piece)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def encrypt_existing(storage: Any = None) -> int:
    """Encrypt, in place, every stored file that is not encrypted yet; the count done."""
    done = 0
    for path in _stored_files(storage):
        if not is_encrypted(path):
            with open(path, "rb") as src:
                _rewrite(path, src)
            done += 1
    return done


def reencrypt_all(storage: Any = None) -> int:
    """Re-encrypt every encrypted file under the current key (read with any configured key), for
    ``rotate_field_key``; plain files are encrypted too. The count done."""
    done = 0
    for path in _stored_files(storage):
        with open(path, "rb") as raw:
            if raw.read(len(MAGIC)) == MAGIC:
                _rewrite(path, io.BufferedReader(DecryptingReader(raw), buffer_size=CHUNK))
            else:
                raw.seek(0)
                _rewrite(path, raw)
        done += 1
    return done
