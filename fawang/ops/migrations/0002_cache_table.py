"""The database cache's table (settings.CACHE_TABLE), where the throttles of every process count when REDIS_URL is
not set. Made here so that `migrate` (and so the README's set-up and every test database) has it."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "fawang_cache"


def create(apps: Any, schema_editor: Any) -> None:
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("ops", "0001_heartbeat")]

    operations = [migrations.RunPython(create, drop)]
