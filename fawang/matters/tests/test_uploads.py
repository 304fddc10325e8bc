"""Attachments: type by content (magic bytes), size limit, stored under a random name, an event per upload."""

from __future__ import annotations

import io
import tempfile
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from .. import actions
from ..models import Attachment
from .base import MatterTestCase

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="fawang-test-media-"))
class UploadTestCase(MatterTestCase):
    def upload(self, name: str, content: bytes, **kwargs: object) -> Attachment:
        matter = getattr(self, "matter", None) or self.submit()
        self.matter = matter
        return actions.add_attachment(
            matter.pk,
            actor=self.sm_clerk,
            upload=SimpleUploadedFile(name, content),
            **kwargs,  # type: ignore[arg-type]
        )

    def test_accepted_types_are_decided_by_content(self) -> None:
        material = self.legal_aid.materials.get(name="申请人身份证明")
        pdf = self.upload("申请表.pdf", PDF, material_id=material.pk)
        self.assertEqual((pdf.content_type, pdf.size, pdf.material), ("application/pdf", len(PDF), material))
        self.assertTrue(str(pdf.file.name).startswith("matters/") and str(pdf.file.name).endswith(".pdf"))
        self.assertNotIn("申请表", str(pdf.file.name))
        # A PNG named .pdf is stored as what it is.
        png = self.upload("photo.pdf", PNG)
        self.assertEqual((png.content_type, str(png.file.name)[-4:]), ("image/png", ".png"))
        word = self.upload("说明.docx", docx())
        self.assertEqual(
            word.content_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        self.assertEqual(self.events(self.matter).count("attach"), 3)

    def test_other_types_are_refused(self) -> None:
        for name, content in (
            ("virus.pdf", b"MZ\x90\x00 not a pdf"),
            ("page.html", b"<html><script>alert(1)</script>"),
            ("plain.zip", b"PK\x03\x04" + b"\x00" * 30),
        ):
            with self.subTest(name=name), self.assertRaises(ValidationError) as ctx:
                self.upload(name, content)
            self.assertEqual(ctx.exception.messages, ["只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件。"])
        with self.assertRaises(ValidationError) as ctx:
            self.upload("empty.pdf", b"")
        self.assertEqual(ctx.exception.messages, ["文件为空，请重新选择。"])
        self.assertFalse(Attachment.objects.filter(matter=self.matter).exists())

    def test_size_limit(self) -> None:
        limit = 10 * 1024 * 1024
        with self.assertRaises(ValidationError) as ctx:
            self.upload("big.pdf", PDF + b"0" * (limit - len(PDF) + 1))
        self.assertEqual(ctx.exception.messages, ["文件不能超过 10 MB。"])
        self.assertEqual(self.upload("just.pdf", PDF + b"0" * (limit - len(PDF))).size, limit)
        with (
            override_settings(MATTERS_UPLOAD_MAX_BYTES=512 * 1024),
            self.assertRaises(ValidationError) as ctx,
        ):
            self.upload("big.pdf", PDF + b"0" * 600 * 1024)
        self.assertEqual(ctx.exception.messages, ["文件不能超过 512 KB。"])

    def test_a_material_of_another_item_and_strangers_are_refused(self) -> None:
        other = self.mediation.materials.first()
        assert other is not None
        with self.assertRaises(ValidationError) as ctx:
            self.upload("a.pdf", PDF, material_id=other.pk)
        self.assertEqual(ctx.exception.messages, ["所选材料不属于该服务事项。"])
        with self.assertRaises(PermissionDenied):
            actions.add_attachment(
                self.matter.pk, actor=self.citizen, upload=SimpleUploadedFile("a.pdf", PDF)
            )
