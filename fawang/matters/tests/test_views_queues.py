"""The workbench queues: who sees which list, the filters, masking, bulk assign and query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fawang.calendar.workdays import snapshot
from fawang.orgs.web import SESSION_KEY

from .. import actions
from ..models import Matter, MatterEvent
from .base import MONDAY, MatterTestCase, id_number


class QueueTestCase(MatterTestCase):
    def client_for(self, user: Any, unit: Any = None) -> Client:
        client = Client()
        client.force_login(user)
        if unit is not None:
            session = client.session
            session[SESSION_KEY] = unit.pk
            session.save()
        return client

    def test_queues_render_for_staff_and_scope_by_region(self) -> None:
        matter = self.submit(description="邻里纠纷-思明")
        hl = self.submit(
            self.mediation,
            actor=self.hl_clerk,
            region="350206001",
            intake_unit=self.unit("huli.centre"),
            person=self.person(name="李四", id_number=id_number(region="350206")),
        )
        clerk = self.client_for(self.sm_clerk)
        mine = clerk.get(reverse("matters:my_queue"))
        self.assertEqual(mine.status_code, 200)
        self.assertContains(mine, matter.tracking_no)
        self.assertNotContains(mine, hl.tracking_no)
        # The legal-aid centre's queue has the application; the 湖里区 clerk sees nothing of 思明区.
        handler = self.client_for(self.sm_handler, self.sm_legal_aid).get(reverse("matters:unit_queue"))
        self.assertContains(handler, matter.tracking_no)
        hl_page = self.client_for(self.hl_clerk).get(reverse("matters:my_queue"))
        self.assertContains(hl_page, hl.tracking_no)
        self.assertNotContains(hl_page, matter.tracking_no)
        # The list of everything visible is for supervisors.
        self.assertEqual(clerk.get(reverse("matters:list")).status_code, 403)
        sup = self.client_for(self.sm_supervisor).get(reverse("matters:list"))
        self.assertContains(sup, matter.tracking_no)
        self.assertNotContains(sup, hl.tracking_no)

    def test_lists_mask_personal_data(self) -> None:
        matter = self.submit(person=self.person(name="张三丰", phone="13912345678"))
        page = self.client_for(self.sm_supervisor).get(reverse("matters:list"), {"q": matter.tracking_no})
        self.assertContains(page, "张*丰")
        self.assertContains(page, "139****5678")
        self.assertNotContains(page, "张三丰")
        self.assertNotContains(page, "13912345678")
        self.assertNotContains(page, id_number())

    def test_rows_escape_html_in_names(self) -> None:
        matter = self.submit(person=self.person(name="<b>张</b>丰", phone="13912345678"))
        actions.do_accept(matter.pk, actor=self.sm_handler)
        self.sm_handler.display_name = '承办人"><script>x</script>'
        self.sm_handler.save(update_fields=["display_name"])
        actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_handler)
        page = self.client_for(self.sm_supervisor).get(reverse("matters:list"), {"q": matter.tracking_no})
        self.assertContains(page, "&lt;*******丰")  # masked, and what is left is escaped
        self.assertContains(page, "承办人&quot;&gt;&lt;script&gt;x&lt;/script&gt;")
        self.assertNotContains(page, "<script>x")

    def test_filters_keep_their_values_and_filter(self) -> None:
        legal = self.submit()
        mediation = self.submit(
            self.mediation, channel="hotline", intake_unit=self.sm_centre, actor=self.sm_agent
        )
        actions.do_accept(legal.pk, actor=self.sm_handler)
        client = self.client_for(self.sm_supervisor)
        url = reverse("matters:list")

        def found(**params: Any) -> set[str]:
            response = client.get(url, params)
            self.assertEqual(response.status_code, 200)
            return {
                no for no in (legal.tracking_no, mediation.tracking_no) if no in response.content.decode()
            }

        both = {legal.tracking_no, mediation.tracking_no}
        self.assertEqual(found(), both)
        self.assertEqual(found(status="accepted"), {legal.tracking_no})
        self.assertEqual(found(status="open"), both)
        self.assertEqual(found(item=self.mediation.pk), {mediation.tracking_no})
        self.assertEqual(found(channel="hotline"), {mediation.tracking_no})
        self.assertEqual(found(region="350203001"), both)
        self.assertEqual(found(region="350203003"), set())
        # A filter that does not validate shows its error and no rows, never everything.
        self.assertEqual(found(region="350203002"), set())
        self.assertContains(client.get(url, {"region": "350203002"}), "所选地区不存在，请重新选择。")
        # The mediation was submitted on MONDAY 2025-03-03 (3 working days to accept): long overdue. The
        # application, accepted just now, is put inside its warning window.
        now = timezone.now()
        Matter.objects.filter(pk=legal.pk).update(
            warn_at=now - dt.timedelta(hours=1), due_at=now + dt.timedelta(hours=1)
        )
        self.assertEqual(found(overdue="on"), {mediation.tracking_no})
        self.assertEqual(found(due_soon="on"), {legal.tracking_no})
        self.assertEqual(found(due_soon="on", overdue="on"), both)
        self.assertEqual(found(sort="new", overdue="on"), {mediation.tracking_no})
        # Search: exact tracking number (any case, spaces), phone, ID number through its keyed hash.
        self.assertEqual(found(q=legal.tracking_no.lower()), {legal.tracking_no})
        self.assertEqual(found(q="139 1234 5678"), both)
        self.assertEqual(found(q=id_number()), both)
        response = client.get(url, {"q": "1391234"})
        self.assertContains(response, "请输入完整的受理编号、联系电话或身份证号码。")
        # The form shows the values it filtered by.
        response = client.get(url, {"channel": "hotline", "q": "13912345678"})
        self.assertContains(response, '<option value="hotline" selected>')
        self.assertContains(response, 'value="13912345678"')

    def test_topic_filter(self) -> None:
        from fawang.orgs.models import Speciality

        labour = Speciality.objects.get(name="劳动纠纷")
        with_topic = self.submit(topic=labour)
        without = self.submit(self.mediation)
        response = self.client_for(self.sm_supervisor).get(reverse("matters:list"), {"topic": labour.pk})
        self.assertContains(response, with_topic.tracking_no)
        self.assertNotContains(response, without.tracking_no)

    def test_badges_show_the_time_limit_state(self) -> None:
        self.submit()
        response = self.client_for(self.sm_clerk).get(reverse("matters:my_queue"))
        self.assertContains(response, '<span class="badge badge-danger">超期</span>')
        self.assertContains(response, '<span class="badge badge-warn">已提交</span>')

    def test_query_count_does_not_depend_on_page_size(self) -> None:
        client = self.client_for(self.sm_supervisor)
        url = reverse("matters:list")
        snapshot()
        self.submit()
        client.get(url)  # warm the session and the per-process caches
        with CaptureQueriesContext(connection) as one:
            self.assertEqual(client.get(url).status_code, 200)
        for i in range(12):
            self.submit(
                self.mediation if i % 2 else self.legal_aid,
                person=self.person(name=f"王{i}", id_number=id_number(seq=f"{200 + i}")),
            )
        with self.assertNumQueries(len(one.captured_queries)) as ctx:
            response = client.get(url)
        # The matters table is read three times: the capped count, the page's ids, the page's rows.
        reads = [q["sql"] for q in ctx.captured_queries if 'FROM "matters_matter"' in q["sql"]]
        self.assertEqual(len(reads), 3, reads)
        self.assertEqual(len(response.context["rows"]), Matter.objects.visible_to(self.sm_supervisor).count())
        self.assertGreater(len(response.context["rows"]), 12)

    def test_bulk_assign_reports_each_row(self) -> None:
        accepted = [self.submit(person=self.person(id_number=id_number(seq=f"{300 + i}"))) for i in range(2)]
        for m in accepted:
            actions.do_accept(m.pk, actor=self.sm_handler)
        not_accepted = self.submit(person=self.person(id_number=id_number(seq="399")))
        hl = self.submit(
            self.mediation,
            actor=self.hl_clerk,
            region="350206001",
            intake_unit=self.unit("huli.centre"),
            person=self.person(id_number=id_number(region="350206")),
        )
        client = self.client_for(self.sm_handler, self.sm_legal_aid)
        queue = client.get(reverse("matters:unit_queue"))
        self.assertContains(queue, 'id="bulk-assign"')
        ids = [m.pk for m in accepted] + [not_accepted.pk, hl.pk]
        response = client.post(
            reverse("matters:bulk_assign"),
            {"ids": ids, "handler": self.sm_handler.pk, "next": reverse("matters:unit_queue")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "成功 2 件，未成功 2 件。")
        self.assertContains(response, "该事项当前状态为“已提交”，不能分派。")
        self.assertContains(response, "未找到该事项，或不在您的辖区内。")
        for m in accepted:
            m.refresh_from_db()
            self.assertEqual((m.status, m.handler), (Matter.Status.IN_PROGRESS, self.sm_handler))
            self.assertTrue(MatterEvent.objects.filter(matter=m, action="assign").exists())
        hl.refresh_from_db()
        self.assertEqual((hl.status, hl.handler), (Matter.Status.SUBMITTED, None))

    def test_bulk_assign_needs_the_assign_role_a_handler_and_rows(self) -> None:
        matter = self.submit()
        clerk = self.client_for(self.sm_clerk)
        self.assertNotContains(clerk.get(reverse("matters:unit_queue")), 'id="bulk-assign"')
        response = clerk.post(
            reverse("matters:bulk_assign"), {"ids": [matter.pk], "handler": self.sm_handler.pk}
        )
        self.assertEqual(response.status_code, 403)
        handler = self.client_for(self.sm_handler)
        response = handler.post(reverse("matters:bulk_assign"), {"handler": self.sm_handler.pk})
        self.assertContains(response, "请先勾选要分派的事项。", status_code=400)
        # A handler of another unit is not offered and refused.
        response = handler.post(
            reverse("matters:bulk_assign"), {"ids": [matter.pk], "handler": self.hl_handler.pk}
        )
        self.assertContains(response, "承办人须为本机构在岗的承办人员。", status_code=400)
        self.assertEqual(response.context["results"], [])
        self.assertEqual(handler.get(reverse("matters:bulk_assign")).status_code, 405)

    def test_unit_queue_follows_the_unit_switcher(self) -> None:
        at_station = self.submit(self.consultation, intake_unit=self.station)
        at_centre = self.submit(self.consultation, intake_unit=self.sm_centre)
        # Consultations are answered where they are taken in (handled_at_intake).
        self.assertEqual((at_station.unit, at_centre.unit), (self.station, self.sm_centre))
        station = self.client_for(self.sm_clerk, self.station).get(reverse("matters:unit_queue"))
        self.assertContains(station, at_station.tracking_no)
        self.assertNotContains(station, at_centre.tracking_no)
        centre = self.client_for(self.sm_clerk, self.sm_centre).get(reverse("matters:unit_queue"))
        self.assertContains(centre, at_centre.tracking_no)
        self.assertNotContains(centre, at_station.tracking_no)

    def test_nav_lists_the_workbench(self) -> None:
        page = self.client_for(self.sm_clerk).get(reverse("matters:my_queue"))
        for label in ("我的待办", "本单位事项", "受理登记"):
            self.assertContains(page, label)
        self.assertNotContains(page, "超期与预警")
        sup = self.client_for(self.sm_supervisor).get(reverse("matters:my_queue"))
        for label in ("全部事项", "超期与预警", "差评与回访"):
            self.assertContains(sup, label)


class CappedListTestCase(QueueTestCase):
    """Big lists count up to a cap (fawang/lib/paging.py) and say so; the order is the same either way."""

    def setUp(self) -> None:
        super().setUp()
        for i in range(6):
            self.submit(
                self.mediation if i % 2 else self.legal_aid,
                person=self.person(name=f"赵{i}", id_number=id_number(seq=f"{300 + i}")),
                now=MONDAY + dt.timedelta(hours=i),
            )

    def page(self, cap: int, **params: str) -> Any:
        from fawang.matters.views import queues as views

        per_page, views.PER_PAGE = views.PER_PAGE, 2
        try:
            with self.settings(LIST_COUNT_CAP=cap):
                return self.client_for(self.sm_supervisor).get(reverse("matters:list"), params)
        finally:
            views.PER_PAGE = per_page

    def test_over_the_cap_the_list_says_more_and_asks_for_filters(self) -> None:
        total = Matter.objects.visible_to(self.sm_supervisor).count()
        self.assertGreater(total, 4)
        capped = self.page(cap=4)
        self.assertContains(capped, "超过 4 条，只列出前 4 条（第 1 / 2 页）；请用筛选条件缩小范围。")
        exact = self.page(cap=1000)
        self.assertContains(exact, f"共 {total} 条，第 1 / {(total + 1) // 2} 页")

    def test_the_order_is_the_same_below_and_above_the_cap(self) -> None:
        for params in ({}, {"sort": "new"}, {"status": "submitted"}):
            above = [row.matter.pk for row in self.page(cap=3, **params).context["rows"]]
            below = [row.matter.pk for row in self.page(cap=1000, **params).context["rows"]]
            self.assertEqual(above, below, params)
            self.assertEqual(len(below), 2)

    def test_ended_matters_list_newest_first(self) -> None:
        rows = self.page(cap=1000, status="submitted", sort="new").context["rows"]
        self.assertGreaterEqual(rows[0].matter.submitted_at, rows[1].matter.submitted_at)
