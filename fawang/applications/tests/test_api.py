"""Online applications on the API (/api/v1/me/applications/): the same actions as the pages, so a draft moves
between the browser and the app; steps, uploads and submission with Idempotency-Key; errors keyed by field."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from fawang.api.tests.base import ApiTestCase
from fawang.matters.models import Attachment, Matter

from .. import actions
from ..models import Application, ApplicationFile
from .base import APPLICANT, LEGAL_AID_MATTER, PDF, ApplicationTestCase

PARTIES = {
    "parties": [
        {
            "kind": "organisation",
            "name": "厦门某某装修工程有限公司",
            "phone": "0592-1234567",
            "address": "某路 8 号",
        }
    ]
}
MEANS = {
    "exemption_grounds": [],
    "applicant_income": 1800,
    "hardship_statement": "本人失业，妻子无业。",
    "pledged": True,
    "members": [{"name": "李秀兰", "relation": "spouse", "monthly_income": "0"}],
}


class ApplicationApiTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = ApplicationTestCase.make_citizen("13711112222")
        self.api = self.as_user(self.user)

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"api:{name}", args=args)

    def create(self, item_id: int | None = None, key: str | None = None) -> Any:
        return self.post(
            self.api, self.url("me_applications"), {"service_item": item_id or self.legal_aid.pk}, key
        )

    def put(self, pk: int, step: str, body: Any) -> Any:
        return self.api.put(self.url(f"me_application_{step}", pk), body, format="json")

    def upload(
        self, pk: int, slot: str, content: bytes = PDF, name: str = "证明.pdf", key: str | None = None
    ) -> Any:
        return self.api.post(
            self.url("me_application_materials", pk),
            {"slot": slot, "file": SimpleUploadedFile(name, content)},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex,
        )

    def slot(self, name: str) -> str:
        return f"m{self.legal_aid.materials.get(name=name).pk}"

    def test_a_legal_aid_application_from_start_to_submission(self) -> None:
        created = self.create(key="start-1")
        self.assertEqual(created.status_code, 201, created.content)
        body = created.json()
        pk = body["id"]
        self.assertEqual(body["status"], "draft")
        self.assertEqual(
            [s["code"] for s in body["steps"]],
            ["applicant", "matter", "parties", "means", "materials", "confirm"],
        )
        self.assertEqual(body["next_step"], "applicant")
        self.assertEqual(body["data"]["applicant"]["id_number"], "350203********3714")
        self.assertIn("请填写“申请人信息”。", body["missing"])
        # Starting again (another key, another device) gives the same draft back.
        again = self.create()
        self.assertEqual((again.status_code, again.json()["id"]), (200, pk))
        self.filled_steps(pk)
        detail = self.api.get(self.url("me_application", pk)).json()
        self.assertEqual(detail["missing"], [])
        self.assertEqual(detail["data"]["means"]["per_capita_income"], "900.00")
        self.assertEqual(detail["data"]["parties"], PARTIES)
        submitted = self.post(
            self.api, self.url("me_application_submit", pk), {"pledge": True}, key="submit-1"
        )
        self.assertEqual(submitted.status_code, 201, submitted.content)
        out = submitted.json()
        matter = Matter.objects.get(submitted_by=self.user)
        self.assertTrue(out["created"])
        self.assertEqual(out["matter"]["tracking_no"], matter.tracking_no)
        self.assertEqual(out["matter"]["unit"], "思明区法律援助中心")
        self.assertEqual(out["application"]["status"], "submitted")
        self.assertEqual(matter.channel, "app")
        self.assertEqual(Attachment.objects.filter(matter=matter).count(), 2)
        # A resend with the same key is replayed; another key answers with the same matter, created false.
        replay = self.post(self.api, self.url("me_application_submit", pk), {"pledge": True}, key="submit-1")
        self.assertEqual(replay["Idempotent-Replayed"], "true")
        other = self.post(
            self.api, self.url("me_application_submit", pk), {"pledge": True, "channel": "wechat"}
        )
        self.assertEqual(other.status_code, 200)
        self.assertFalse(other.json()["created"])
        self.assertEqual(other.json()["matter"]["id"], matter.pk)
        self.assertEqual(Matter.objects.filter(submitted_by=self.user).count(), 1)
        listing = self.api.get(self.url("me_applications")).json()
        self.assertEqual(listing["count"], 1)
        self.assertEqual(listing["results"][0]["matter"]["tracking_no"], matter.tracking_no)
        # Editing after submission is refused in Chinese.
        r = self.put(pk, "applicant", APPLICANT)
        self.assertError(r, 400, "already_submitted", "该申请已经提交")

    def filled_steps(self, pk: int) -> None:
        for step, body in (
            ("applicant", APPLICANT),
            ("matter", LEGAL_AID_MATTER),
            ("parties", PARTIES),
            ("means", MEANS),
        ):
            r = self.put(pk, step, body)
            self.assertEqual(r.status_code, 200, r.content.decode())
            self.assertIn(step, [s["code"] for s in r.json()["steps"] if s["done"]])
        for name in ("申请人身份证明", "与所申请法律援助事项有关的材料"):
            self.assertEqual(self.upload(pk, self.slot(name)).status_code, 201)

    def test_step_errors_name_the_fields_and_keep_what_was_saved(self) -> None:
        pk = self.create().json()["id"]
        self.put(pk, "applicant", APPLICANT)
        bad = self.put(pk, "parties", {"parties": [{"name": "", "phone": "12"}, {"name": "张三"}]})
        error = self.assertError(bad, 400, "invalid")
        self.assertEqual(error["fields"]["parties[0].name"], ["请填写姓名或者名称。"])
        self.assertEqual(
            error["fields"]["parties[0].phone"],
            ["请输入正确的联系电话：11 位手机号码，或带区号的固定电话，例如 0592-1234567。"],
        )
        self.assertError(self.put(pk, "parties", {"parties": "张三"}), 400, "not_a_list", "应为列表")
        self.assertError(self.put(pk, "means", {"exemption_grounds": "x"}), 400, "not_a_list", "应为列表")
        means = self.assertError(self.put(pk, "means", {"exemption_grounds": ["rich"]}), 400, "invalid")
        self.assertEqual(means["fields"]["exemption_grounds"], ["请从列表中选择。"])
        self.assertError(self.put(pk, "means", ["not", "an", "object"]), 400, "invalid", "JSON 对象")
        consultation = self.post(
            self.api, self.url("me_applications"), {"service_item": self.consultation.pk}
        )
        self.assertError(consultation, 400, "not_online", "不能在网上申请")
        app = Application.objects.get(pk=pk)
        self.assertEqual(app.steps_done, ["applicant"])
        self.assertEqual(app.applicant_address, APPLICANT["address"])

    def test_uploads_are_checked_by_content_and_nothing_saved_is_lost(self) -> None:
        pk = self.create().json()["id"]
        self.put(pk, "matter", LEGAL_AID_MATTER)
        self.assertError(
            self.upload(pk, "other", b"MZ\x90\x00", "病毒.pdf"), 400, "file_type", "只能上传 PDF"
        )
        self.assertError(self.upload(pk, "nowhere"), 400, "bad_slot", "请选择要上传到哪一项材料")
        r = self.api.post(
            self.url("me_application_materials", pk),
            {"slot": "other"},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="u-0",
        )
        self.assertError(r, 400, "invalid", "请选择要上传的文件")
        ok = self.upload(pk, "other", key="u-1")
        self.assertEqual(ok.status_code, 201)
        replay = self.upload(pk, "other", key="u-1")
        self.assertEqual(replay["Idempotent-Replayed"], "true")
        self.assertEqual(ApplicationFile.objects.filter(application_id=pk).count(), 1)
        self.assertEqual(Application.objects.get(pk=pk).facts["category"], "labour")
        removed = self.api.delete(self.url("me_application_material", pk, ok.json()["id"]))
        self.assertEqual(removed.status_code, 204)
        self.assertFalse(ApplicationFile.objects.filter(application_id=pk).exists())

    def test_a_draft_begun_in_the_browser_resumes_in_the_app(self) -> None:
        app = actions.start_application(actor=self.user, item=self.legal_aid).application
        browser = self.client_class()
        browser.force_login(self.user)
        browser.post(reverse("applications:step", args=[app.pk, "applicant"]), {**APPLICANT, "go": "next"})
        detail = self.api.get(self.url("me_application", app.pk)).json()
        self.assertEqual(detail["next_step"], "matter")
        self.assertEqual(detail["data"]["applicant"]["address"], APPLICANT["address"])
        self.assertEqual(self.create().json()["id"], app.pk)

    def test_other_citizens_and_staff_see_nothing(self) -> None:
        pk = self.create().json()["id"]
        other = self.as_user(ApplicationTestCase.make_citizen("13711115555", name="李四", seq="376"))
        staff = self.as_user(self.sm_clerk)
        for client in (other, staff):
            for method, url, body in (
                ("get", self.url("me_application", pk), None),
                ("put", self.url("me_application_applicant", pk), APPLICANT),
                ("delete", self.url("me_application", pk), None),
                ("post", self.url("me_application_submit", pk), {"pledge": True}),
            ):
                with self.subTest(url=url, method=method):
                    extra = {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex} if method == "post" else {}
                    r = getattr(client, method)(url, body, format="json", **extra)
                    self.assertError(r, 404, "not_found")
        self.assertEqual(other.get(self.url("me_applications")).json()["count"], 0)
        self.assertError(APIClient().get(self.url("me_applications")), 401, "not_authenticated")
        self.assertTrue(Application.objects.filter(pk=pk).exists())

    def test_creates_need_an_idempotency_key(self) -> None:
        r = self.api.post(self.url("me_applications"), {"service_item": self.legal_aid.pk}, format="json")
        self.assertError(r, 400, "idempotency_key_required")
        self.assertError(
            self.post(self.api, self.url("me_applications"), {"service_item": True}),
            400,
            "invalid",
            "没有这个服务事项",
        )

    def test_the_list_reads_a_fixed_number_of_queries(self) -> None:
        self.create()

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.api.get(self.url("me_applications")).status_code, 200)
            return len(queries)

        count()
        one = count()
        for item in (
            self.mediation.pk,
            *(
                self.legal_aid.__class__.objects.filter(code__in=["notary", "lawyer"]).values_list(
                    "pk", flat=True
                )
            ),
        ):
            self.create(item)
        self.assertEqual(count(), one)
