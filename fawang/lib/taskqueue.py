"""The database task queue (django-tasks-db) under a Chinese name in the admin.

The third-party app names itself "Tasks Database Backend" without gettext, and its list shows a property
(``task_name``) without a label, so the admin index and the list printed English (issue 14, item 21). This
config keeps the app's label and models; it only gives the app a Chinese name and the list Chinese column
headers. Its field names and status labels are translated in ``locale/zh_Hans``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    verbose_name = "后台任务"

    def ready(self) -> None:
        super().ready()
        # Models can be imported only now that the registry is ready.
        from django.contrib import admin
        from django_tasks_db.admin import DBTaskResultAdmin
        from django_tasks_db.models import DBTaskResult

        class TaskResultAdmin(DBTaskResultAdmin):
            list_display = (
                "shown_id",
                "shown_task_name",
                "status",
                "enqueued_at",
                "started_at",
                "finished_at",
                "priority",
                "queue_name",
            )

            @admin.display(description=_("编号"), ordering="id")
            def shown_id(self, obj: DBTaskResult) -> str:
                return str(obj.id)

            @admin.display(description=_("任务"), ordering="task_path")
            def shown_task_name(self, obj: DBTaskResult) -> str:
                # The function's name, read from its path: the list never imports or rebuilds the task.
                return obj.task_path.rsplit(".", 1)[-1]

        # The admin (earlier in INSTALLED_APPS) has registered the app's own admin by now.
        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
        admin.site.register(DBTaskResult, TaskResultAdmin)
