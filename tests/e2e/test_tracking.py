"""Issue 4, Done-when (b): on a phone, a visitor with only a tracking number asks for a one-time code, gets it
by SMS (read here from the local outbox, as the person would read their phone), enters it and sees the matter's
timeline; a wrong code gets the Chinese error and lets them try again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site

pytestmark = pytest.mark.browser

PHONE = "13712345678"
# A matter made by a window clerk through the intake action (the same action the window page calls).
SUBMIT = f"""
from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.matters import actions
from fawang.orgs.models import Unit
from fawang.regions.models import Region
result = actions.do_submit(
    actor=User.objects.get(username="sm_clerk"),
    person=actions.PersonData(name="林阿婆", phone="{PHONE}"),
    requests=[actions.MatterRequest(
        service_item=ServiceItem.objects.get(code="mediation"),
        description="楼上邻居装修噪音持续三个月，申请人民调解。",
        region=Region.objects.get(code="350203001"),
    )],
    channel="window",
    intake_unit=Unit.objects.get(name="厦港街道公共法律服务工作站"),
)
print(result.matters[0].tracking_no)
"""


def sent_code(site: Site, tracking_no: str) -> str:
    """The code in the latest tracking SMS to the phone on the matter (the local outbox, no SMS gateway)."""
    out = site.manage(
        "shell",
        "-c",
        "from fawang.notify.models import Message; "
        f"m = Message.objects.filter(kind='otp.track', phone='{PHONE}').latest('created_at'); "
        "print(m.body)",
    )
    match = re.search(r"\b(\d{6})\b", out)
    assert match, out
    return match.group(1)


def test_a_visitor_tracks_a_matter_by_number_and_code_on_a_phone(site: Site, phone: Any) -> None:
    tracking_no = site.manage("shell", "-c", SUBMIT).strip().splitlines()[-1]
    assert re.fullmatch(r"FW\d{6}[0-9A-Z]{8}", tracking_no), tracking_no

    # From the home page to the tracking page, by the home page's own link.
    phone.goto(f"{site.url}/")
    phone.get_by_role("main").get_by_role("link", name="办理进度查询").click()
    phone.wait_for_url("**/track/")
    assert phone.viewport_size["width"] == 390
    expect(phone.get_by_role("heading", level=1)).to_have_text("办理进度查询")
    # Typed the way it is printed on the receipt, with spaces and in lower case.
    spaced = f"{tracking_no[:2]} {tracking_no[2:8]} {tracking_no[8:12]} {tracking_no[12:]}".lower()
    phone.get_by_role("textbox", name="受理编号").fill(spaced)
    phone.get_by_role("button", name="获取验证码").click()
    phone.wait_for_url("**/track/verify/**")
    expect(phone.get_by_role("status").first).to_contain_text("验证码已发送至登记手机号")

    code = sent_code(site, tracking_no)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    phone.get_by_role("textbox", name=re.compile("^短信验证码")).fill(wrong)
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("body")).to_contain_text("验证码不正确，还可以再试")
    assert "/track/verify/" in phone.url  # still on the code form, nothing opened
    assert "楼上邻居装修噪音" not in phone.content()

    phone.get_by_role("textbox", name=re.compile("^短信验证码")).fill(code)
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_url(f"**/track/{tracking_no}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("人民调解申请")
    timeline = phone.locator("#timeline-title").locator("xpath=..")
    expect(timeline).to_contain_text("提交")
    expect(timeline).to_contain_text("厦港街道")
    # The page fits the phone: nothing wider than the viewport.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # A used code does not open the matter in another browser.
    other = phone.context.browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    try:
        again = other.new_page()
        again.goto(f"{site.url}/track/verify/?no={tracking_no}")
        again.get_by_role("textbox", name=re.compile("^短信验证码")).fill(code)
        again.get_by_role("button", name="查询").click()
        expect(again.locator("body")).to_contain_text("该验证码已经使用过，请重新获取。")
    finally:
        other.close()
