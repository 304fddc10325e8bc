"""The 帮教 file's plan and re-offending: recorded by the 司法所's staff only, shown on the file, and counted in the
year's 重新犯罪率 on the ratios page with the persons behind it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.corrections.tests.base import CorrectionsTestCase, id_number

from .. import actions, stats
from ..models import HelpFile


class HelpFileRecordsTest(CorrectionsTestCase):
    def open_file(self) -> HelpFile:
        today = timezone.localdate()
        return HelpFile.objects.create(
            source=HelpFile.Source.PRISON,
            office=self.office,
            name="黄志强",
            id_number=id_number(seq="451"),
            opened_on=today - dt.timedelta(days=40),
            ends_on=today + dt.timedelta(days=5 * 365),
        )

    def test_the_plan_is_written_by_the_office_and_audited(self) -> None:
        file = self.open_file()
        client = Client()
        client.force_login(self.officer)
        response = client.post(
            reverse("resettlement:plan", args=[file.pk]),
            {"plan-plan": "每月走访一次；联系人社部门职业培训。"},
        )
        self.assertEqual(response.status_code, 302)
        file.refresh_from_db()
        self.assertEqual(file.plan, "每月走访一次；联系人社部门职业培训。")
        self.assertTrue(
            AuditEvent.objects.filter(action="resettlement.plan", target_id=str(file.pk)).exists()
        )
        self.assertContains(client.get(reverse("resettlement:file", args=[file.pk])), "联系人社部门职业培训")
        # An empty plan is refused in Chinese and the saved one stays.
        response = client.post(reverse("resettlement:plan", args=[file.pk]), {"plan-plan": "  "})
        self.assertEqual(response.status_code, 400)
        file.refresh_from_db()
        self.assertEqual(file.plan, "每月走访一次；联系人社部门职业培训。")
        with self.assertRaises(PermissionDenied):
            actions.do_set_plan(file.pk, plan="x", actor=self.sm_supervisor)

    def test_reoffending_leaves_the_placement_rate_and_counts_in_the_year(self) -> None:
        file = self.open_file()
        actions.do_place(
            file.pk, placement=HelpFile.Placement.JOB, on=timezone.localdate(), actor=self.officer
        )
        before = stats.office_counts([self.office])[self.office.pk]
        today = timezone.localdate()
        with self.assertRaises(ValidationError) as caught:
            actions.do_record_reoffence(
                file.pk, on=file.opened_on - dt.timedelta(days=1), facts="盗窃", actor=self.officer
            )
        self.assertEqual(caught.exception.message_dict["on"], ["重新犯罪日期应在帮教期内。"])
        actions.do_record_reoffence(file.pk, on=today, facts="涉嫌诈骗罪，已被刑事拘留。", actor=self.officer)
        after = stats.office_counts([self.office])[self.office.pk]
        self.assertEqual(after.resettlement_reoffended - before.resettlement_reoffended, 1)
        self.assertEqual(after.helped_this_year, before.helped_this_year)
        # Out of the open files (and so of the placement rate) from then on.
        self.assertEqual((before.open_files - after.open_files, before.placed - after.placed), (1, 1))
        with self.assertRaises(ValidationError):
            actions.do_record_reoffence(file.pk, on=today, facts="again", actor=self.officer)
        supervisor = Client()
        supervisor.force_login(self.sm_supervisor)
        rates = supervisor.get(reverse("resettlement:rates"))
        self.assertContains(rates, "本年重新犯罪的帮教对象")
        self.assertContains(rates, reverse("resettlement:file", args=[file.pk]))
