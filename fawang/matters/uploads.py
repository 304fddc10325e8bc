"""Upload checks: the type is decided by the file's first bytes (magic numbers), never by its name or the
browser's Content-Type, and the size is limited (conf.upload_max_bytes, 10 MB by default)."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import conf

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.3g} MB"
    return f"{size / 1024:.3g} KB"


def _is_docx(stream: IO[bytes]) -> bool:
    # A .docx is a ZIP holding word/document.xml; reading the directory does not unpack anything.
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        stream.seek(0)
    return "word/document.xml" in names and "[Content_Types].xml" in names


def check_upload(stream: IO[bytes], size: int | None = None) -> CheckedFile:
    """Type, size and digest of an uploaded file, or a ValidationError in Chinese."""
    limit = conf.upload_max_bytes()
    stream.seek(0, 2)
    actual = stream.tell() if size is None else size
    stream.seek(0)
    if actual == 0:
        raise ValidationError(_("文件为空，请重新选择。"), code="empty_file")
    if actual > limit:
        raise ValidationError(
            _("文件不能超过 %(size)s。") % {"size": size_label(limit)}, code="file_too_large"
        )
    head = stream.read(16)
    stream.seek(0)
    found: tuple[str, str] | None = None
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            found = (content_type, extension)
            break
    if found is None and head.startswith(b"PK\x03\x04") and _is_docx(stream):
        found = (DOCX_TYPE, ".docx")
    if found is None:
        raise ValidationError(_("只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件。"), code="file_type")
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(65536), b""):
        digest.update(chunk)
    stream.seek(0)
    return CheckedFile(found[0], found[1], actual, digest.hexdigest())


def check_uploads(uploads: Sequence[UploadedFile]) -> None:
    """Every file of one upload checked (``check_upload``) before the first is stored, so a refused file leaves no
    stray file on disk; a refusal names the file."""
    for upload in uploads:
        if upload.file is None:
            raise ValidationError(_("文件为空，请重新选择。"), code="empty_file")
        try:
            check_upload(upload.file, upload.size)
        except ValidationError as error:
            raise ValidationError(
                _("“%(name)s”：%(error)s") % {"name": upload.name or "", "error": " ".join(error.messages)},
                code=error.code,
            ) from None
