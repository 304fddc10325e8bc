"""Legal publicity: sites per town against hand counts, photos checked like every upload, the display schedule,
activities with their cases and photos on the town page, surveys, and talk bookings."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.knowledge.models import KnowledgeEntry
from fawang.regions.models import Region
from fawang.test import BaseTestCase

from .. import actions, figures
from ..models import Activity, Photo, Site, TalkBooking, VillageSurvey

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class PublicityTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        """厦港街道: two 阵地 (a park, a corridor), a board and an LED screen showing this week's content, an activity
        held ten days ago and one planned next week, the year's survey of its first two communities; 中华街道: one
        square; the other streets of 思明区 none."""
        super().setUpTestData()
        actor = User.objects.get(username="sysadmin")
        town, second = Region.objects.get(code="350203001"), Region.objects.get(code="350203003")
        office, office2 = cls.unit("siming.xiagang.office"), cls.unit("siming.zhonghua.office")
        today = timezone.localdate()
        for kind, form, name in (
            (Site.Kind.CULTURE, Site.Form.PARK, "厦港街道法治文化公园"),
            (Site.Kind.CULTURE, Site.Form.CORRIDOR, "厦港街道宪法长廊"),
            (Site.Kind.BOARD, "", "厦港街道法治宣传栏"),
            (Site.Kind.LED, "", "厦港街道法治宣传LED屏"),
        ):
            data = actions.SiteData(kind=kind, form=form, name=name, town=town, address="某路 1 号")
            site = actions.register_site(office.pk, data, actor=actor)
        actions.add_display_item(
            site.pk,
            actor=actor,
            title="民法典进万家",
            content="遇到纠纷找人民调解。",
            starts_on=today - dt.timedelta(days=2),
            ends_on=today + dt.timedelta(days=5),
        )
        square = actions.SiteData(
            kind=Site.Kind.CULTURE,
            form=Site.Form.SQUARE,
            name="中华街道法治广场",
            town=second,
            address="某路 2 号",
        )
        actions.register_site(office2.pk, square, actor=actor)
        now = timezone.now()
        talk = actions.ActivityData(
            title="民法典进社区专题讲座",
            target=Activity.Target.COMMUNITIES,
            town=town,
            place="社区党群服务中心",
            starts_at=now - dt.timedelta(days=10),
            audience="社区居民",
            organiser="社区法律顾问",
        )
        done = actions.plan_activity(office.pk, talk, actor=actor)
        actions.record_activity(done.pk, actor=actor, reached=86, summary="现场解答咨询 12 人次。", cases=[])
        school = actions.ActivityData(
            title="防范电信诈骗进校园",
            target=Activity.Target.SCHOOLS,
            town=town,
            place="中心小学",
            starts_at=now + dt.timedelta(days=7),
            audience="小学生及家长",
        )
        actions.plan_activity(office.pk, school, actor=actor)
        for n, village in enumerate(Region.objects.filter(parent=town).order_by("code")[:2]):
            actions.save_survey(
                village.code,
                actor=actor,
                year=today.year,
                households=1200 + 100 * n,
                households_reached=1150 + 50 * n,
                sample_size=100,
                aware=92 + 3 * n,
                surveyed_on=dt.date(today.year, 1, 15),
            )

    def setUp(self) -> None:
        super().setUp()
        self.town = Region.objects.get(code="350203001")  # 厦港街道
        self.office = self.unit("siming.xiagang.office")
        self.handler = User.objects.get(username="sm_handler")

    def test_sites_per_town_by_hand(self) -> None:
        # setUpTestData: 厦港街道 two 阵地 (a park, a corridor), a board and an LED screen; 中华街道 one square; the
        # other streets none.
        rows = {t.town.name: t for t in figures.sites_per_town("350203")}
        self.assertEqual(
            (rows["厦港街道"].culture, rows["厦港街道"].boards, rows["厦港街道"].screens), (2, 1, 1)
        )
        self.assertTrue(rows["厦港街道"].meets)
        self.assertEqual((rows["中华街道"].culture, rows["中华街道"].meets), (1, False))
        towns = Region.objects.filter(parent_id="350203", level=4).count()
        self.assertEqual(sum(1 for t in rows.values() if not t.meets), towns - 1)
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("publicity:sites"), {"county": "350203"})
        self.assertContains(page, "中华街道（1）")
        self.assertNotContains(page, "厦港街道（2）")

    def test_registering_a_site_is_scoped_and_checked(self) -> None:
        data = actions.SiteData(
            kind="culture", form="square", name="新法治广场", town=self.town, address="某路"
        )
        site = actions.register_site(self.office.pk, data, actor=self.sm_supervisor)
        self.assertTrue(
            AuditEvent.objects.filter(action="publicity.register_site", target_id=str(site.pk)).exists()
        )
        with self.assertRaisesMessage(ValidationError, "本乡镇（街道）已有同名阵地"):
            actions.register_site(self.office.pk, data, actor=self.sm_supervisor)
        other_town = Region.objects.filter(parent_id="350203", level=4).exclude(code=self.town.code)[0]
        with self.assertRaisesMessage(ValidationError, "请选择本单位辖区内的乡镇（街道）"):
            actions.register_site(
                self.office.pk,
                actions.SiteData(kind="board", name="X", town=other_town, address="某路"),
                actor=self.sm_supervisor,
            )
        with self.assertRaises(PermissionDenied):
            actions.register_site(
                self.office.pk,
                actions.SiteData(kind="board", name="Y", town=self.town, address="-"),
                actor=self.hl_supervisor,
            )

    def test_photos_are_checked_by_their_bytes(self) -> None:
        site = Site.objects.get(name="厦港街道宪法长廊")
        self.client.force_login(self.sm_supervisor)
        url = reverse("publicity:site_photo", args=[site.pk])
        fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>", content_type="image/jpeg")
        response = self.client.post(url, {"photo": fake, "caption": "长廊"})
        self.assertContains(response, "只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件", status_code=400)
        pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
        self.assertContains(
            self.client.post(url, {"photo": pdf}), "照片只能是 JPG 或 PNG 图片", status_code=400
        )
        response = self.client.post(url, {"photo": SimpleUploadedFile("p.png", PNG), "caption": "长廊全景"})
        self.assertRedirects(response, reverse("publicity:site", args=[site.pk]))
        photo = Photo.objects.get(site=site)
        self.assertEqual((photo.content_type, photo.caption), ("image/png", "长廊全景"))
        again = self.client.post(url, {"photo": SimpleUploadedFile("p2.png", PNG)})
        self.assertContains(again, "这张照片已经上传过了", status_code=400)
        served = self.client.get(reverse("publicity_public:photo", args=[photo.pk]))
        self.assertEqual(served["Content-Type"], "image/png")
        self.assertEqual(served.getvalue(), PNG)

    def test_an_activity_with_photos_and_cases_shows_on_the_town_page(self) -> None:
        case = KnowledgeEntry.objects.create(
            kind=KnowledgeEntry.Kind.CASE, title="土地承包纠纷以案释法", body="-", unit=self.office
        )
        # The handler persona works at the district's centres and a station, not at the 司法所.
        with self.assertRaises(PermissionDenied):
            actions.plan_activity(
                self.office.pk,
                actions.ActivityData(
                    title="宪法进乡村",
                    target="villages",
                    town=self.town,
                    place="-",
                    starts_at=timezone.now(),
                    audience="-",
                ),
                actor=self.handler,
            )
        activity = actions.plan_activity(
            self.office.pk,
            actions.ActivityData(
                title="宪法进乡村",
                target=Activity.Target.VILLAGES,
                town=self.town,
                place="村文化室",
                starts_at=timezone.now() - dt.timedelta(hours=3),
                audience="村民",
            ),
            actor=self.sm_supervisor,
        )
        actions.add_photo(
            actor=self.sm_supervisor,
            stream=SimpleUploadedFile("a.png", PNG),
            activity=activity,
            caption="现场",
        )
        with self.assertRaisesMessage(ValidationError, "以案释法只能选择典型案例"):
            faq = KnowledgeEntry.objects.create(kind="faq", title="常见问题", body="-", unit=self.office)
            actions.record_activity(
                activity.pk, actor=self.sm_supervisor, reached=120, summary="", cases=[faq]
            )
        actions.record_activity(activity.pk, actor=self.sm_supervisor, reached=120, summary="", cases=[case])
        page = self.client.get(reverse("publicity_public:town", args=[self.town.code]))
        self.assertContains(page, "宪法进乡村")
        self.assertContains(page, "覆盖 120 人")
        self.assertContains(page, "土地承包纠纷以案释法")
        photo = Photo.objects.get(activity=activity)
        self.assertContains(page, reverse("publicity_public:photo", args=[photo.pk]))
        self.assertContains(page, "防范电信诈骗进校园")  # the upcoming activity (setUpTestData)
        self.assertContains(page, "民法典进万家")  # on the LED screen this week

    def test_the_display_schedule(self) -> None:
        park = Site.objects.get(name="厦港街道法治文化公园")
        led = Site.objects.get(name="厦港街道法治宣传LED屏")
        day = dt.date(2030, 1, 1)
        with self.assertRaisesMessage(ValidationError, "展示内容只用于宣传栏和 LED 显示屏"):
            actions.add_display_item(
                park.pk, actor=self.sm_supervisor, title="t", content="c", starts_on=day, ends_on=day
            )
        with self.assertRaisesMessage(ValidationError, "结束日期不能早于开始日期"):
            actions.add_display_item(
                led.pk,
                actor=self.sm_supervisor,
                title="t",
                content="c",
                starts_on=day,
                ends_on=day - dt.timedelta(days=1),
            )

    def test_surveys_by_hand(self) -> None:
        rows = figures.surveys("350203", timezone.localdate().year)
        self.assertEqual([(s.reach_rate, s.awareness) for s in rows], [(95.8, 92.0), (92.3, 95.0)])
        village = rows[0].village
        with self.assertRaisesMessage(ValidationError, "知晓人数不能多于抽样人数"):
            actions.save_survey(
                village.code,
                actor=self.sm_supervisor,
                year=2026,
                households=10,
                households_reached=5,
                sample_size=10,
                aware=11,
                surveyed_on=dt.date(2026, 3, 1),
            )
        with self.assertRaises(PermissionDenied):
            actions.save_survey(
                village.code,
                actor=self.hl_supervisor,
                year=2026,
                households=10,
                households_reached=5,
                sample_size=10,
                aware=5,
                surveyed_on=dt.date(2026, 3, 1),
            )
        self.assertEqual(VillageSurvey.objects.filter(village=village).count(), 1)


class BookingTestCase(BaseTestCase):
    def test_a_citizen_books_a_talk_and_the_office_plans_it(self) -> None:
        town = Region.objects.get(code="350203001")
        url = reverse("publicity_public:book", args=[town.code])
        self.assertTrue(self.client.get(url)["Location"].startswith(reverse("me:login")))
        self.client.force_login(self.citizen)
        day = timezone.localdate() + dt.timedelta(days=14)
        body = {
            "org_kind": "school",
            "org_name": "厦港中心小学",
            "contact_name": "王老师",
            "phone": "1380000",
            "preferred_date": day.isoformat(),
            "topic": "未成年人保护法<b>",
            "audience_size": 300,
        }
        response = self.client.post(url, body)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "厦港中心小学", status_code=400)
        body["phone"] = "13912345678"
        response = self.client.post(url, body)
        self.assertContains(response, "已提交，预约号")
        booking = TalkBooking.objects.get(user=self.citizen)
        self.assertEqual((booking.unit.name, booking.phone), ("厦港街道司法所", "13912345678"))
        self.assertNotIn("13912345678", booking.phone_encrypted)
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("publicity:bookings"))
        self.assertContains(page, "139****5678")
        self.assertContains(page, "未成年人保护法&lt;b&gt;")
        starts = (timezone.localtime() + dt.timedelta(days=14)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        response = self.client.post(
            reverse("publicity:booking_decide", args=[booking.pk]),
            {
                "decision": "accept",
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "reply": "已安排律师授课。",
            },
        )
        self.assertRedirects(response, reverse("publicity:bookings"))
        booking.refresh_from_db()
        assert booking.activity is not None
        self.assertEqual((booking.status, booking.activity.target), ("accepted", "schools"))
        self.assertContains(
            self.client.get(reverse("publicity_public:town", args=[town.code])), "普法讲座：厦港中心小学"
        )
        self.client.force_login(self.hl_supervisor)
        self.assertEqual(
            self.client.post(reverse("publicity:booking_decide", args=[booking.pk]), {}).status_code, 404
        )
