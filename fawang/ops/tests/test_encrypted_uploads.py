"""Issue 13, deliver 7: uploads encrypted at rest with the field key, streamed; old files encrypted in place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client, SimpleTestCase, override_settings
from django.urls import reverse

from fawang.lib import encrypted_storage as es
from fawang.matters import actions
from fawang.matters.tests.base import MatterTestCase


class EncryptedStorageTests(SimpleTestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.storage = es.EncryptedFileSystemStorage(location=self.tmp.name)

    def stored(self, name: str) -> bytes:
        return (Path(self.tmp.name) / name).read_bytes()

    def test_stored_bytes_are_not_the_uploaded_bytes_and_read_back_whole(self) -> None:
        for size in (0, 1, es.CHUNK - 1, es.CHUNK, es.CHUNK + 1, 3 * es.CHUNK + 123):
            data = os.urandom(size // 2) + b"\xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81 110105194912310021" * (
                size // 80
            )
            data = data[:size] if len(data) >= size else data + b"x" * (size - len(data))
            name = self.storage.save(f"m/{size}.pdf", ContentFile(data))
            raw = self.stored(name)
            self.assertTrue(raw.startswith(es.MAGIC))
            if size > 40:
                self.assertNotIn(data[:40], raw)
            self.assertNotIn(b"110105194912310021", raw)
            with self.storage.open(name) as fh:
                self.assertEqual(fh.read(), data, size)
            self.assertEqual(self.storage.size(name), size)

    def test_a_large_upload_on_disk_is_encrypted_too_not_moved_into_place(self) -> None:
        upload = TemporaryUploadedFile("scan.pdf", "application/pdf", 0, None)
        payload = b"%PDF-1.4 " + b"A" * (300 * 1024)
        upload.write(payload)
        upload.flush()
        name = self.storage.save("m/scan.pdf", upload)
        upload.close()
        self.assertNotIn(b"AAAAAAAAAAAAAAAA", self.stored(name))
        with self.storage.open(name) as fh:
            # Read in small pieces, as a streaming response does.
            got = b"".join(iter(lambda: fh.read(8192), b""))
        self.assertEqual(got, payload)

    def test_an_altered_file_is_refused(self) -> None:
        name = self.storage.save("m/a.txt", ContentFile(b"hello " * 100))
        path = Path(self.tmp.name) / name
        raw = bytearray(path.read_bytes())
        raw[-20] ^= 1
        path.write_bytes(bytes(raw))
        with self.assertRaises(es.UploadDecryptionError), self.storage.open(name) as fh:
            fh.read()

    def test_a_cut_off_file_is_refused(self) -> None:
        name = self.storage.save("m/b.bin", ContentFile(os.urandom(2 * es.CHUNK + 10)))
        path = Path(self.tmp.name) / name
        path.write_bytes(path.read_bytes()[: es.HEADER + es.CHUNK + es.TAG])
        with self.assertRaises(es.UploadDecryptionError), self.storage.open(name) as fh:
            fh.read()

    def test_another_key_cannot_read_but_an_old_key_can(self) -> None:
        name = self.storage.save("m/c.txt", ContentFile(b"secret copy"))
        with (
            override_settings(FIELD_ENCRYPTION_KEY="some-other-key", FIELD_ENCRYPTION_OLD_KEYS=[]),
            self.assertRaises(es.UploadDecryptionError),
            self.storage.open(name) as fh,
        ):
            fh.read()
        from django.conf import settings

        with (
            override_settings(
                FIELD_ENCRYPTION_KEY="the-new-key", FIELD_ENCRYPTION_OLD_KEYS=[settings.FIELD_ENCRYPTION_KEY]
            ),
            self.storage.open(name) as fh,
        ):
            self.assertEqual(fh.read(), b"secret copy")

    def test_old_plain_files_are_read_as_they_are_then_encrypted_in_place(self) -> None:
        folder = Path(self.tmp.name) / "old"
        folder.mkdir()
        (folder / "id.jpg").write_bytes(b"\xff\xd8 plain old upload")
        with self.storage.open("old/id.jpg") as fh:
            self.assertEqual(fh.read(), b"\xff\xd8 plain old upload")
        self.assertEqual(es.encrypt_existing(self.storage), 1)
        self.assertEqual(es.encrypt_existing(self.storage), 0)  # idempotent
        raw = (folder / "id.jpg").read_bytes()
        self.assertTrue(raw.startswith(es.MAGIC))
        self.assertEqual((folder / "id.jpg").stat().st_mode & 0o777, 0o600)
        with self.storage.open("old/id.jpg") as fh:
            self.assertEqual(fh.read(), b"\xff\xd8 plain old upload")

    def test_an_opened_file_can_be_read_again_from_the_start(self) -> None:
        data = os.urandom(2 * es.CHUNK + 77)
        name = self.storage.save("m/d.bin", ContentFile(data))
        with self.storage.open(name) as fh:
            self.assertEqual(fh.read(100), data[:100])
            fh.seek(0)
            self.assertEqual(b"".join(fh.chunks()), data)
            fh.seek(es.CHUNK + 5)
            self.assertEqual(fh.read(10), data[es.CHUNK + 5 : es.CHUNK + 15])
        # Saving a copy of an opened file (a draft's file becoming a matter's attachment) works.
        with self.storage.open(name) as fh:
            copy = self.storage.save("m/copy.bin", fh)
        with self.storage.open(copy) as fh:
            self.assertEqual(fh.read(), data)


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="fawang-test-media-"))
class AttachmentDownloadTests(MatterTestCase):
    def test_an_uploaded_copy_is_stored_encrypted_and_downloads_as_uploaded(self) -> None:
        matter = self.submit()
        pdf = b"%PDF-1.4\n" + b"ID 11010519491231002X " * 5000 + b"\n%%EOF"
        attachment = actions.add_attachment(
            matter.pk, actor=self.sm_clerk, upload=SimpleUploadedFile("身份证.pdf", pdf)
        )
        stored = Path(attachment.file.path).read_bytes()
        self.assertNotEqual(stored, pdf)
        self.assertNotIn(b"11010519491231002X", stored)
        self.assertEqual(attachment.size, len(pdf))
        client = Client()
        client.force_login(self.sm_clerk)
        response = client.get(reverse("matters:attachment", args=[attachment.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(int(response["Content-Length"]), len(pdf))
        self.assertEqual(response.getvalue(), pdf)
