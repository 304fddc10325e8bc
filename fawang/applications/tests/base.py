"""Shared set-up for the online-application tests: citizens with real-name details, valid step data, files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.citizens import actions as citizens
from fawang.matters.tests.base import MatterTestCase, id_number

from .. import actions
from ..models import Application

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "身份证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


APPLICANT = {
    "phone": "13711112222",
    "address": "厦门市思明区厦港街道鸿山社区 1 号",
    "special_groups": ["migrant_worker"],
}
LEGAL_AID_MATTER = {
    "category": "labour",
    "stage": "non_litigation",
    "authority": "思明区劳动人事争议仲裁委员会",
    "description": "用人单位拖欠三个月工资共一万八千元，多次催要未果，无力聘请律师。",
    "region": "350203001",
}
OTHER_PARTY = {
    "parties-TOTAL_FORMS": "1",
    "parties-INITIAL_FORMS": "0",
    "parties-0-kind": "organisation",
    "parties-0-name": "厦门某某装修工程有限公司",
    "parties-0-phone": "0592-1234567",
    "parties-0-address": "厦门市思明区某路 8 号",
}
MEANS = {
    "applicant_income": "1800",
    "hardship_statement": "本人失业，妻子无业，需抚养两个孩子。",
    "pledged": "on",
    "members-TOTAL_FORMS": "3",
    "members-INITIAL_FORMS": "0",
    "members-0-name": "李秀兰",
    "members-0-relation": "spouse",
    "members-0-monthly_income": "0",
    "members-1-name": "王小宝",
    "members-1-relation": "child",
    "members-1-monthly_income": "",
    "members-2-name": "王小妹",
    "members-2-relation": "child",
    "members-2-monthly_income": "0",
}


class ApplicationTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.make_citizen("13711112222")

    @staticmethod
    def make_citizen(phone: str, name: str = "王建国", seq: str = "371") -> User:
        user = User.objects.create_user(f"public-{phone}", kind=User.Kind.PUBLIC, phone=phone)
        citizens.do_update_profile(user.pk, name=name, id_number=id_number(born="19850615", seq=seq))
        user.refresh_from_db()
        return user

    def start(self, code: str = "legal_aid", user: User | None = None) -> Application:
        item = ServiceItem.objects.get(code=code)
        return actions.start_application(actor=user or self.user, item=item).application

    def save(
        self, app: Application, step: str, data: Mapping[str, Any], user: User | None = None
    ) -> Application:
        return actions.do_save_step(app.pk, actor=user or self.user, step=step, data=data)

    def fill_legal_aid(self, app: Application) -> Application:
        self.save(app, "applicant", APPLICANT)
        self.save(app, "matter", LEGAL_AID_MATTER)
        self.save(app, "parties", OTHER_PARTY)
        self.save(app, "means", MEANS)
        materials = {m.name: m for m in app.service_item.materials.all()}
        for name in ("申请人身份证明", "与所申请法律援助事项有关的材料"):
            actions.do_upload_material(
                app.pk, actor=self.user, slot=f"m{materials[name].pk}", upload=pdf(f"{name}.pdf")
            )
        return Application.objects.get(pk=app.pk)
