"""Issue 3, end to end: one legal-aid matter from window intake at a 思明区 street station to the callback task
that a 不满意 rating opens — checking at each step what the person sees on their phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, new_page, sign_in

pytestmark = pytest.mark.browser

# A valid-looking ID number (checksum computed, birth date 1986-04-12, a 思明区 area code); nobody's real number.
ID17 = "35020319860412153"
ID_NUMBER = ID17 + id_check_digit(ID17)
PHONE = "13912345678"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def latest_code(site: Site) -> str:
    """The SMS the person would receive: read from the local outbox (no SMS gateway here)."""
    out = site.manage(
        "shell",
        "-c",
        "from fawang.notify.models import Message; "
        f"print(Message.objects.filter(kind='otp.track', phone='{PHONE}').latest('created_at').body)",
    )
    match = re.search(r"\b(\d{6})\b", out)
    assert match, out
    return match.group(1)


def person_status(phone: Any) -> str:
    phone.wait_for_load_state()  # a form just posted may still be navigating
    phone.reload()
    return phone.locator("h1 + p .badge").first.inner_text()


def act(page: Any, code: str, fill: dict[str, str] | None = None, check: list[str] | None = None) -> None:
    """Open one action form on the matter detail and confirm it."""
    box = page.locator(f"#action-{code}")
    confirm = box.get_by_role("button", name=re.compile("^确认"))
    # htmx may still be settling the previous action's swap, which can put back a closed form after the click
    # opened the old one: open it again until its confirm button shows.
    for _attempt in range(5):
        if not box.evaluate("e => e.open"):
            box.locator("summary").click()
        try:
            expect(confirm).to_be_visible(timeout=3000)
            break
        except AssertionError:
            continue
    expect(confirm).to_be_visible()
    for label, value in (fill or {}).items():
        field = box.get_by_label(re.compile(f"^{label}"))
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    for label in check or []:
        box.get_by_label(label, exact=True).check()
    confirm.click()
    # The action form is swapped out by htmx once the action has been carried out.
    expect(confirm).to_have_count(0)


def test_a_legal_aid_matter_from_window_intake_to_the_callback(site: Site, browser: Any) -> None:
    # 1. A window clerk at 厦港街道公共法律服务工作站 takes the application at the window.
    clerk = new_page(browser)
    sign_in(clerk, site, "sm_clerk")
    with clerk.expect_navigation():
        clerk.locator("#unit-switch-select").select_option(label="厦港街道公共法律服务工作站（窗口受理员）")
    assert "厦港街道公共法律服务工作站" in clerk.locator(".unit-name").inner_text()
    clerk.get_by_role("link", name="受理登记").first.click()
    clerk.get_by_label(re.compile("^姓名")).fill("陈美玲")
    clerk.get_by_label("联系电话", exact=True).fill(PHONE)
    clerk.get_by_label("身份证号码", exact=True).fill(ID_NUMBER)
    clerk.locator("#intake-form").get_by_label(re.compile("^服务事项")).select_option(label="法律援助申请")
    clerk.get_by_label(re.compile("^事项描述")).fill(
        "公司拖欠三个月工资共一万八千元，无力请律师，申请法律援助。<b>急</b>"
    )
    clerk.get_by_role("button", name="提交受理").click()
    clerk.wait_for_url("**/receipt/**")
    row = clerk.get_by_role("table").locator("tbody tr").first
    tracking_no = row.locator("td").first.inner_text().replace(" ", "")
    assert re.fullmatch(r"FW\d{6}[0-9A-Z]{8}", tracking_no), tracking_no
    assert "思明区法律援助中心" in row.inner_text()  # routed from the street up to the district centre

    # 2. The person follows it on their phone with the tracking number and a one-time code.
    phone = new_page(browser, mobile=True)
    phone.goto(f"{site.url}/track/")
    phone.get_by_role("textbox", name="受理编号").fill(tracking_no)
    phone.get_by_role("button", name="获取验证码").click()
    phone.wait_for_url("**/track/verify/**")  # the code is sent by the time its form shows
    phone.get_by_role("textbox", name=re.compile("^短信验证码")).fill(latest_code(site))
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("法律援助申请")
    assert person_status(phone) == "已提交"
    assert "思明区法律援助中心" in phone.content()
    assert "<b>急</b>" not in phone.content()  # HTML typed at the window is shown as text

    # 3. A handler of the district legal-aid centre asks for the missing materials, all at once. The demo handler
    #    also works at the district's centre and at the station: the unit switcher puts them at the legal-aid
    #    centre, whose queue (本单位事项) holds the matter.
    handler = new_page(browser)
    sign_in(handler, site, "sm_handler")
    with handler.expect_navigation():
        handler.locator("#unit-switch-select").select_option(label="思明区法律援助中心（承办人）")
    assert "思明区法律援助中心" in handler.locator(".unit-name").inner_text()
    handler.get_by_role("link", name="本单位事项").first.click()
    handler.get_by_role("link", name=tracking_no, exact=True).click()
    act(handler, "request_materials", check=["申请人身份证明", "经济困难状况说明"])
    expect(handler.locator(".badge", has_text="待补正").first).to_be_visible()

    # 4. The person sees the whole list and supplies a file from the phone.
    assert person_status(phone) == "待补正"
    missing = phone.locator("ol.missing").inner_text()
    assert "申请人身份证明" in missing and "经济困难状况说明" in missing
    phone.locator("input[type=file]").set_input_files(
        files=[{"name": "困难证明.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    phone.get_by_role("button", name="提交补正材料").click()
    expect(phone.get_by_text("补正材料已提交，办理机构将继续办理。")).to_be_visible()
    assert person_status(phone) == "已提交"

    # 5. The handler accepts, assigns and completes it.
    handler.reload()
    act(handler, "accept")
    handler_name = handler.locator(".header-tools .user").inner_text().replace("当前用户：", "").strip()
    act(handler, "assign", fill={"承办人": handler_name})
    act(handler, "complete", fill={"办理结果": "经审查符合法律援助条件，已指派律师代理劳动争议仲裁。"})
    expect(handler.locator(".badge", has_text="已办结").first).to_be_visible()

    # 6. The person sees the result and rates the service 不满意.
    assert person_status(phone) == "已办结"
    assert "已指派律师代理劳动争议仲裁" in phone.locator("#result-title").locator("xpath=..").inner_text()
    timeline = phone.locator("#timeline-title").locator("xpath=..").inner_text()
    for step in ("受理", "补正", "办结"):
        assert step in timeline, timeline
    phone.get_by_role("radio", name="不满意", exact=True).check()
    phone.get_by_role("textbox", name=re.compile("^评价内容")).fill("等待时间太长。")
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.locator("body")).to_contain_text("您已评价：不满意")

    # 7. The bad rating opened a callback task that the district supervisor sees.
    supervisor = new_page(browser)
    sign_in(supervisor, site, "sm_supervisor")
    supervisor.get_by_role("link", name="差评与回访").first.click()
    supervisor.wait_for_url("**/console/matters/feedback/**")
    assert tracking_no in supervisor.content()
