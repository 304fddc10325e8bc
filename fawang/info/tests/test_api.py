"""API v1 for the public information pages: guides, the directory with credit information, 普法 articles.
The same doors as the pages, so the same rows: nothing that is not public."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

from fawang.api.tests.base import ApiTestCase
from fawang.catalog.models import ServiceItem
from fawang.knowledge import actions
from fawang.knowledge.models import KnowledgeEntry
from fawang.orgs.models import CreditRecord, Practitioner, Speciality
from fawang.test import HULI


class InfoApiTestCase(ApiTestCase):
    def test_guides_list_by_business_line_and_one_guide_in_full(self) -> None:
        r = self.client.get(reverse("api:guides"), {"page_size": "100"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            [g["code"] for g in r.json()["results"]],
            list(ServiceItem.objects.active().order_by("order", "code").values_list("code", flat=True)),
        )
        aid = self.client.get(reverse("api:guides"), {"business_line": "legal_aid"}).json()["results"]
        self.assertEqual([g["code"] for g in aid], ["legal_aid", "legal_aid_objection"])
        self.assertEqual(aid[0]["url"], reverse("info:guide", args=["legal_aid"]))
        legal_aid = ServiceItem.objects.get(code="legal_aid")
        entry = actions.create_entry(
            actor=self.sysadmin,
            unit_id=self.unit("siming.legal_aid").pk,
            kind=KnowledgeEntry.Kind.FAQ,
            title="法律援助要钱吗？",
            body="不收费。",
            service_items=[legal_aid],
        )
        actions.publish(entry.pk, actor=self.sysadmin)
        g = self.client.get(reverse("api:guide", args=["legal_aid"])).json()
        self.assertEqual(
            (g["name"], g["unit_kind_label"], g["unit_level_label"]), ("法律援助申请", "法律援助中心", "县级")
        )
        self.assertEqual(
            [(s["step"], s["amount"], s["unit"], s["unit_label"]) for s in g["time_limits"]],
            [("accept", 7, "days", "自然日"), ("assign", 3, "days", "自然日")],
        )
        self.assertIn("第四十三条第一款", g["time_limits"][0]["basis"])
        self.assertTrue(g["requires_id_number"])
        self.assertEqual(g["fees"], "免费")
        self.assertEqual(g["materials"][0]["name"], "法律援助申请表")
        self.assertEqual([e["title"] for e in g["entries"]], ["法律援助要钱吗？"])
        self.assertEqual(g["apply_url"], reverse("applications:start", args=["legal_aid"]))
        self.assertEqual(
            self.client.get(reverse("api:guide", args=["consultation"])).json()["apply_url"],
            reverse("me:ask"),
        )
        self.assertError(self.client.get(reverse("api:guides"), {"business_line": "x"}), 400, "invalid")
        ServiceItem.objects.filter(code="notary").update(is_active=False)
        self.assertError(self.client.get(reverse("api:guide", args=["notary"])), 404, "not_found")

    def test_practitioners_with_public_credit_only(self) -> None:
        p = (
            Practitioner.objects.filter(kind="notary", unit__isnull=False)
            .exclude(phone="")
            .order_by("pk")[:1]
            .get()
        )
        CreditRecord.objects.filter(practitioner=p).delete()
        CreditRecord.objects.create(
            practitioner=p,
            kind="reward",
            title="优秀公证员",
            authority="厦门市司法局",
            decided_on=dt.date(2025, 2, 1),
        )
        CreditRecord.objects.create(
            practitioner=p,
            kind="penalty",
            title="内部通报：档案不全",
            authority="厦门市公证协会",
            decided_on=dt.date(2025, 3, 1),
            is_public=False,
        )
        found = self.client.get(reverse("api:practitioners"), {"q": p.licence_no}).json()
        self.assertEqual(found["count"], 1)
        row = found["results"][0]
        self.assertEqual((row["id"], row["rewards"], row["penalties"]), (p.pk, 1, 0))
        detail = self.client.get(reverse("api:practitioner", args=[p.pk]))
        body = detail.json()
        self.assertEqual([c["title"] for c in body["credit_records"]], ["优秀公证员"])
        self.assertEqual(body["licence_no"], p.licence_no)
        text = detail.content.decode() + json.dumps(found, ensure_ascii=False)
        for secret in (p.phone, "内部通报", '"gender"', '"phone"', '"user"'):
            self.assertNotIn(secret, text)
        Practitioner.objects.filter(pk=p.pk).update(is_public=False)
        self.assertError(self.client.get(reverse("api:practitioner", args=[p.pk])), 404, "not_found")
        self.assertEqual(
            self.client.get(reverse("api:practitioners"), {"q": p.licence_no}).json()["count"], 0
        )

    def test_practitioner_and_unit_filters(self) -> None:
        r = self.client.get(
            reverse("api:practitioners"), {"region": HULI, "kind": "mediator", "page_size": "100"}
        )
        rows = r.json()["results"]
        self.assertTrue(rows)
        self.assertTrue(all(x["kind"] == "mediator" for x in rows))
        self.assertEqual(
            r.json()["count"],
            Practitioner.objects.filter(
                is_public=True, kind="mediator", unit__region__code__startswith=HULI
            ).count(),
        )
        units = self.client.get(reverse("api:directory_units"), {"kind": "notary"}).json()["results"]
        self.assertTrue(units)
        self.assertTrue(all(u["kind"] == "notary" for u in units))
        self.assertError(self.client.get(reverse("api:practitioners"), {"region": "99"}), 400, "bad_region")
        self.assertError(
            self.client.get(reverse("api:directory_units"), {"speciality": "nope"}), 400, "bad_speciality"
        )
        self.assertError(self.client.get(reverse("api:directory_units"), {"kind": "hotline"}), 400, "invalid")

    def test_publicity_articles_categories_and_full_text(self) -> None:
        family = Speciality.objects.get(code="family")
        made = []
        for title, kind in (("家暴求助", "publicity"), ("离婚案例", "case"), ("问答不算", "faq")):
            e = actions.create_entry(
                actor=self.sysadmin,
                unit_id=self.unit("xiamen.bureau").pk,
                kind=kind,
                title=title,
                body="正文。" * 60,
                topic=family,
            )
            made.append(actions.publish(e.pk, actor=self.sysadmin))
        draft = actions.create_entry(
            actor=self.sysadmin,
            unit_id=self.unit("xiamen.bureau").pk,
            kind="publicity",
            title="草稿",
            body="x",
        )
        r = self.client.get(reverse("api:articles")).json()
        self.assertEqual([a["title"] for a in r["results"]], ["离婚案例", "家暴求助"])
        self.assertEqual(r["results"][0]["category"], "family")
        self.assertLessEqual(len(r["results"][0]["excerpt"]), 100)
        cases = self.client.get(reverse("api:articles"), {"kind": "case", "category": "family"}).json()
        self.assertEqual([a["title"] for a in cases["results"]], ["离婚案例"])
        cats = self.client.get(reverse("api:article_categories")).json()
        self.assertEqual(cats, [{"code": "family", "name": "婚姻家庭", "count": 2}])
        full = self.client.get(reverse("api:article", args=[made[0].pk])).json()
        self.assertEqual(full["body"], "正文。" * 60)
        for hidden in (made[2], draft):
            self.assertError(self.client.get(reverse("api:article", args=[hidden.pk])), 404, "not_found")
        self.assertError(self.client.get(reverse("api:articles"), {"category": "zz"}), 400, "bad_category")
