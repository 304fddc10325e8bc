"""Legal aid end to end at the action level: the hardship standard comparison, decisions and their notices, 一次性
告知, assignment by rotation with the 第二十六条 rule, the firm's work and the centre's check, objections, 先行提供
and subsidies."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fawang.matters import actions as matter_actions
from fawang.matters.models import Matter
from fawang.orgs.models import Unit
from fawang.testing.world import HARDSHIP_DOC, world

from .. import actions, documents, standards, stats
from ..actions import StandardData
from ..models import Assignment, Decision, HardshipStandard, Subsidy
from .base import LegalAidTestCase, pdf_text


class StandardsTestCase(LegalAidTestCase):
    def test_the_comparison_walks_up_the_region_tree_to_the_standard_in_force(self) -> None:
        matter = self.apply()
        cmp = standards.compare(matter)
        # 福建省's standard (1 × the minimum wage), the minimum wage of 厦门市 (the nearest region with one).
        self.assertEqual(cmp.standard.region_id, "35")  # type: ignore[union-attr]
        self.assertEqual(cmp.threshold, Decimal("2030.00"))
        self.assertEqual(cmp.per_capita, Decimal("450.00"))
        self.assertEqual(cmp.household, 4)
        self.assertEqual(cmp.result, standards.Result.MEETS)
        self.assertIn("月最低工资标准的 1.00 倍", cmp.rule)
        self.assertTrue(cmp.pledged)

    def test_a_standard_change_dated_tomorrow_leaves_todays_comparison_alone(self) -> None:
        matter = self.apply()
        before = standards.compare(matter)
        actions.do_set_standard(
            StandardData(
                region=self.region("3502"),
                basis=HardshipStandard.Basis.FIXED,
                amount=Decimal("300"),
                effective_from=self.tomorrow(),
                document="厦门市调整法律援助经济困难标准的通知",
            ),
            actor=self.xm_supervisor,
        )
        after = standards.compare(matter)
        self.assertEqual(
            (after.standard, after.threshold, after.result),
            (before.standard, before.threshold, before.result),
        )
        # An application dated tomorrow is compared with the new one.
        later = standards.compare(matter, on=self.tomorrow())
        self.assertEqual((later.threshold, later.result), (Decimal("300"), standards.Result.ABOVE))

    def test_a_decision_keeps_its_comparison_when_the_standard_changes(self) -> None:
        matter = self.apply()
        decision = actions.do_decide(matter.pk, actor=self.sm_handler, grant=True, reasons="")
        actions.do_set_standard(
            StandardData(
                region=self.region("350203"),
                basis=HardshipStandard.Basis.FIXED,
                amount=Decimal("100"),
                effective_from=self.tomorrow(),
                document="调整",
            ),
            actor=self.sm_supervisor,
        )
        decision.refresh_from_db()
        self.assertEqual(decision.threshold, Decimal("2030.00"))
        self.assertIn("符合经济困难条件", decision.comparison)

    def test_no_retroactive_change_and_only_where_the_bureau_reaches(self) -> None:
        data = StandardData(
            region=self.region("350203"),
            basis=HardshipStandard.Basis.FIXED,
            amount=Decimal("1500"),
            effective_from=self.tomorrow(),
            document="思明区",
        )
        with self.assertRaises(PermissionDenied):
            actions.do_set_standard(data, actor=self.hl_supervisor)
        actions.do_set_standard(data, actor=self.sm_supervisor)
        with self.assertRaisesMessage(ValidationError, "执行日期须晚于现行标准的执行日期"):
            actions.do_set_standard(data, actor=self.sm_supervisor)

    def test_the_console_shows_the_comparison_and_the_rule(self) -> None:
        matter = self.apply()
        client = Client()
        client.force_login(self.sm_handler)
        page = client.get(reverse("matters:detail", args=[matter.pk])).content.decode()
        self.assertIn("经济困难状况比对", page)
        self.assertIn("2030.00", page)
        self.assertIn("家庭人均月收入 450.00 元，低于标准 2030.00 元", page)
        self.assertIn(HARDSHIP_DOC, page)
        standards_page = client.get(reverse("legalaid:standards")).content.decode()
        self.assertIn("月最低工资标准的 1.00 倍", standards_page)


class DecisionTestCase(LegalAidTestCase):
    def test_grant_and_refuse_notices_render_chinese_with_their_articles(self) -> None:
        request = RequestFactory().get("/")
        granted = self.apply()
        d = actions.do_decide(
            granted.pk, actor=self.sm_handler, grant=True, reasons="", checklist=["identity"]
        )
        self.assertEqual(Matter.objects.get(pk=granted.pk).status, Matter.Status.ACCEPTED)
        text = pdf_text(documents.decision_pdf(d, request))
        self.assertIn("给予法律援助决定书", text)
        self.assertIn("第四十三条", text)
        self.assertIn("王建国", text)

        other = self.make_citizen("13711113333", name="李四", seq="372")
        refused = self.apply(other)
        d2 = actions.do_decide(
            refused.pk, actor=self.sm_handler, grant=False, reasons="所申请事项不属于法律援助范围。"
        )
        self.assertEqual(Matter.objects.get(pk=refused.pk).status, Matter.Status.REJECTED)
        text = pdf_text(documents.decision_pdf(d2, request))
        self.assertIn("不予法律援助决定书", text)
        self.assertIn("所申请事项不属于法律援助范围", text)
        self.assertIn("第四十九条", text)
        self.assertIn("思明区司法局", text)
        # 第四十九条 as the statute has it: no time limit for objecting, five days for the bureau to decide.
        self.assertNotIn("十五日", text)
        self.assertIn("自收到异议之日起五日内", "".join(text.split()))
        self.assertIsNone(d2.objection_due)
        self.assertEqual(d2.objection_unit, world().unit("siming.bureau"))

    def test_a_refusal_needs_reasons_and_the_person_gets_the_notice(self) -> None:
        matter = self.apply()
        with self.assertRaisesMessage(ValidationError, "不予法律援助须说明理由"):
            actions.do_decide(matter.pk, actor=self.sm_handler, grant=False, reasons=" ")
        d = actions.do_decide(matter.pk, actor=self.sm_handler, grant=False, reasons="<b>收入高于标准</b>")
        body = self.messages(matter, "matter.rejected")[0].body
        url = reverse("aid_me:decision_pdf", args=[d.pk])
        self.assertIn(url, body)
        mine = Client()
        mine.force_login(self.user)
        response = mine.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("不予法律援助决定书", pdf_text(response.content))
        page = mine.get(reverse("me:matter", args=[matter.pk])).content.decode()
        self.assertIn(url, page)
        self.assertIn("可以向思明区司法局提出", page)
        self.assertIn("五日内", page)
        stranger = Client()
        stranger.force_login(self.make_citizen("13711114444", seq="373"))
        self.assertEqual(stranger.get(url).status_code, 404)

    def test_missing_materials_asked_once_pause_the_clock_then_grant(self) -> None:
        matter = self.apply()
        matter_actions.do_request_materials(
            matter.pk, actor=self.sm_handler, missing=["居民最低生活保障证明"]
        )
        matter.refresh_from_db()
        self.assertEqual(matter.status, Matter.Status.AWAITING_MATERIALS)
        self.assertIsNotNone(matter.clock_paused_at)
        with self.assertRaises(ValidationError):
            actions.do_decide(matter.pk, actor=self.sm_handler, grant=True, reasons="")
        matter_actions.do_supply_materials(matter.pk, actor=self.sm_handler, note="已补正")
        actions.do_decide(matter.pk, actor=self.sm_handler, grant=True, reasons="")
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.ACCEPTED)

    def test_only_the_centre_decides(self) -> None:
        matter = self.apply()
        with self.assertRaises(PermissionDenied):
            actions.do_decide(matter.pk, actor=self.hl_handler, grant=True, reasons="")
        with self.assertRaises(PermissionDenied):
            actions.do_decide(matter.pk, actor=self.sm_supervisor, grant=True, reasons="")


class AssignmentTestCase(LegalAidTestCase):
    def granted(self) -> Matter:
        matter = self.apply()
        actions.do_decide(matter.pk, actor=self.sm_handler, grant=True, reasons="")
        return matter

    def test_rotation_spreads_cases_over_the_roster(self) -> None:
        roster = self.roster()
        self.assertGreaterEqual(len(roster), 4)
        first = actions.do_assign(self.granted().pk, actor=self.sm_handler)
        other = self.make_citizen("13711115555", seq="374")
        second = actions.do_assign(self.granted_for(other).pk, actor=self.sm_handler)
        self.assertNotEqual(first.lawyer_id, second.lawyer_id)
        self.assertIn("轮流指派", first.rotation_note)
        matter = Matter.objects.get(pk=first.matter_id)
        self.assertEqual(matter.status, Matter.Status.IN_PROGRESS)
        self.assertEqual(matter.step, "complete")

    def granted_for(self, user: object) -> Matter:
        matter = self.apply(user)  # type: ignore[arg-type]
        actions.do_decide(matter.pk, actor=self.sm_handler, grant=True, reasons="")
        return matter

    def test_article_26_blocks_an_unqualified_lawyer(self) -> None:
        junior = next(r for r in self.roster() if r.relevant_years(timezone.localdate()) < 3)
        matter = self.granted()
        with self.assertRaisesMessage(ValidationError, "第二十六条"):
            actions.do_assign(
                matter.pk, actor=self.sm_handler, lawyer=junior, case_type="criminal", serious=True
            )
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.ACCEPTED)
        a = actions.do_assign(matter.pk, actor=self.sm_handler, case_type="criminal", serious=True)
        self.assertGreaterEqual(a.lawyer.relevant_years(timezone.localdate()), 3)
        self.assertIn("第二十六条", a.rotation_note)

    def test_the_firm_sees_only_its_cases_accepts_logs_closes_and_the_centre_checks(self) -> None:
        matter = self.granted()
        a = actions.do_assign(matter.pk, actor=self.sm_handler, case_type="civil")
        firm_user = self.firm_user(a.firm)
        other_firm = Unit.objects.filter(kind=Unit.Kind.LAW_FIRM).exclude(pk=a.firm_id).first()
        assert other_firm is not None
        stranger = self.firm_user(other_firm, name="other-firm")
        client = Client()
        client.force_login(firm_user)
        self.assertIn(a.number, client.get(reverse("legalaid:cases")).content.decode())
        self.assertEqual(client.get(reverse("matters:detail", args=[matter.pk])).status_code, 404)
        notice = client.get(reverse("legalaid:case_notice", args=[a.pk]))
        text = pdf_text(notice.content)
        self.assertIn("指派通知书", text)
        self.assertIn(a.firm.name[:6], text)
        other = Client()
        other.force_login(stranger)
        self.assertNotIn(a.number, other.get(reverse("legalaid:cases")).content.decode())
        self.assertEqual(other.get(reverse("legalaid:case", args=[a.pk])).status_code, 404)
        self.assertEqual(other.post(reverse("legalaid:case_accept", args=[a.pk])).status_code, 404)

        self.assertEqual(client.post(reverse("legalaid:case_accept", args=[a.pk])).status_code, 302)
        client.post(
            reverse("legalaid:case_log", args=[a.pk]),
            {
                "kind": "meeting",
                "happened_on": timezone.localdate().isoformat(),
                "note": "<script>会见受援人</script>",
            },
        )
        page = client.get(reverse("legalaid:case", args=[a.pk])).content.decode()
        self.assertIn("&lt;script&gt;会见受援人", page)
        client.post(reverse("legalaid:case_close", args=[a.pk]), {"outcome": "settled", "note": "调解结案。"})
        a.refresh_from_db()
        self.assertEqual(a.status, Assignment.Status.CLOSED)
        # The firm may not check its own file.
        self.assertEqual(
            client.post(reverse("legalaid:case_check", args=[a.pk]), {"passed": "1"}).status_code, 403
        )
        centre = Client()
        centre.force_login(self.sm_handler)
        centre.post(
            reverse("legalaid:case_check", args=[a.pk]), {"passed": "1", "score": "90", "note": "合格"}
        )
        a.refresh_from_db()
        self.assertEqual(a.status, Assignment.Status.CHECKED)
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.COMPLETED)
        subsidy = Subsidy.objects.get(assignment=a)
        self.assertEqual(subsidy.amount, Decimal("2000"))
        actions.do_approve_subsidy(subsidy.pk, actor=self.sm_handler)
        sheet = load_workbook(io.BytesIO(centre.get(reverse("legalaid:payment_list")).content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[1][0], a.number)
        self.assertEqual(rows[1][-1], 2000)
        # The statistics of the period count it, and export the same figures.
        today = timezone.localdate()
        figures = stats.compute(self.sm_handler, today - dt.timedelta(days=1), today + dt.timedelta(days=1))
        self.assertGreaterEqual(figures.applications, 1)  # the demo's applications of these days count too
        self.assertEqual((figures.grants, figures.assigned, figures.assigned_late), (1, 1, 0))
        self.assertEqual((figures.avg_quality, figures.subsidies_paid), (90.0, Decimal("2000")))
        self.assertEqual(figures.by_lawyer[0][2], 1)
        export = centre.get(
            reverse("legalaid:statistics_export"), {"start": str(today - dt.timedelta(days=1))}
        )
        book = load_workbook(io.BytesIO(export.content)).active
        assert book is not None
        exported = {row[0]: row[1] for row in book.iter_rows(values_only=True)}
        self.assertEqual(exported["给予法律援助"], 1)
        self.assertEqual(exported["已审批补贴金额（元）"], 2000)
        self.assertNotIn(a.number, other.get(reverse("legalaid:statistics")).content.decode())

    def test_advance_starts_the_case_before_review(self) -> None:
        matter = self.apply()
        a = actions.do_advance(
            matter.pk, actor=self.sm_handler, reason="limitation", materials_owed="经济困难证明"
        )
        matter = Matter.objects.get(pk=matter.pk)
        self.assertEqual(matter.status, Matter.Status.IN_PROGRESS)
        self.assertFalse(matter.aid_decisions.exists())
        self.assertTrue(a.advance)
        self.assertIn("不足七日", a.advance_reason)
        self.assertEqual(a.materials_owed, "经济困难证明")
        self.assertIn("第四十四条", matter.events.get(action="assign").note)
        # The review follows: the grant records the decision, the case carries on.
        d = actions.do_decide(matter.pk, actor=self.sm_handler, grant=True, reasons="")
        self.assertEqual(d.kind, Decision.Kind.GRANT)
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.IN_PROGRESS)

    def test_a_refusal_after_advance_ends_the_case_and_completes_the_matter(self) -> None:
        matter = self.apply()
        a = actions.do_advance(matter.pk, actor=self.sm_handler, reason="limitation", materials_owed="")
        d = actions.do_decide(matter.pk, actor=self.sm_handler, grant=False, reasons="收入高于标准。")
        matter = Matter.objects.get(pk=matter.pk)
        self.assertEqual(matter.status, Matter.Status.COMPLETED)
        self.assertIn("先行提供的法律援助终止", matter.result)
        self.assertEqual((matter.step, matter.due_at), ("", None))
        a.refresh_from_db()
        self.assertEqual(a.status, Assignment.Status.TERMINATED)
        done = matter.events.get(action="complete")
        self.assertEqual(
            (done.old_status, done.note, done.payload, done.visible_to_person),
            (Matter.Status.IN_PROGRESS, "收入高于标准。", {"aid_decision": d.pk}, True),
        )
        told = self.messages(matter, "matter.rejected")
        self.assertEqual({m.channel for m in told}, {"inapp", "sms"})
        self.assertIn("决定不予法律援助。理由：收入高于标准。", told[0].body)

    def test_termination_completes_the_matter_with_its_reasons(self) -> None:
        matter = self.granted()
        a = actions.do_assign(matter.pk, actor=self.sm_handler, case_type="civil")
        with self.assertRaisesMessage(ValidationError, "终止法律援助须说明理由"):
            actions.do_terminate(matter.pk, actor=self.sm_handler, reasons=" ")
        d = actions.do_terminate(matter.pk, actor=self.sm_handler, reasons="受援人不再符合条件。")
        matter = Matter.objects.get(pk=matter.pk)
        self.assertEqual(matter.status, Matter.Status.COMPLETED)
        self.assertEqual(matter.result, "终止法律援助。理由：受援人不再符合条件。")
        a.refresh_from_db()
        self.assertEqual(a.status, Assignment.Status.TERMINATED)
        done = matter.events.get(action="complete")
        self.assertEqual((done.note, done.payload), ("受援人不再符合条件。", {"aid_decision": d.pk}))
        told = self.messages(matter, "legalaid.terminated")
        self.assertEqual({m.channel for m in told}, {"inapp", "sms"})
        self.assertIn("决定终止法律援助。理由：受援人不再符合条件。", told[0].body)
        with self.assertRaisesMessage(ValidationError, "不能终止法律援助"):
            actions.do_terminate(matter.pk, actor=self.sm_handler, reasons="再次终止。")


class ObjectionTestCase(LegalAidTestCase):
    def test_a_correction_ordered_on_an_objection_reopens_the_application(self) -> None:
        matter = self.apply()
        d = actions.do_decide(matter.pk, actor=self.sm_handler, grant=False, reasons="收入高于标准。")
        objection = actions.do_file_objection(d.pk, actor=self.user, reasons="家庭收入计算有误。")
        self.assertEqual(objection.unit.name, "思明区司法局")
        with self.assertRaises(PermissionDenied):
            actions.do_decide_objection(objection.pk, actor=self.sm_handler, correct=True, note="-")
        with self.assertRaises(PermissionDenied):
            actions.do_decide_objection(objection.pk, actor=self.hl_supervisor, correct=True, note="-")
        actions.do_decide_objection(objection.pk, actor=self.sm_supervisor, correct=True, note="应重新审查。")
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.SUBMITTED)
        # Reviewed again, and granted this time.
        actions.do_decide(matter.pk, actor=self.sm_handler, grant=True, reasons="")
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.ACCEPTED)

    def test_a_maintained_decision_tells_of_review_and_litigation(self) -> None:
        matter = self.apply()
        d = actions.do_decide(matter.pk, actor=self.sm_handler, grant=False, reasons="收入高于标准。")
        with self.assertRaisesMessage(ValidationError, "只能对不予法律援助、终止法律援助的决定提出异议"):
            other = self.apply(self.make_citizen("13711116666", seq="375"))
            grant = actions.do_decide(other.pk, actor=self.sm_handler, grant=True, reasons="")
            actions.do_file_objection(grant.pk, actor=self.sm_handler, reasons="x")
        objection = actions.do_file_objection(d.pk, actor=self.sm_handler, reasons="不服。")
        actions.do_decide_objection(objection.pk, actor=self.sm_supervisor, correct=False, note="决定正确。")
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.REJECTED)
        body = self.messages(matter, "legalaid.objection_maintained")[0].body
        self.assertIn("行政复议", body)
        self.assertIn("行政诉讼", body)


class ConsolePagesTestCase(LegalAidTestCase):
    def test_the_roster_takes_practitioners_by_licence_number_once(self) -> None:
        firm = Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region_id="350203").order_by("pk")[0]
        self.make_lawyer(firm, "13502201810000001")
        client = Client()
        client.force_login(self.sm_handler)
        url = reverse("legalaid:roster_add", args=[self.centre.pk])
        client.post(url, {"licence_no": "13502201810000001", "max_open": 3, "criminal_since": "2015-01-01"})
        page = client.get(reverse("legalaid:roster")).content.decode()
        self.assertIn("测试律师", page)
        response = client.post(url, {"licence_no": "13502201810000001", "max_open": 3}, follow=True)
        self.assertContains(response, "该人员已在本中心的名册中。")
        response = client.post(url, {"licence_no": "无此证号", "max_open": 3}, follow=True)
        self.assertContains(response, "没有该执业证号的律师或基层法律服务工作者。")
        other = Client()
        other.force_login(self.hl_handler)
        self.assertEqual(other.post(url, {"licence_no": "x", "max_open": 3}).status_code, 404)

    def test_the_bureau_decides_objections_in_its_console(self) -> None:
        matter = self.apply()
        d = actions.do_decide(matter.pk, actor=self.sm_handler, grant=False, reasons="收入高于标准。")
        centre = Client()
        centre.force_login(self.sm_handler)
        centre.post(reverse("legalaid:objection_add", args=[d.pk]), {"reasons": "<i>计算有误</i>"})
        bureau = Client()
        bureau.force_login(self.sm_supervisor)
        page = bureau.get(reverse("legalaid:objections")).content.decode()
        self.assertIn("&lt;i&gt;计算有误&lt;/i&gt;", page)
        objection = d.objections.get()
        bureau.post(
            reverse("legalaid:objection_decide", args=[objection.pk]),
            {"outcome": "correct", "note": "重新审查。"},
        )
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.SUBMITTED)
        self.assertEqual(bureau.get(reverse("legalaid:statistics")).status_code, 200)
