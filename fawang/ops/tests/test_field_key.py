"""Issue 13, data at rest: TOTP secrets under the field key, and rotate_field_key re-encrypts everything."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from fawang.accounts.models import User
from fawang.lib import crypto
from fawang.lib.encrypted_storage import EncryptedFileSystemStorage
from fawang.matters.models import Person
from fawang.test import BaseTestCase

ID_NUMBER = "11010519491231002X"


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


class FieldKeyTests(BaseTestCase):
    def test_a_totp_secret_is_stored_encrypted(self) -> None:
        User.objects.filter(pk=self.sm_clerk.pk).update(totp_secret="JBSWY3DPEHPK3PXP")
        stored = raw("accounts_user", "totp_secret", self.sm_clerk.pk)
        self.assertNotIn("JBSWY3DPEHPK3PXP", stored)
        self.assertEqual(crypto.decrypt(stored), "JBSWY3DPEHPK3PXP")
        self.assertEqual(User.objects.get(pk=self.sm_clerk.pk).totp_secret, "JBSWY3DPEHPK3PXP")

    def test_rotation_reencrypts_and_rehashes_and_moves_the_key_file(self) -> None:
        User.objects.filter(pk=self.sm_clerk.pk).update(totp_secret="JBSWY3DPEHPK3PXP")
        person = Person.objects.create(name="李四", id_number=ID_NUMBER)
        old_token = raw("matters_person", "id_number", person.pk)
        old_hash = Person.objects.get(pk=person.pk).id_number_hash
        OLD = settings.FIELD_ENCRYPTION_KEY
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as media:
            storage = EncryptedFileSystemStorage(location=media)
            upload = storage.save("m/id.pdf", ContentFile(b"%PDF an ID copy"))
            before = (Path(media) / upload).read_bytes()
            key_file = Path(tmp) / "field_key"
            key_file.write_text(OLD)
            with override_settings(FIELD_KEY_FILE=key_file, MEDIA_ROOT=media):
                out = StringIO()
                call_command("rotate_field_key", stdout=out)
            self.assertNotEqual((Path(media) / upload).read_bytes(), before)
            with (
                override_settings(FIELD_ENCRYPTION_KEY=key_file.read_text(), FIELD_ENCRYPTION_OLD_KEYS=[]),
                storage.open(upload) as fh,
            ):
                self.assertEqual(fh.read(), b"%PDF an ID copy")
            new_key = key_file.read_text()
            self.assertNotEqual(new_key, OLD)
            self.assertEqual((Path(tmp) / "field_key.old").read_text(), OLD)
            self.assertEqual(key_file.stat().st_mode & 0o777, 0o600)
        self.assertIn("已用新密钥重新加密", out.getvalue())
        # Under the new key alone (the old one forgotten) everything still reads, and look-ups still find.
        with override_settings(FIELD_ENCRYPTION_KEY=new_key, FIELD_ENCRYPTION_OLD_KEYS=[]):
            self.assertNotEqual(raw("matters_person", "id_number", person.pk), old_token)
            self.assertEqual(Person.objects.get(pk=person.pk).id_number, ID_NUMBER)
            self.assertEqual(
                Person.objects.get(pk=person.pk).id_number_hash, Person.hash_id_number(ID_NUMBER)
            )
            self.assertNotEqual(Person.objects.get(pk=person.pk).id_number_hash, old_hash)
            self.assertEqual(User.objects.get(pk=self.sm_clerk.pk).totp_secret, "JBSWY3DPEHPK3PXP")
        # And the old key alone no longer opens it.
        with override_settings(FIELD_ENCRYPTION_OLD_KEYS=[]), self.assertRaises(crypto.DecryptionError):
            crypto.decrypt(raw("accounts_user", "totp_secret", self.sm_clerk.pk))
