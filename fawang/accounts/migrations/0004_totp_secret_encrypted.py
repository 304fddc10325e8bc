"""TOTP secrets encrypted with the field key: the column becomes an encrypted text column and every secret
already stored in plain text is encrypted in place (a Fernet token starts "gAAAAA"; those are left alone)."""

from typing import Any

from django.db import migrations

import fawang.lib.crypto


def encrypt_secrets(apps: Any, schema_editor: Any) -> None:
    from fawang.lib import crypto

    connection = schema_editor.connection
    table = connection.ops.quote_name("accounts_user")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, totp_secret FROM {table} WHERE totp_secret <> ''")  # noqa: S608
        rows = cursor.fetchall()
        for pk, value in rows:
            if value and not value.startswith("gAAAAA"):
                cursor.execute(
                    f"UPDATE {table} SET totp_secret = %s WHERE id = %s",  # noqa: S608
                    [crypto.encrypt(value), pk],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_staff_sign_in_hardening"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="totp_secret",
            field=fawang.lib.crypto.EncryptedTextField(
                blank=True,
                default="",
                help_text="基于时间的一次性口令（TOTP）密钥，加密保存；为空表示未绑定。",
                verbose_name="动态口令密钥",
            ),
        ),
        migrations.RunPython(encrypt_secrets, migrations.RunPython.noop),
    ]
