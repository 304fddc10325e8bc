"""Base test case and the named personas every test shares (built with the test world, fawang/testing/world.py, in
conftest.py)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.test import TestCase

from fawang.accounts.models import User
from fawang.orgs.models import Unit
from fawang.regions.models import Region
from fawang.testing.world import world

SIMING, HULI, XIAMEN, XIANYOU = "350203", "350206", "3502", "350322"


class BaseTestCase(TestCase):
    """Personas: a Siming window clerk (two units), a Huli clerk who must see nothing of Siming, district
    and city supervisors, a Xianyou handler, a system administrator and a member of the public."""

    sm_clerk: ClassVar[User]
    sm_supervisor: ClassVar[User]
    sm_admin: ClassVar[User]
    sm_handler: ClassVar[User]
    hl_clerk: ClassVar[User]
    hl_supervisor: ClassVar[User]
    xm_supervisor: ClassVar[User]
    xy_handler: ClassVar[User]
    sysadmin: ClassVar[User]
    citizen: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in (
            "sm_clerk",
            "sm_supervisor",
            "sm_admin",
            "sm_handler",
            "hl_clerk",
            "hl_supervisor",
            "xm_supervisor",
            "xy_handler",
            "sysadmin",
        ):
            setattr(cls, name, User.objects.get(username=name))
        cls.citizen = User.objects.create_user(
            "citizen",
            password="citizen-pass-2026",
            kind=User.Kind.PUBLIC,
            display_name="王小明",
            phone="13800000000",
        )

    @staticmethod
    def region(code: str) -> Region:
        return Region.objects.get(code=code)

    @staticmethod
    def unit(key: str) -> Unit:
        """A unit of the test world by its key (``"siming.legal_aid"``; fawang/testing/world.py lists them)."""
        return world().unit(key)


def admin_form_data(response: Any) -> dict[str, Any]:
    """The POST data of a Django admin add or change page as it was shown (fields and inline formsets with their
    management forms), for a test to change a few values and submit."""
    data: dict[str, Any] = {}

    def put(form: Any) -> None:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[key] = str(getattr(value, "pk", value))

    put(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    return data
