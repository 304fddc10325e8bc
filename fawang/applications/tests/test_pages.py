"""The pages: 网上办事 at /apply/ and on the home page, starting, each step, uploads, the confirmation, submitting
in the browser, 我的申请, and what another person (or a staff session) gets."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fawang.catalog.models import ServiceItem
from fawang.matters.models import Matter

from .. import actions
from ..models import Application, ApplicationFile
from .base import APPLICANT, LEGAL_AID_MATTER, PDF, ApplicationTestCase, pdf


class PagesTestCase(ApplicationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.user)

    def step_url(self, app: Application, step: str) -> str:
        return reverse("applications:step", args=[app.pk, step])

    def material_slot(self, app: Application, name: str) -> str:
        return f"m{app.service_item.materials.get(name=name).pk}"

    def test_every_item_offered_on_the_web_has_an_online_entry_point(self) -> None:
        self.client.logout()
        page = self.client.get(reverse("apply:index"))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, reverse("applications:start", args=["legal_aid"]))
        self.assertContains(page, reverse("applications:start", args=["mediation"]))
        self.assertContains(page, reverse("applications:start", args=["notary"]))
        self.assertContains(page, reverse("me:ask"))  # 法律咨询 is asked online at 在线咨询
        self.assertContains(page, reverse("info:guide", args=["legal_aid"]))  # and each has its 办事指南
        # Complaints are made on the matter they are about; remote visits are booked with a slot.
        self.assertNotContains(page, reverse("applications:start", args=["complaint"]))
        self.assertNotContains(page, reverse("applications:start", args=["remote_visit"]))
        ServiceItem.objects.filter(code="notary").update(channels=["window"])
        self.assertNotContains(self.client.get(reverse("apply:index")), "公证办理")
        home = self.client.get(reverse("portal:home"))
        self.assertContains(home, f'href="{reverse("apply:index")}">网上办事：在线申请、上传材料</a>')

    def test_the_apply_link_include_for_service_guides(self) -> None:
        def link(code: str) -> str:
            item = ServiceItem.objects.get(code=code)
            return render_to_string("applications/_apply_link.html", {"item": item}).strip()

        self.assertEqual(
            link("mediation"),
            f'<a class="btn btn-primary" href="{reverse("applications:start", args=["mediation"])}">在线申请</a>',
        )
        self.assertIn(reverse("me:ask"), link("consultation"))
        self.assertEqual(link("complaint"), "")
        self.assertEqual(link("remote_visit"), "")

    def test_starting_needs_sign_in_and_real_name(self) -> None:
        url = reverse("applications:start", args=["legal_aid"])
        self.client.logout()
        self.assertRedirects(
            self.client.get(url), reverse("me:login") + "?next=" + url, fetch_redirect_response=False
        )
        nameless = self.make_citizen("13711119999", seq="374")
        nameless.display_name = ""
        nameless.save()
        self.client.force_login(nameless)
        response = self.client.get(url)
        self.assertRedirects(response, reverse("me:profile") + "?next=" + url, fetch_redirect_response=False)
        # Staff sessions are sent to the public sign-in too: the pages are for public accounts.
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("applications:list")).status_code, 302)
        self.assertEqual(self.client.get(reverse("apply:index")).status_code, 200)
        self.assertEqual(self.client.get(reverse("applications:start", args=["complaint"])).status_code, 302)

    def test_start_twice_resumes_the_same_draft(self) -> None:
        url = reverse("applications:start", args=["legal_aid"])
        self.assertContains(self.client.get(url), "开始填写申请")
        first = self.client.post(url)
        app = Application.objects.get(user=self.user)
        self.assertRedirects(first, self.step_url(app, "applicant"), fetch_redirect_response=False)
        self.save(app, "applicant", APPLICANT)
        self.assertContains(self.client.get(url), "继续填写")
        again = self.client.post(url)
        self.assertRedirects(again, self.step_url(app, "matter"), fetch_redirect_response=False)
        self.assertEqual(Application.objects.filter(user=self.user).count(), 1)
        self.assertEqual(self.client.get(reverse("applications:start", args=["complaint"])).status_code, 404)

    def test_each_step_saves_and_moves_on_or_shows_the_errors_in_chinese(self) -> None:
        app = self.start()
        page = self.client.get(self.step_url(app, "applicant"))
        self.assertContains(page, "第 1 步（共 6 步）：申请人信息")
        self.assertContains(page, "350203********3714")  # the profile's ID number, masked
        bad = self.client.post(self.step_url(app, "applicant"), {"phone": "123", "go": "next"})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "请输入正确的联系电话", status_code=400)
        self.assertContains(bad, "提交的信息有误，请按提示修改后再提交。", status_code=400)
        ok = self.client.post(self.step_url(app, "applicant"), {**APPLICANT, "go": "next"})
        self.assertRedirects(ok, self.step_url(app, "matter"), fetch_redirect_response=False)
        later = self.client.post(self.step_url(app, "matter"), {**LEGAL_AID_MATTER, "go": "later"})
        self.assertRedirects(later, reverse("applications:list"), fetch_redirect_response=False)
        listing = self.client.get(reverse("applications:list"))
        self.assertContains(listing, "已保存草稿，可以随时在“我的申请”中继续填写。")
        self.assertContains(listing, "已填写 2 / 4 步")
        # Back later (any device): the draft opens at the first step not yet saved, with what was saved.
        resume = self.client.get(reverse("applications:detail", args=[app.pk]))
        self.assertRedirects(resume, self.step_url(app, "parties"), fetch_redirect_response=False)
        matter_page = self.client.get(self.step_url(app, "matter"))
        self.assertContains(matter_page, "多次催要未果")
        self.assertContains(matter_page, 'value="labour" selected')

    def test_the_region_pickers_next_level_without_javascript_saves_nothing(self) -> None:
        app = self.start()
        response = self.client.post(
            self.step_url(app, "matter"),
            {**LEGAL_AID_MATTER, "region": "", "region_1": "35", "region__next": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "厦门市")
        self.assertNotIn("matter", Application.objects.get(pk=app.pk).steps_done)

    def test_uploads_are_checked_and_a_refused_file_loses_nothing(self) -> None:
        app = self.start()
        self.save(app, "applicant", APPLICANT)
        self.save(app, "matter", LEGAL_AID_MATTER)
        slot = self.material_slot(app, "申请人身份证明")
        ok = self.client.post(reverse("applications:upload", args=[app.pk]), {"slot": slot, "file": pdf()})
        self.assertRedirects(
            ok, self.step_url(app, "materials") + f"#slot-{slot}", fetch_redirect_response=False
        )
        exe = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        wrong = self.client.post(reverse("applications:upload", args=[app.pk]), {"slot": slot, "file": exe})
        self.assertContains(wrong, "只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件。", status_code=400)
        with override_settings(MATTERS_UPLOAD_MAX_BYTES=64):
            big = self.client.post(
                reverse("applications:upload", args=[app.pk]),
                {"slot": slot, "file": SimpleUploadedFile("大.pdf", PDF + b"0" * 100)},
            )
        self.assertContains(big, "文件不能超过 0.0625 KB。", status_code=400)
        nowhere = self.client.post(
            reverse("applications:upload", args=[app.pk]), {"slot": "m999999", "file": pdf()}
        )
        self.assertContains(nowhere, "请选择要上传到哪一项材料。", status_code=400)
        # Only the good file is kept, and the steps saved before are as they were.
        self.assertEqual(
            list(ApplicationFile.objects.filter(application=app).values_list("original_name", flat=True)),
            ["身份证.pdf"],
        )
        app.refresh_from_db()
        self.assertEqual(app.steps_done, ["applicant", "matter"])
        self.assertEqual(app.description, LEGAL_AID_MATTER["description"])
        page = self.client.get(self.step_url(app, "materials"))
        self.assertContains(page, "身份证.pdf")
        self.assertContains(
            page, "已在线提供"
        )  # 法律援助申请表 and 经济困难状况说明 are the online form itself
        row = ApplicationFile.objects.get(application=app)
        download = self.client.get(reverse("applications:download", args=[app.pk, row.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertIn("attachment", download["Content-Disposition"])
        self.client.post(reverse("applications:remove", args=[app.pk, row.pk]))
        self.assertFalse(ApplicationFile.objects.filter(application=app).exists())

    def test_the_confirmation_lists_what_is_missing_then_submits_once(self) -> None:
        app = self.start()
        confirm = self.client.get(self.step_url(app, "confirm"))
        self.assertContains(confirm, "还不能提交，请先完成：")
        self.assertContains(confirm, "请填写“家庭经济状况”。")
        self.assertNotContains(confirm, "提交申请</button>")
        self.fill_legal_aid(app)
        confirm = self.client.get(self.step_url(app, "confirm"))
        self.assertContains(confirm, "家庭人均月收入")
        self.assertContains(confirm, "450.00 元")
        self.assertContains(confirm, "13711112222")  # the person's own numbers in full on their own copy
        self.assertContains(confirm, "350203********3714")
        no_pledge = self.client.post(reverse("applications:submit", args=[app.pk]), {})
        self.assertContains(no_pledge, "请勾选承诺后再提交。", status_code=400)
        self.assertFalse(Matter.objects.filter(submitted_by=self.user).exists())
        first = self.client.post(reverse("applications:submit", args=[app.pk]), {"pledge": "on"})
        matter = Matter.objects.get(submitted_by=self.user)
        self.assertRedirects(first, reverse("me:matter", args=[matter.pk]), fetch_redirect_response=False)
        again = self.client.post(reverse("applications:submit", args=[app.pk]), {"pledge": "on"})
        self.assertEqual(again["Location"], first["Location"])
        self.assertEqual(Matter.objects.filter(submitted_by=self.user).count(), 1)
        mine = self.client.get(first["Location"])
        self.assertContains(mine, "申请已提交，受理编号")
        self.assertContains(mine, "思明区法律援助中心")
        # 我的申请 shows it submitted, with its copy; the steps are closed.
        self.assertContains(self.client.get(reverse("applications:list")), "查看办理进度")
        copy = self.client.get(reverse("applications:detail", args=[app.pk]))
        self.assertContains(copy, "请求确认劳动关系或者支付劳动报酬")
        self.assertRedirects(
            self.client.get(self.step_url(app, "matter")),
            reverse("applications:detail", args=[app.pk]),
            fetch_redirect_response=False,
        )
        # The tracking page's timeline shows the submission and the materials.
        track = self.client.get(reverse("track:matter", args=[matter.tracking_no]))
        self.assertContains(track, "已提交，由思明区法律援助中心办理")
        self.assertContains(track, "已上传材料：申请人身份证明.pdf")

    def test_html_typed_into_the_form_is_shown_as_text(self) -> None:
        app = self.fill_legal_aid(self.start())
        self.save(app, "matter", {**LEGAL_AID_MATTER, "description": "<script>alert(1)</script>拖欠工资"})
        confirm = self.client.get(self.step_url(app, "confirm"))
        self.assertContains(confirm, "&lt;script&gt;alert(1)&lt;/script&gt;拖欠工资")
        self.assertNotContains(confirm, "<script>alert(1)</script>")
        matter = actions.do_submit_application(app.pk, actor=self.user, pledge=True).matter
        mine = self.client.get(reverse("me:matter", args=[matter.pk]))
        self.assertContains(mine, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(mine, "<script>alert(1)</script>")
        self.client.force_login(self.sm_handler)
        console = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(console, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(console, "<script>alert(1)</script>")

    def test_another_citizen_gets_404_everywhere(self) -> None:
        app = self.start()
        self.save(app, "applicant", APPLICANT)
        row = actions.do_upload_material(
            app.pk, actor=self.user, slot=self.material_slot(app, "申请人身份证明"), upload=pdf()
        )
        other = self.make_citizen("13711114444", name="李四", seq="375")
        self.client.force_login(other)
        for url in (
            reverse("applications:detail", args=[app.pk]),
            self.step_url(app, "applicant"),
            self.step_url(app, "confirm"),
            reverse("applications:download", args=[app.pk, row.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        for url, data in (
            (self.step_url(app, "applicant"), APPLICANT),
            (reverse("applications:upload", args=[app.pk]), {"slot": "other", "file": pdf()}),
            (reverse("applications:remove", args=[app.pk, row.pk]), {}),
            (reverse("applications:submit", args=[app.pk]), {"pledge": "on"}),
            (reverse("applications:discard", args=[app.pk]), {}),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, data).status_code, 404)
        self.assertNotContains(
            self.client.get(reverse("applications:list")), reverse("applications:detail", args=[app.pk])
        )
        self.assertTrue(Application.objects.filter(pk=app.pk, applicant_phone="13711112222").exists())
        self.assertTrue(ApplicationFile.objects.filter(pk=row.pk).exists())

    def test_my_applications_list_reads_a_fixed_number_of_queries(self) -> None:
        self.start()

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("applications:list")).status_code, 200)
            return len(queries)

        count()  # the first request after signing in also writes the session
        one = count()
        for code in ("mediation", "notary", "appraisal", "lawyer"):
            self.start(code)
        self.fill_legal_aid(Application.objects.get(user=self.user, service_item__code="legal_aid"))
        actions.do_submit_application(
            Application.objects.get(user=self.user, service_item__code="legal_aid").pk,
            actor=self.user,
            pledge=True,
        )
        self.assertEqual(count(), one)

    def test_discarding_a_draft_removes_it_and_its_files(self) -> None:
        app = self.start()
        actions.do_upload_material(app.pk, actor=self.user, slot="other", upload=pdf())
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("applications:discard", args=[app.pk]))
        self.assertRedirects(response, reverse("applications:list"), fetch_redirect_response=False)
        self.assertFalse(Application.objects.filter(pk=app.pk).exists())
        self.assertFalse(ApplicationFile.objects.exists())
