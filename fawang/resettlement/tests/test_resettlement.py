"""安置帮教: release notices from a prison by API (idempotent), the 必接必送 hand-over, the five-year file and its
placement, the hand-over from corrections, who sees what, and the seeds' ratios against a hand count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.audit.models import AuditEvent
from fawang.corrections import actions as corrections
from fawang.corrections.models import Subject, SupervisionItem
from fawang.corrections.tests.base import CorrectionsTestCase, id_number
from fawang.orgs.models import Membership, Unit
from fawang.testing.world import world

from .. import actions, stats
from ..models import Assistant, HelpFile, ReleaseNotice

VILLAGE = "350203001001"  # a 社区 of 厦港街道


class ResettlementTestCase(CorrectionsTestCase):
    prison_clerk: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.prison_clerk = User.objects.create_user("xm_prison_clerk", kind=User.Kind.STAFF)
        Membership.objects.create(
            user=cls.prison_clerk,
            unit=world().unit("xiamen.prison"),
            role=Membership.Role.WINDOW_CLERK,
        )

    def body(self, **overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "notice_no": "XMKSS-2025-0107",
            "name": "黄志强",
            "id_number": id_number(born="19900417", seq="517"),
            "residence": VILLAGE,
            "crime": "盗窃罪",
            "sentence": "有期徒刑二年",
            "release_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "is_key": True,
            "key_reasons": "多次盗窃，家庭无固定住所",
        }
        data.update(overrides)
        return data

    def api(self, user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, '衔接')[1]}")
        return client

    def notice(self, **overrides: Any) -> ReleaseNotice:
        data = self.body(**overrides)
        data["release_on"] = dt.date.fromisoformat(data["release_on"])
        return actions.do_receive_notice(actions.NoticeData(**data), actor=self.prison_clerk)[0]


class NoticeApiTest(ResettlementTestCase):
    def test_a_notice_goes_to_the_office_of_the_residence_and_a_resend_is_harmless(self) -> None:
        client = self.api(self.prison_clerk)
        url = reverse("api:release_notices")
        first = client.post(url, self.body(), format="json", HTTP_IDEMPOTENCY_KEY="n-1")
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual(first.json()["office"], "厦港街道司法所")
        replay = client.post(url, self.body(), format="json", HTTP_IDEMPOTENCY_KEY="n-1")
        self.assertEqual((replay.status_code, replay["Idempotent-Replayed"]), (201, "true"))
        again = client.post(url, self.body(), format="json", HTTP_IDEMPOTENCY_KEY="n-2")
        self.assertEqual((again.status_code, again.json()["created"]), (200, False))
        self.assertEqual(ReleaseNotice.objects.filter(notice_no="XMKSS-2025-0107").count(), 1)
        other = client.post(
            url,
            self.body(id_number=id_number(born="19910101", seq="112")),
            format="json",
            HTTP_IDEMPOTENCY_KEY="n-3",
        )
        self.assertEqual(other.status_code, 400)
        self.assertIn("该通知编号已用于另一人员", other.content.decode())
        self.assertTrue(AuditEvent.objects.filter(action="resettlement.notice").exists())

    def test_bad_input_and_the_wrong_sender(self) -> None:
        url = reverse("api:release_notices")
        bad = self.api(self.prison_clerk).post(
            url,
            self.body(id_number="123", residence="999", key_reasons=""),
            format="json",
            HTTP_IDEMPOTENCY_KEY="b-1",
        )
        self.assertEqual(bad.status_code, 400)
        text = bad.content.decode()
        for message in ("身份证号码应为 18 位", "户籍地应为乡镇", "请写明原因"):
            self.assertIn(message, text)
        refused = self.api(self.officer).post(url, self.body(), format="json", HTTP_IDEMPOTENCY_KEY="b-2")
        self.assertEqual(refused.status_code, 403)
        self.assertFalse(ReleaseNotice.objects.filter(notice_no="XMKSS-2025-0107").exists())


class HandoverTest(ResettlementTestCase):
    def test_a_key_person_is_met_and_placed_and_the_rates_move(self) -> None:
        before = stats.office_counts([self.office])[self.office.pk]
        notice = self.notice(release_on=timezone.localdate().isoformat())
        waiting = stats.office_counts([self.office])[self.office.pk]
        self.assertEqual((waiting.key_done, waiting.key_total), (before.key_done, before.key_total + 1))
        with self.assertRaises(ValidationError) as caught:
            actions.do_connect(
                notice.pk,
                received_by="司法所林所长",
                place="",
                note="",
                on=timezone.now(),
                actor=self.officer,
            )
        self.assertIn("必接必送", caught.exception.message_dict["place"][0])
        with self.assertRaises(PermissionDenied):
            actions.do_connect(
                notice.pk, received_by="x", place="y", note="", on=timezone.now(), actor=self.sm_supervisor
            )
        actions.do_connect(
            notice.pk,
            received_by="司法所林所长、其兄黄志明",
            place="厦门市看守所大门",
            note="",
            on=timezone.now(),
            actor=self.officer,
        )
        file = HelpFile.objects.get(notice=notice)
        self.assertEqual((file.is_key, file.ends_on.year - file.opened_on.year), (True, 5))
        after = stats.office_counts([self.office])[self.office.pk]
        self.assertEqual((after.key_done, after.key_total), (before.key_done + 1, before.key_total + 1))
        self.assertEqual(after.open_files, before.open_files + 1)
        self.assertEqual(after.placed, before.placed)
        actions.do_add_help(
            file.pk,
            kind="training",
            note="推荐参加区人社局电工培训。",
            on=timezone.localdate(),
            actor=self.officer,
        )
        actions.do_place(file.pk, placement="job", on=timezone.localdate(), actor=self.officer)
        placed = stats.office_counts([self.office])[self.office.pk]
        self.assertEqual(placed.placed, before.placed + 1)

    def test_who_sees_a_notice(self) -> None:
        notice = self.notice()
        handler = User.objects.create_user("xg_handler2", kind=User.Kind.STAFF)
        Membership.objects.create(user=handler, unit=self.office, role=Membership.Role.HANDLER)
        for user, expected in (
            (self.officer, 200),
            (self.sm_supervisor, 200),
            (handler, 403),
            (self.hl_supervisor, 404),
            (self.prison_clerk, 404),
        ):
            client = Client()
            client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(
                    client.get(reverse("resettlement:notice", args=[notice.pk])).status_code, expected
                )

    def test_the_end_of_correction_opens_a_file(self) -> None:
        released = self.supervised()
        corrections.do_end(
            released.pk, kind="released", reason="期满", on=dt.date(2025, 8, 24), actor=self.sm_supervisor
        )
        file = HelpFile.objects.get(correction_file_no=released.file_no)
        self.assertEqual(
            (file.source, file.office, file.opened_on), ("corrections", self.office, dt.date(2025, 8, 24))
        )
        terminated = self.supervised(id_number=id_number(born="19700101", seq="998"), name="吴某")
        corrections.do_end(
            terminated.pk,
            kind="terminated",
            reason="收监执行",
            on=dt.date(2025, 5, 1),
            actor=self.sm_supervisor,
        )
        self.assertFalse(HelpFile.objects.filter(correction_file_no=terminated.file_no).exists())


class RatesTest(ResettlementTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        """A year of files at every 司法所 of 思明区 and 仙游县 to count by hand: the corrections and resettlement
        lines' own generators (their demo data), run over the test world for this class only."""
        super().setUpTestData()
        from fawang.corrections.demo import load_line_demo as corrections_files
        from fawang.resettlement.demo import load_line_demo as resettlement_files

        corrections_files()
        resettlement_files()

    def hand_count(self, offices: list[Unit], today: dt.date, now: dt.datetime) -> dict[str, int]:
        ids = {o.pk for o in offices}
        c = dict.fromkeys(
            (
                "key_done",
                "key_total",
                "general_done",
                "general_total",
                "placed",
                "open_files",
                "subjects",
                "ca",
                "ra",
                "on_time",
                "due",
                "corrected",
                "c_reoffended",
                "imprisoned",
                "helped",
                "r_reoffended",
            ),
            0,
        )
        year_start = today.replace(month=1, day=1)
        for n in ReleaseNotice.objects.all():
            if n.office_id in ids and n.release_on <= today:
                kind = "key" if n.is_key else "general"
                c[f"{kind}_total"] += 1
                c[f"{kind}_done"] += n.status == "connected"
        for f in HelpFile.objects.all():
            if f.office_id in ids and f.opened_on <= today and f.ends_on >= year_start:
                c["helped"] += 1
                c["r_reoffended"] += bool(f.reoffended_on and year_start <= f.reoffended_on <= today)
            if f.office_id in ids and f.opened_on <= today <= f.ends_on and f.reoffended_on is None:
                c["open_files"] += 1
                c["placed"] += f.placement != "none"
        for s in Subject.objects.all():
            c["subjects"] += s.office_id in ids and s.status in ("awaiting_report", "supervised", "lost")
            # This year's: under correction at some time this year (reported in), 再犯罪 and 收监执行.
            this_year = s.status in ("supervised", "lost") or bool(s.ended_on and s.ended_on >= year_start)
            if s.office_id in ids and s.term_start <= today and this_year:
                c["corrected"] += 1
                c["c_reoffended"] += bool(s.reoffended_on and year_start <= s.reoffended_on <= today)
                c["imprisoned"] += bool(
                    s.end_cause == "imprisoned" and s.ended_on and year_start <= s.ended_on <= today
                )
        for a in Assistant.objects.all():
            if a.office_id in ids and a.is_active:
                c["ca" if a.line == "corrections" else "ra"] += 1
        for i in SupervisionItem.objects.select_related("subject"):
            if i.subject.office_id in ids and now - dt.timedelta(days=30) <= i.due_at <= now:
                c["due"] += 1
                c["on_time"] += i.status == "done" and i.done_at is not None and i.done_at <= i.due_at
        return c

    def test_the_ratios_match_a_hand_count_at_each_level(self) -> None:
        today, now = timezone.localdate(), timezone.now()
        offices = list(Unit.objects.filter(kind=Unit.Kind.JUDICIAL_OFFICE).order_by("region_id"))
        siming = [o for o in offices if o.region_id.startswith("350203")]
        self.assertGreaterEqual(len(siming), 8)
        rows = {r.unit.name: r.counts for r in stats.table(offices, "office", today=today, now=now)}
        county = {r.unit.name: r.counts for r in stats.table(offices, "county", today=today, now=now)}
        city = {r.unit.name: r.counts for r in stats.table(offices, "city", today=today, now=now)}
        for name, counts, group in (
            ("厦港街道司法所", rows["厦港街道司法所"], [self.office]),
            ("思明区司法局", county["思明区司法局"], siming),
            ("厦门市司法局", city["厦门市司法局"], [o for o in offices if o.region_id.startswith("3502")]),
            (
                "仙游县司法局",
                county["仙游县司法局"],
                [o for o in offices if o.region_id.startswith("350322")],
            ),
        ):
            hand = self.hand_count(group, today, now)
            with self.subTest(unit=name):
                self.assertGreater(hand["subjects"], 0)
                self.assertEqual(
                    (
                        counts.key_done,
                        counts.key_total,
                        counts.general_done,
                        counts.general_total,
                        counts.placed,
                        counts.open_files,
                        counts.subjects,
                        counts.corrections_assistants,
                        counts.resettlement_assistants,
                        counts.items_on_time,
                        counts.items_due,
                        counts.corrected_this_year,
                        counts.corrections_reoffended,
                        counts.imprisoned,
                        counts.helped_this_year,
                        counts.resettlement_reoffended,
                    ),
                    (
                        hand["key_done"],
                        hand["key_total"],
                        hand["general_done"],
                        hand["general_total"],
                        hand["placed"],
                        hand["open_files"],
                        hand["subjects"],
                        hand["ca"],
                        hand["ra"],
                        hand["on_time"],
                        hand["due"],
                        hand["corrected"],
                        hand["c_reoffended"],
                        hand["imprisoned"],
                        hand["helped"],
                        hand["r_reoffended"],
                    ),
                )
                if hand["open_files"]:
                    self.assertEqual(
                        counts.placement_rate,
                        (Decimal(100 * hand["placed"]) / hand["open_files"]).quantize(Decimal("0.1")),
                    )

    def test_the_rates_page_lists_the_persons_behind_each_shortfall(self) -> None:
        notice = self.notice(release_on=(timezone.localdate() - dt.timedelta(days=3)).isoformat())
        client = Client()
        client.force_login(self.officer)
        page = client.get(reverse("resettlement:rates"))
        self.assertContains(page, "厦港街道司法所")
        self.assertContains(page, reverse("resettlement:notice", args=[notice.pk]))
        self.assertNotContains(page, "湖里")
        client.force_login(self.xm_supervisor)
        self.assertContains(client.get(reverse("resettlement:rates"), {"level": "county"}), "思明区司法局")
        client.force_login(self.sm_clerk)
        self.assertEqual(client.get(reverse("resettlement:rates")).status_code, 403)
