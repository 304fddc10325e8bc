"""Issue 14 item 21: the admin speaks Chinese. Every app and model name on the admin index and every column
header of every list is shown in Chinese — including the third-party task queue's and the masked personal-data
columns, which printed "TASKS DATABASE BACKEND", "Task Results", "PHONE MASKED" and "ID NUMBER MASKED"."""

from __future__ import annotations

import re
from html import unescape

from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fawang.catalog.models import ServiceItem
from fawang.matters import actions
from fawang.matters.tests.base import MONDAY, id_number
from fawang.test import BaseTestCase

CJK = re.compile(r"[\u4e00-\u9fff]")


def texts(html: str, pattern: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(pattern, html, flags=re.S)]


def column_heads(html: str) -> list[str]:
    """The column headers of the change list's table (not the navigation sidebar's hidden ones)."""
    table = re.search(r'<table id="result_list">.*?</thead>', html, flags=re.S)
    return texts(table.group(0), r'<th scope="col"[^>]*>(.*?)</th>') if table else []


class AdminInChineseTestCase(BaseTestCase):
    def test_the_admin_index_names_every_app_and_model_in_chinese(self) -> None:
        self.client.force_login(self.sysadmin)
        html = self.client.get(reverse("admin:index")).content.decode()
        captions = texts(html, r"<caption>(.*?)</caption>")
        models = texts(html, r'<th scope="row" id="[^"]*">(.*?)</th>')
        self.assertGreater(len(captions), 10)
        self.assertIn("后台任务", captions)
        self.assertIn("后台任务记录", models)
        english = [t for t in captions + models if not CJK.search(t)]
        self.assertEqual(english, [])

    def test_every_list_heads_its_columns_in_chinese(self) -> None:
        english: dict[str, list[str]] = {}
        for model, model_admin in admin.site._registry.items():
            labels = [str(label_for_field(f, model, model_admin)) for f in model_admin.list_display]
            bad = [label for label in labels if label != "__str__" and not CJK.search(label)]
            if bad:
                english[model._meta.label] = bad
        self.assertEqual(english, {})

    def test_the_rendered_lists_head_their_columns_in_chinese(self) -> None:
        DBTaskResult.objects.create(
            task_path="fawang.notify.tasks.deliver_due_messages",
            args_kwargs={"args": [], "kwargs": {}},
            backend_name="default",
            run_after=timezone.now(),
        )
        self.client.force_login(self.sysadmin)
        english: dict[str, list[str]] = {}
        for model in admin.site._registry:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            r = self.client.get(url)
            self.assertEqual(r.status_code, 200, url)
            heads = column_heads(r.content.decode())
            bad = [h for h in heads if h and not CJK.search(h)]  # the first column is the select-all box
            if bad:
                english[url] = bad
        self.assertEqual(english, {})
        tasks = self.client.get(
            reverse("admin:django_tasks_database_dbtaskresult_changelist")
        ).content.decode()
        self.assertEqual([h for h in column_heads(tasks) if h][:3], ["编号", "任务", "状态"])

    def test_the_people_list_names_its_masked_columns(self) -> None:
        # A person on the list (the list has no columns while it is empty): a matter taken in at the window.
        actions.do_submit(
            actor=self.sm_clerk,
            person=actions.PersonData(name="张三", phone="13912345678", id_number=id_number()),
            requests=[
                actions.MatterRequest(
                    service_item=ServiceItem.objects.get(code="legal_aid"),
                    description="用人单位拖欠三个月工资，申请法律援助。",
                    region=self.region("350203001"),
                )
            ],
            channel="window",
            intake_unit=self.unit("siming.xiagang.station"),
            now=MONDAY,
        )
        self.client.force_login(self.sysadmin)
        html = self.client.get(reverse("admin:matters_person_changelist")).content.decode()
        heads = column_heads(html)
        self.assertIn("联系电话", heads)
        self.assertIn("身份证号码", heads)
