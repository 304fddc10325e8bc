"""Public endpoints: catalogue, service points, units, law search, tracking by number and one-time code."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from django.test import override_settings
from django.urls import reverse

from fawang.catalog.models import ServiceItem
from fawang.knowledge import searching
from fawang.knowledge.tests.sample import import_sample
from fawang.matters.models import TrackingCode
from fawang.notify.models import Message
from fawang.orgs.models import Unit

from .base import ApiTestCase

VILLAGE = "350203001001"  # 鸿山社区
ROOM = "鸿山社区公共法律服务工作室"
INDEX_DIR = Path(tempfile.mkdtemp(prefix="fawang-test-api-lawindex-")) / "index"


class CatalogueAndPointsTestCase(ApiTestCase):
    def test_catalogue_lists_active_items_with_guide_details(self) -> None:
        r = self.client.get(reverse("api:catalogue"), {"page_size": 100})
        self.assertEqual(r.status_code, 200)
        codes = [i["code"] for i in r.json()["results"]]
        self.assertEqual(
            codes, list(ServiceItem.objects.active().order_by("order", "code").values_list("code", flat=True))
        )
        detail = self.client.get(reverse("api:catalogue_item", args=[self.legal_aid.pk])).json()
        self.assertEqual(detail["name"], self.legal_aid.name)
        self.assertEqual(
            [m["name"] for m in detail["materials"]],
            list(self.legal_aid.materials.values_list("name", flat=True)),
        )
        self.assertEqual(set(detail["time_limits"]), {"accept", "assign", "complete"})
        self.assertEqual(detail["channels"], self.legal_aid.channels)

    def test_inactive_item_is_404(self) -> None:
        ServiceItem.objects.filter(pk=self.mediation.pk).update(is_active=False)
        self.assertError(
            self.client.get(reverse("api:catalogue_item", args=[self.mediation.pk])), 404, "not_found"
        )

    def test_service_points_use_the_finders_order_and_region(self) -> None:
        r = self.client.get(reverse("api:service_points"), {"region": VILLAGE, "page_size": 100})
        names = [u["name"] for u in r.json()["results"]]
        self.assertEqual(names[0], ROOM)
        self.assertLess(names.index("厦港街道公共法律服务工作站"), names.index("思明区公共法律服务中心"))
        self.assertFalse(any("湖里区" in n for n in names))
        notary = self.client.get(reverse("api:service_points"), {"region": VILLAGE, "kind": "notary"}).json()
        self.assertTrue(notary["results"])
        self.assertTrue(all(u["kind"] == "notary" for u in notary["results"]))
        self.assertError(self.client.get(reverse("api:service_points"), {"region": "999"}), 400, "bad_region")
        self.assertError(
            self.client.get(reverse("api:service_points"), {"function": "corrections"}), 400, "bad_function"
        )

    def test_unit_detail_is_public_but_not_for_a_bureau_hotline_or_inactive_unit(self) -> None:
        room = Unit.objects.get(name=ROOM)
        body = self.client.get(reverse("api:unit", args=[room.pk])).json()
        self.assertEqual((body["name"], body["region"]), (ROOM, VILLAGE))
        hotline = Unit.objects.filter(kind=Unit.Kind.HOTLINE).first()
        if hotline is not None:
            self.assertError(self.client.get(reverse("api:unit", args=[hotline.pk])), 404, "not_found")
        Unit.objects.filter(pk=room.pk).update(is_active=False)
        self.assertError(self.client.get(reverse("api:unit", args=[room.pk])), 404, "not_found")


@override_settings(LAW_INDEX_DIR=str(INDEX_DIR))
class LawSearchTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_sample(INDEX_DIR.parent / "source")
        cls.addClassCleanup(shutil.rmtree, INDEX_DIR.parent, True)
        searching.build(INDEX_DIR)

    def test_search_finds_the_article_escaped(self) -> None:
        r = self.client.get(reverse("api:law_search"), {"q": "法律援助 申请 多久 决定"})
        self.assertEqual(r.status_code, 200)
        results = r.json()["results"]
        self.assertIn("第四十三条", [a["label"] for a in results[:2]])
        self.assertIn("<mark>", results[0]["snippet"])
        r = self.client.get(reverse("api:law_search"), {"q": "<b>网上平台</b> 提交申请"})
        self.assertNotIn("<b>", "".join(a["snippet"] for a in r.json()["results"]))

    def test_query_is_required(self) -> None:
        error = self.assertError(self.client.get(reverse("api:law_search")), 400, "invalid")
        self.assertEqual(list(error["fields"]), ["q"])

    def test_no_index_is_a_clear_503(self) -> None:
        with override_settings(LAW_INDEX_DIR=str(INDEX_DIR.parent / "missing")):
            r = self.client.get(reverse("api:law_search"), {"q": "法律援助"})
        self.assertError(r, 503, "search_index_missing", "法规检索索引尚未建立")


class TrackingTestCase(ApiTestCase):
    def code_for(self, number: str) -> str:
        body = Message.objects.filter(kind="otp.track").order_by("-pk").first()
        assert body is not None
        found = re.search(r"验证码 (\d{6})", body.body)
        assert found
        return found.group(1)

    def test_code_verify_then_the_visible_timeline_only(self) -> None:
        matter = self.submit(person=self.person(name="李四", phone="13912345678"))
        from fawang.matters import actions

        actions.do_comment(matter.pk, actor=self.sm_handler, text="内部备注：当事人情绪激动")
        actions.do_accept(matter.pk, actor=self.sm_handler)
        r = self.post(self.client, reverse("api:track_code"), {"tracking_no": matter.tracking_no})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertNotIn("code", r.json())  # only in development without an SMS gateway
        code = self.code_for(matter.tracking_no)

        wrong = self.client.post(
            reverse("api:track_verify"),
            {"tracking_no": matter.tracking_no, "code": "000000" if code != "000000" else "111111"},
            format="json",
        )
        self.assertError(wrong, 400, "wrong", "验证码不正确")
        r = self.client.post(
            reverse("api:track_verify"), {"tracking_no": matter.tracking_no, "code": code}, format="json"
        )
        self.assertEqual(r.status_code, 200, r.content)
        token = r.json()["token"]

        r = self.client.get(reverse("api:track_matter"), HTTP_X_TRACKING_TOKEN=token)
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual((body["tracking_no"], body["status"]), (matter.tracking_no, "accepted"))
        self.assertEqual([e["action"] for e in body["timeline"]], ["提交", "受理"])
        self.assertNotIn("内部备注", r.content.decode())
        self.assertNotIn("李四", r.content.decode())
        self.assertNotIn("13912345678", r.content.decode())

    def test_a_bad_or_forged_token_is_401(self) -> None:
        self.assertError(
            self.client.get(reverse("api:track_matter")), 401, "bad_tracking_token", "查询令牌无效"
        )
        r = self.client.get(reverse("api:track_matter"), HTTP_X_TRACKING_TOKEN="eyJubyI6IkZXMSJ9:x:y")
        self.assertError(r, 401, "bad_tracking_token")

    def test_unknown_number_gets_the_same_answer_and_is_counted(self) -> None:
        matter = self.submit()
        known = self.post(self.client, reverse("api:track_code"), {"tracking_no": matter.tracking_no}).json()
        other = matter.tracking_no[:-2] + "ZZ"
        r = self.post(
            self.client, reverse("api:track_code"), {"tracking_no": other}, REMOTE_ADDR="198.51.100.9"
        )
        if r.status_code == 200:
            self.assertEqual(r.json()["message"], known["message"])
        else:  # the check character caught it
            self.assertError(r, 400, "bad_number", "受理编号有误")

    def test_the_actions_own_limit_is_a_429(self) -> None:
        matter = self.submit()
        self.post(self.client, reverse("api:track_code"), {"tracking_no": matter.tracking_no})
        r = self.post(self.client, reverse("api:track_code"), {"tracking_no": matter.tracking_no})
        self.assertError(r, 429, "too_soon", "获取验证码过于频繁")
        self.assertEqual(TrackingCode.objects.filter(tracking_no=matter.tracking_no).count(), 1)

    def test_resend_with_the_same_key_replays_without_a_second_code(self) -> None:
        matter = self.submit()
        first = self.post(
            self.client, reverse("api:track_code"), {"tracking_no": matter.tracking_no}, key="t1"
        )
        again = self.post(
            self.client, reverse("api:track_code"), {"tracking_no": matter.tracking_no}, key="t1"
        )
        self.assertEqual((again.status_code, again.json()), (200, first.json()))
        self.assertEqual(TrackingCode.objects.filter(tracking_no=matter.tracking_no).count(), 1)
