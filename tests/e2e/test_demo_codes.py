"""Issue 14, item 22: under `make run` (the demo, FAWANG_DEMO=1) with no SMS gateway, a newcomer on a phone sees the
one-time code on the page and signs in with it, and tracks a matter the same way — without reading the outbox or
knowing about NOTIFY_SHOW_CODES_IN_DEV. (Production — a real SMS sender, no DEBUG, no demo — never shows a code:
fawang/notify/tests/test_show_codes.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site

pytestmark = pytest.mark.browser

PHONE = "13512348022"
SUBMIT = f"""
from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.matters import actions
from fawang.orgs.models import Unit
from fawang.regions.models import Region
result = actions.do_submit(
    actor=User.objects.get(username="sm_clerk"),
    person=actions.PersonData(name="郑阿姨", phone="{PHONE}"),
    requests=[actions.MatterRequest(
        service_item=ServiceItem.objects.get(code="mediation"),
        description="邻居空调外机噪音扰民，申请人民调解。",
        region=Region.objects.get(code="350203001"),
    )],
    channel="window",
    intake_unit=Unit.objects.get(name="厦港街道公共法律服务工作站"),
)
print(result.matters[0].tracking_no)
"""


def age_codes(site: Site) -> None:
    """Every browser here is 127.0.0.1: put the one-code-a-minute limits behind this test and the next."""
    site.manage(
        "shell",
        "-c",
        "import datetime as dt; from django.db.models import F; from fawang.citizens.models import PhoneCode; "
        "from fawang.matters.models import TrackingCode; "
        "PhoneCode.objects.update(created_at=F('created_at') - dt.timedelta(minutes=5)); "
        "TrackingCode.objects.update(created_at=F('created_at') - dt.timedelta(minutes=5))",
    )


@pytest.fixture(autouse=True)
def _codes_aged(site: Site) -> Iterator[None]:
    age_codes(site)
    yield
    age_codes(site)


def shown_code(page: Any) -> str:
    notice = page.get_by_role("status").filter(has_text="演示环境未接入短信网关")
    expect(notice).to_be_visible()
    code = notice.locator(".dev-code").inner_text()
    assert re.fullmatch(r"\d{6}", code), code
    return code


def test_a_newcomer_signs_in_with_the_code_shown_on_the_phone(site: Site, phone: Any) -> None:
    phone.goto(f"{site.url}/me/")
    phone.get_by_role("textbox", name=re.compile("^手机号码")).fill(PHONE)
    phone.get_by_role("button", name="获取验证码").click()
    phone.get_by_role("textbox", name=re.compile("^短信验证码")).fill(shown_code(phone))
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", level=1)).not_to_have_text("登录 / 注册")
    assert "/me/" in phone.url and "/login" not in phone.url and "/verify" not in phone.url


def test_a_newcomer_tracks_a_matter_with_the_code_shown_on_the_phone(site: Site, phone: Any) -> None:
    tracking_no = site.manage("shell", "-c", SUBMIT).strip().splitlines()[-1]
    phone.goto(f"{site.url}/track/")
    phone.get_by_role("textbox", name="受理编号").fill(tracking_no)
    phone.get_by_role("button", name="获取验证码").click()
    phone.wait_for_url("**/track/verify/**")
    phone.get_by_role("textbox", name=re.compile("^短信验证码")).fill(shown_code(phone))
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_url(f"**/track/{tracking_no}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("人民调解申请")
