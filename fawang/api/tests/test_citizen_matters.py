"""The citizen side of the API (/api/v1/me/…): my matters and consultations, asking, following up, 已解决, 好差评,
complaints, supplying materials, the result notice and the inbox. Only one's own matters: another person's is a
404, as is every /me/ endpoint for a staff token."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.citizens import actions as citizens
from fawang.consult import legal_basis
from fawang.knowledge.tests.sample import import_sample
from fawang.matters import actions, notices
from fawang.matters.models import Attachment, Complaint, Evaluation, Matter, MatterEvent
from fawang.matters.tests.base import id_number
from fawang.notify.models import Message
from fawang.orgs.models import Membership, Speciality

from .base import ApiTestCase

QUESTION = "公司拖欠我三个月工资，应该怎么办？<script>alert(1)</script>"
ANSWER = "可以向劳动保障监察大队投诉，也可以申请劳动仲裁。"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CitizenApiTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.make_citizen("13711113333", "林晓燕", "456")
        self.me = self.as_user(self.user)
        # The centre's staff: a window clerk who answers, and a handler who may complete (the demo's sm_handler
        # holds the centre's handler role beside the legal-aid centre's).
        self.assertTrue(
            Membership.objects.filter(
                user=self.sm_handler, unit=self.sm_centre, role=Membership.Role.HANDLER
            ).exists()
        )

    def make_citizen(self, phone: str, name: str, seq: str) -> User:
        user = User.objects.create_user(f"public-{phone}", kind=User.Kind.PUBLIC, phone=phone)
        citizens.do_update_profile(user.pk, name=name, id_number=id_number(seq=seq))
        return user

    def ask(self, client: APIClient | None = None, key: str | None = None, **data: Any) -> Any:
        body = {"question": QUESTION, "region": "350203001", **data}
        return self.post(client or self.me, reverse("api:me_consultations"), body, key=key)

    def asked(self, **data: Any) -> Matter:
        r = self.ask(**data)
        self.assertEqual(r.status_code, 201, r.content.decode())
        return Matter.objects.get(pk=r.json()["id"])

    def answer(self, matter: Matter, text: str = ANSWER) -> None:
        # Delivery runs after commit (the outbox worker): run it, so the answer reaches the inbox.
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_comment(matter.pk, actor=self.sm_clerk, text=text, visible=True)

    def own_legal_aid(self) -> Matter:
        matter = self.submit(person=self.person_data())
        Matter.objects.filter(pk=matter.pk).update(submitted_by=self.user)
        return matter

    def person_data(self) -> actions.PersonData:
        return self.person_of(name="林晓燕", phone="13711113333")

    def person_of(self, **fields: Any) -> actions.PersonData:
        return actions.PersonData(**{"id_number": id_number(seq="456"), **fields})

    def detail(self, matter: Matter, client: APIClient | None = None) -> dict[str, Any]:
        r = (client or self.me).get(reverse("api:me_matter", args=[matter.pk]))
        self.assertEqual(r.status_code, 200, r.content.decode())
        return dict(r.json())

    def url(self, name: str, matter: Matter) -> str:
        return reverse(f"api:me_matter_{name}", args=[matter.pk])


class AskTestCase(CitizenApiTestCase):
    def test_it_asks_a_consultation_routed_to_the_district_centre(self) -> None:
        topic = Speciality.objects.order_by("order").first()
        assert topic is not None
        r = self.ask(topic=topic.pk, channel="wechat")
        self.assertEqual(r.status_code, 201, r.content.decode())
        out = r.json()
        matter = Matter.objects.get(submitted_by=self.user)
        self.assertEqual(out["id"], matter.pk)
        self.assertEqual(
            (out["kind"], out["status"], out["thread_state"]), ("consultation", "submitted", "awaiting")
        )
        self.assertEqual(out["thread_state_label"], "待答复")
        self.assertEqual(out["unit"], {"id": self.sm_centre.pk, "name": "思明区公共法律服务中心"})
        self.assertEqual(out["topic"], topic.name)
        self.assertEqual(out["description"], QUESTION)  # JSON carries the text as typed; pages escape it
        self.assertEqual([e["role"] for e in out["thread"]], ["question"])
        self.assertEqual(out["thread"][0]["who"], "本人")
        self.assertEqual((matter.channel, matter.topic, matter.unit), ("wechat", topic, self.sm_centre))
        self.assertEqual(matter.service_item.code, "consultation")
        self.assertFalse(out["can_resolve"])
        self.assertTrue(out["can_follow_up"])

    def test_a_resend_with_the_same_key_creates_nothing_twice(self) -> None:
        first = self.ask(key="ask-1")
        again = self.ask(key="ask-1")
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(Matter.objects.filter(submitted_by=self.user).count(), 1)
        conflict = self.ask(key="ask-1", question="另一个问题")
        self.assertError(conflict, 409, "idempotency_conflict", "内容不同的请求")
        self.assertEqual(Matter.objects.filter(submitted_by=self.user).count(), 1)
        missing = self.me.post(
            reverse("api:me_consultations"), {"question": "问题", "region": "350203"}, format="json"
        )
        self.assertError(missing, 400, "idempotency_key_required", "Idempotency-Key")
        self.assertEqual(Matter.objects.filter(submitted_by=self.user).count(), 1)

    def test_bad_input_gets_chinese_errors_and_creates_nothing(self) -> None:
        error = self.assertError(self.ask(region="35"), 400, "invalid", "请选择到县（市、区）一级。")
        self.assertEqual(error["fields"], {"region": ["请选择到县（市、区）一级。"]})
        error = self.assertError(self.ask(region="999999"), 400, "invalid")
        self.assertEqual(error["fields"], {"region": ["所选地区不存在，请重新选择。"]})
        error = self.assertError(self.ask(topic=999999), 400, "invalid", "没有这个问题类别。")
        error = self.assertError(self.ask(question=""), 400, "invalid")
        self.assertIn("question", error["fields"])
        error = self.assertError(self.ask(channel="window"), 400, "invalid")
        self.assertIn("channel", error["fields"])
        self.assertFalse(Matter.objects.filter(submitted_by=self.user).exists())

    def test_it_needs_real_name_details_first(self) -> None:
        r = self.ask(client=self.as_user(self.citizen))  # the persona has no ID number on file
        self.assertError(r, 400, "no_real_name", "请先填写实名信息。")
        self.assertFalse(Matter.objects.filter(submitted_by=self.citizen).exists())

    def test_topics_and_regions_for_the_form(self) -> None:
        topics = self.me.get(reverse("api:me_consultation_topics")).json()
        self.assertIn("劳动纠纷", [t["name"] for t in topics])
        self.assertEqual(set(topics[0]), {"id", "code", "name"})
        provinces = APIClient().get(reverse("api:regions")).json()
        self.assertIn(
            {"code": "35", "name": "福建省"}, [{"code": p["code"], "name": p["name"]} for p in provinces]
        )
        towns = APIClient().get(reverse("api:regions"), {"parent": "350203"}).json()
        xiagang = next(t for t in towns if t["code"] == "350203001")
        self.assertEqual((xiagang["name"], xiagang["level"], xiagang["has_children"]), ("厦港街道", 4, True))
        self.assertError(APIClient().get(reverse("api:regions"), {"parent": "99"}), 404, "not_found")

    def test_html_in_a_question_is_escaped_on_the_staff_page(self) -> None:
        matter = self.asked()
        self.client.force_login(self.sm_clerk)
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(page, "<script>alert(1)</script>")


class ListTestCase(CitizenApiTestCase):
    def test_it_lists_own_matters_with_filters_by_kind_and_status(self) -> None:
        consultation = self.asked()
        legal_aid = self.own_legal_aid()
        self.submit()  # someone else's
        url = reverse("api:me_matters")
        out = self.me.get(url).json()
        self.assertEqual(out["count"], 2)
        self.assertEqual([m["id"] for m in out["results"]], [consultation.pk, legal_aid.pk])
        only = self.me.get(url, {"kind": "consultations"}).json()["results"]
        self.assertEqual([(m["id"], m["thread_state"]) for m in only], [(consultation.pk, "awaiting")])
        others = self.me.get(url, {"kind": "matters"}).json()["results"]
        self.assertEqual(
            [(m["id"], m["kind"], m["thread_state"]) for m in others], [(legal_aid.pk, "matter", None)]
        )
        self.assertEqual(self.me.get(url, {"status": "open"}).json()["count"], 2)
        self.assertEqual(self.me.get(url, {"status": "done"}).json()["count"], 0)
        self.assertEqual(self.me.get(url, {"status": "submitted", "kind": "matters"}).json()["count"], 1)
        self.assertError(self.me.get(url, {"status": "nonsense"}), 400, "invalid")

    def test_states_and_unread_answers_in_a_constant_number_of_queries(self) -> None:
        url = reverse("api:me_matters") + "?kind=consultations"
        first = self.asked()
        self.answer(first)
        # Token, count, page, thread events, unread answers.
        with self.assertNumQueries(5):
            self.me.get(url)
        for n in range(3):
            self.answer(self.asked(question=f"第{n}个问题"))
        with self.assertNumQueries(5):
            rows = self.me.get(url).json()["results"]
        self.assertEqual({(r["thread_state"], r["answers_unread"]) for r in rows}, {("answered", 1)})


class ThreadTestCase(CitizenApiTestCase):
    def test_the_detail_shows_answers_the_timeline_and_no_internal_notes(self) -> None:
        matter = self.asked()
        self.answer(matter)
        actions.do_comment(matter.pk, actor=self.sm_clerk, text="内部备注：已电话联系", visible=False)
        out = self.detail(matter)
        self.assertEqual(out["thread_state"], "answered")
        self.assertEqual(
            [(e["role"], e["who"], e["text"]) for e in out["thread"]],
            [("question", "本人", QUESTION), ("answer", "思明区公共法律服务中心", ANSWER)],
        )
        summaries = [row["summary"] for row in out["timeline"]]
        self.assertIn(ANSWER, summaries)
        self.assertNotIn("内部备注：已电话联系", str(out))
        self.assertTrue(out["can_resolve"])

    def test_an_answer_reaches_the_inbox_and_opening_the_matter_reads_it(self) -> None:
        matter = self.asked()
        self.answer(matter)
        inbox = self.me.get(reverse("api:me_messages")).json()
        answered = [m for m in inbox["results"] if m["kind"] == "matter.answered"]
        self.assertEqual(len(answered), 1)
        self.assertIn(ANSWER, answered[0]["body"])
        self.assertEqual((answered[0]["matter"], answered[0]["read"]), (matter.pk, False))
        listed = self.me.get(reverse("api:me_matters")).json()["results"][0]
        self.assertEqual(listed["answers_unread"], 1)
        self.assertEqual(self.detail(matter)["answers_unread"], 0)
        message = Message.objects.get(kind="matter.answered", user=self.user)
        self.assertIsNotNone(message.read_at)
        self.assertEqual(self.me.get(reverse("api:me_matters")).json()["results"][0]["answers_unread"], 0)

    def test_an_answer_read_on_the_page_before_its_message_is_delivered_stays_read(self) -> None:
        matter = self.asked()
        with self.captureOnCommitCallbacks() as deliveries:
            actions.do_comment(matter.pk, actor=self.sm_clerk, text=ANSWER, visible=True)
        self.assertEqual(self.detail(matter)["thread"][-1]["text"], ANSWER)  # read while still in the outbox
        for deliver in deliveries:
            deliver()
        self.assertEqual(
            Message.objects.get(kind="matter.answered", user=self.user).status, Message.Status.SENT
        )
        self.assertEqual(self.me.get(reverse("api:me_matters")).json()["results"][0]["answers_unread"], 0)

    def test_a_follow_up_is_recorded_once_and_tells_the_unit(self) -> None:
        matter = self.asked()
        self.answer(matter)
        url = self.url("follow_up", matter)
        r = self.post(self.me, url, {"text": "仲裁需要哪些材料？"}, key="f-1")
        self.assertEqual(r.status_code, 200, r.content.decode())
        self.assertEqual(r.json()["thread_state"], "awaiting")
        self.assertEqual(
            r.json()["thread"][-1], {**r.json()["thread"][-1], "role": "follow_up", "who": "本人"}
        )
        again = self.post(self.me, url, {"text": "仲裁需要哪些材料？"}, key="f-1")
        self.assertEqual(again["Idempotent-Replayed"], "true")
        comments = MatterEvent.objects.filter(matter=matter, action="comment", actor=self.user)
        self.assertEqual(list(comments.values_list("note", flat=True)), ["仲裁需要哪些材料？"])
        told = [m.user for m in self.messages(matter, "matter.comment")]
        self.assertEqual(told, notices.unit_staff(self.sm_centre.pk))
        error = self.assertError(self.post(self.me, url, {"text": ""}), 400, "invalid")
        self.assertIn("text", error["fields"])
        self.assertEqual(comments.count(), 1)


class ResolveTestCase(CitizenApiTestCase):
    def test_resolving_an_answered_consultation_completes_it_with_the_answers_as_result(self) -> None:
        matter = self.asked()
        url = self.url("resolve", matter)
        self.assertError(
            self.post(self.me, url, {}), 400, "no_answer", "工作人员答复后，才能确认问题已解决。"
        )
        self.answer(matter)
        self.post(self.me, self.url("follow_up", matter), {"text": "需要带劳动合同吗？"})
        self.answer(matter, "需要，请带上劳动合同和工资流水。")
        r = self.post(self.me, url, {})
        self.assertEqual(r.status_code, 200, r.content.decode())
        out = r.json()
        self.assertEqual((out["status"], out["thread_state"]), ("completed", "resolved"))
        self.assertEqual(out["result"], ANSWER + "\n\n需要，请带上劳动合同和工资流水。")
        self.assertEqual((out["can_resolve"], out["can_follow_up"], out["can_rate"]), (False, False, True))
        self.assertEqual(out["timeline"][-1]["summary"], "本人确认问题已解决，咨询办结")
        self.assertEqual(out["timeline"][-1]["who"], "本人")
        matter.refresh_from_db()
        self.assertEqual((matter.status, matter.due_at), (Matter.Status.COMPLETED, None))
        event = matter.events.latest("pk")
        # Whoever answered is the handler of record (issue 14, item 5).
        self.assertEqual(
            (event.action, event.actor, event.payload),
            (
                "complete",
                self.user,
                {"resolved": True, "handler": matter.handler_id, "handler_of_record": True},
            ),
        )
        self.assertEqual(matter.handler, self.sm_clerk)
        told = self.messages(matter, "matter.resolved")
        self.assertIn(self.sm_clerk, [m.user for m in told])
        self.assertIn("服务对象确认问题已解决", told[0].body)
        self.assertError(self.post(self.me, url, {}), 400, "already_resolved", "您已确认该咨询的问题已解决。")
        r = self.post(self.me, self.url("follow_up", matter), {"text": "再问一句"})
        self.assertError(r, 400, "already_resolved", "如有新的问题，请重新提交咨询。")

    def test_resolving_after_staff_completed_it_closes_it(self) -> None:
        matter = self.asked()
        actions.do_accept(matter.pk, actor=self.sm_handler)
        actions.do_complete(matter.pk, actor=self.sm_handler, result="已答复：可申请劳动仲裁。")
        self.assertEqual(self.detail(matter)["thread_state"], "answered")
        out = self.post(self.me, self.url("resolve", matter), {}).json()
        self.assertEqual((out["status"], out["thread_state"]), ("closed", "resolved"))
        self.assertEqual(out["result"], "已答复：可申请劳动仲裁。")
        self.assertEqual(out["timeline"][-1]["summary"], "本人确认问题已解决，咨询关闭")

    def test_only_consultations_can_be_resolved(self) -> None:
        matter = self.own_legal_aid()
        actions.do_comment(matter.pk, actor=self.sm_clerk, text="请携带工资条原件。", visible=True)
        r = self.post(self.me, self.url("resolve", matter), {})
        self.assertError(r, 400, "not_consultation", "只有法律咨询可以确认问题已解决。")
        self.assertEqual(self.reload(matter).status, Matter.Status.SUBMITTED)


class RateTestCase(CitizenApiTestCase):
    def test_rating_once_after_it_is_resolved(self) -> None:
        matter = self.asked()
        url = self.url("rate", matter)
        self.assertError(self.post(self.me, url, {"level": 5}), 400, "invalid_transition", "不能评价")
        self.answer(matter)
        self.post(self.me, self.url("resolve", matter), {})
        self.assertError(self.post(self.me, url, {"level": 7}), 400, "invalid", "请选择评价等级。")
        r = self.post(self.me, url, {"level": 5, "comment": "答复很及时"}, key="r-1")
        self.assertEqual(r.status_code, 200, r.content.decode())
        self.assertEqual(r.json()["evaluation"]["level_label"], "非常满意")
        self.assertEqual((r.json()["status"], r.json()["can_rate"]), ("closed", False))
        self.assertEqual(
            self.post(self.me, url, {"level": 5, "comment": "答复很及时"}, key="r-1").status_code, 200
        )
        self.assertError(self.post(self.me, url, {"level": 1}), 400, "already_rated", "只能评价一次")
        evaluation = Evaluation.objects.get(matter=matter)
        self.assertEqual(
            (evaluation.level, evaluation.comment, evaluation.recorded_by), (5, "答复很及时", None)
        )


class ComplaintTestCase(CitizenApiTestCase):
    def test_a_complaint_is_a_new_matter_for_the_supervising_bureau_made_once(self) -> None:
        matter = self.asked()
        url = self.url("complaint", matter)
        r = self.post(self.me, url, {"description": "三天没有答复。"}, key="c-1")
        self.assertEqual(r.status_code, 201, r.content.decode())
        complaint = Matter.objects.get(pk=r.json()["id"])
        self.assertEqual((complaint.unit, complaint.channel), (self.sm_bureau, "app"))
        self.assertEqual(Complaint.objects.get(matter=complaint).about_matter, matter)
        self.assertEqual(r.json()["service_item"]["name"], complaint.service_item.name)
        again = self.post(self.me, url, {"description": "三天没有答复。"}, key="c-1")
        self.assertEqual(again.json()["id"], complaint.pk)
        self.assertEqual(Complaint.objects.filter(about_matter=matter).count(), 1)
        self.assertIn(
            complaint.pk, [m["id"] for m in self.me.get(reverse("api:me_matters")).json()["results"]]
        )
        self.assertError(self.post(self.me, url, {"description": " "}), 400, "invalid")


class SupplyTestCase(CitizenApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.matter = self.own_legal_aid()
        handler = self.staff_of(self.sm_legal_aid, Membership.Role.HANDLER)
        actions.do_request_materials(self.matter.pk, actor=handler, missing=["身份证复印件", "劳动合同"])
        self.url_ = self.url("materials", self.matter)

    def upload(self, *files: SimpleUploadedFile, key: str | None = None) -> Any:
        import uuid

        return self.me.post(
            self.url_,
            {"files": list(files), "note": "已补齐"},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex,
        )

    def test_the_detail_lists_what_to_supply(self) -> None:
        out = self.detail(self.matter)
        self.assertTrue(out["can_supply"])
        self.assertEqual(out["materials_request"]["missing"], ["身份证复印件", "劳动合同"])
        self.assertIsNotNone(out["materials_request"]["due_at"])

    def test_a_wrong_type_or_oversized_file_loses_nothing_and_stores_nothing(self) -> None:
        good = SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")
        bad = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        error = self.assertError(self.upload(good, bad), 400, "file_type")
        self.assertEqual(error["message"], "“病毒.pdf”：只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件。")
        with override_settings(MATTERS_UPLOAD_MAX_BYTES=20):
            good.seek(0)
            error = self.assertError(self.upload(good), 400, "file_too_large")
        self.assertIn("文件不能超过", error["message"])
        self.assertError(self.upload(), 400, "invalid")
        self.assertFalse(Attachment.objects.filter(matter=self.matter).exists())
        self.assertEqual(self.reload(self.matter).status, Matter.Status.AWAITING_MATERIALS)
        good.seek(0)
        r = self.upload(good)
        self.assertEqual(r.status_code, 200, r.content.decode())
        self.assertEqual((r.json()["status"], r.json()["can_supply"]), ("submitted", False))
        self.assertEqual(
            list(Attachment.objects.filter(matter=self.matter).values_list("original_name", flat=True)),
            ["合同.pdf"],
        )
        self.assertEqual(self.events(self.matter)[-2:], ["attach", "supply_materials"])

    def test_json_is_not_accepted_for_uploads(self) -> None:
        r = self.post(self.me, self.url_, {"files": []})
        self.assertError(r, 415, "unsupported_media_type", "补正材料请以 multipart/form-data 格式上传文件。")


class PdfTestCase(CitizenApiTestCase):
    def test_the_result_notice_once_completed(self) -> None:
        matter = self.asked()
        url = self.url("result_pdf", matter)
        self.assertError(self.me.get(url), 404, "not_found")
        self.assertIsNone(self.detail(matter)["result_pdf"])
        self.answer(matter)
        self.post(self.me, self.url("resolve", matter), {})
        self.assertEqual(self.detail(matter)["result_pdf"], "http://testserver" + url)
        r = self.me.get(url, HTTP_ACCEPT="application/pdf")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF"))
        self.assertIn("no-store", r["Cache-Control"])


class MessagesTestCase(CitizenApiTestCase):
    def test_list_mark_read_and_read_all(self) -> None:
        first, second = self.asked(), self.asked(question="第二个问题")
        self.answer(first)
        self.answer(second)
        out = self.me.get(reverse("api:me_messages"), {"unread": "true"}).json()
        self.assertEqual(out["unread"], out["count"])
        ids = [m["id"] for m in out["results"]]
        self.assertGreaterEqual(len(ids), 2)
        r = self.me.post(reverse("api:me_message_read", args=[ids[0]]))
        self.assertEqual((r.status_code, r.json()["read"]), (200, True))
        self.assertEqual(self.me.get(reverse("api:me_messages")).json()["unread"], len(ids) - 1)
        r = self.me.post(reverse("api:me_messages_read_all"))
        self.assertEqual(r.json(), {"marked": len(ids) - 1})
        self.assertEqual(self.me.get(reverse("api:me_messages"), {"unread": "true"}).json()["count"], 0)
        other = self.as_user(self.make_citizen("13711114444", "郑敏", "888"))
        self.assertError(other.post(reverse("api:me_message_read", args=[ids[0]])), 404, "not_found")


class OwnOnlyTestCase(CitizenApiTestCase):
    def test_another_persons_matter_is_a_404_on_every_endpoint(self) -> None:
        matter = self.asked()
        self.answer(matter)
        other = self.as_user(self.make_citizen("13711114444", "郑敏", "888"))
        gets = ["api:me_matter", "api:me_matter_result_pdf"]
        posts = {
            "api:me_matter_follow_up": {"text": "x"},
            "api:me_matter_resolve": {},
            "api:me_matter_rate": {"level": 5},
            "api:me_matter_complaint": {"description": "x"},
        }
        for name in gets:
            self.assertError(other.get(reverse(name, args=[matter.pk])), 404, "not_found")
            self.assertError(other.get(reverse(name, args=[999999])), 404, "not_found")
        for name, body in posts.items():
            self.assertError(self.post(other, reverse(name, args=[matter.pk]), body), 404, "not_found")
        r = other.post(
            self.url("materials", matter),
            {"files": [SimpleUploadedFile("a.pdf", PDF)]},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="m-1",
        )
        self.assertError(r, 404, "not_found")
        self.assertEqual(other.get(reverse("api:me_matters")).json()["count"], 0)
        # Nothing the other person tried changed it: still as the answer (which took it in) left it.
        self.assertEqual(self.reload(matter).status, Matter.Status.ACCEPTED)
        self.assertEqual(self.events(matter), ["submit", "accept", "comment"])

    def test_staff_tokens_and_anonymous_callers_get_nothing_of_me(self) -> None:
        matter = self.asked()
        staff = self.as_user(self.sm_clerk)
        for url in (
            reverse("api:me_matters"),
            reverse("api:me_matter", args=[matter.pk]),
            reverse("api:me_messages"),
        ):
            self.assertError(staff.get(url), 404, "not_found")
            self.assertError(APIClient().get(url), 401, "not_authenticated")
        self.assertError(self.ask(client=staff), 404, "not_found")
        self.assertError(self.post(staff, self.url("follow_up", matter), {"text": "x"}), 404, "not_found")
        self.assertEqual(self.events(matter), ["submit"])


class LegalBasisTestCase(CitizenApiTestCase):
    def test_the_legal_basis_staff_cited_is_shown(self) -> None:
        tmp = Path(tempfile.mkdtemp(prefix="fawang-laws-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        import_sample(tmp)
        matter = self.asked()
        legal_basis.do_add_article(matter.pk, "《中华人民共和国法律援助法》第四十三条", actor=self.sm_clerk)
        basis = self.detail(matter)["legal_basis"]
        self.assertEqual(
            [(b["law_title"], b["label"]) for b in basis], [("中华人民共和国法律援助法", "第四十三条")]
        )
        self.assertTrue(basis[0]["url"].startswith("http://testserver/laws/"))
