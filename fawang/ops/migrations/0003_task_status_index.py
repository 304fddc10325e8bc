"""An index on the task table's (status, task_path): every worker looks for RUNNING rows with lapsed leases every
few seconds and the scheduler for each job's unfinished row every pass (fawang.ops.leases, the scheduler); the
package indexes READY rows only, and the table keeps every finished run, so without it each look-up would read it
all."""

from __future__ import annotations

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"


class Migration(migrations.Migration):
    dependencies = [("ops", "0002_cache_table"), ("django_tasks_database", "0021_conditional_partial_index_ordering")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS ops_task_status_path ON {TABLE} (status, task_path)",
            "DROP INDEX IF EXISTS ops_task_status_path",
        )
    ]
