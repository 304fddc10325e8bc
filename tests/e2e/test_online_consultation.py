"""Issue 4, done-when (c), end to end on a phone: a citizen signs up with a one-time code, asks a question
online, a clerk of the centre it was routed to answers it in the workbench, and the citizen sees the answer,
follows up, finds the second answer under 我的咨询, marks the consultation resolved (问题已解决) and rates it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, new_page, sign_in
from .test_foundation import pick_region
from .test_matter_flow import act

pytestmark = pytest.mark.browser

PHONE = "13698765432"
# A valid-looking ID number (checksum computed, birth date 1990-07-21, a 思明区 area code); nobody's real number.
ID17 = "35020319900721263"
ID_NUMBER = ID17 + id_check_digit(ID17)
QUESTION = "公司拖欠我三个月工资，老板一直说下个月发，我应该怎么维权？"
ANSWER = "可以先向劳动保障监察部门投诉，也可以在一年内申请劳动仲裁；经济困难的可以申请法律援助。"
SECOND_ANSWER = "需要仲裁申请书、身份证明，以及劳动合同或工资流水等证明劳动关系的材料。"


def sign_in_code(site: Site) -> str:
    """The SMS the person would receive: read from the local outbox (no SMS gateway here)."""
    out = site.manage(
        "shell",
        "-c",
        "from fawang.notify.models import Message; "
        f"print(Message.objects.filter(kind='otp.login', phone='{PHONE}').latest('created_at').body)",
    )
    match = re.search(r"\b(\d{6})\b", out)
    assert match, out
    return match.group(1)


def test_a_consultation_asked_online_is_answered_in_the_workbench(site: Site, browser: Any) -> None:
    # 1. On the phone: 在线咨询 from the portal leads to signing up with the mobile number and a code.
    phone = new_page(browser, mobile=True)
    phone.goto(f"{site.url}/")
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="在线咨询").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("登录 / 注册")
    phone.get_by_role("textbox", name=re.compile("^手机号码")).fill(PHONE)
    phone.get_by_role("button", name="获取验证码").click()
    expect(phone.get_by_text("验证码已发送至 136****5432")).to_be_visible()
    phone.get_by_role("textbox", name=re.compile("^短信验证码")).fill(sign_in_code(site))
    phone.get_by_role("button", name="登录").click()

    # 2. A new account gives its real name first, then comes back to the question form.
    expect(phone.get_by_role("heading", level=1)).to_have_text("实名信息")
    phone.get_by_role("textbox", name=re.compile("^真实姓名")).fill("黄丽娟")
    phone.get_by_role("textbox", name=re.compile("^身份证号码")).fill(
        ID17 + ("0" if ID_NUMBER[-1] != "0" else "1")
    )
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("身份证号码校验位不正确，请核对后重新输入。")).to_be_visible()
    phone.get_by_role("textbox", name=re.compile("^身份证号码")).fill(ID_NUMBER)
    phone.get_by_label(
        re.compile("^我单独同意本平台处理我的身份证号码")
    ).check()  # 第二十九条 (issue 14, item 15)
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("在线咨询")

    # 3. The question, with its topic and region.
    phone.get_by_role("textbox", name=re.compile("^您的问题")).fill(QUESTION)
    phone.get_by_label("问题类别").select_option(label="劳动纠纷")
    pick_region(phone, "福建省", "厦门市", "思明区", "厦港街道")
    phone.get_by_role("button", name="提交咨询").click()
    expect(phone.locator(".alert-success")).to_contain_text("由思明区公共法律服务中心答复")
    expect(phone.get_by_role("heading", level=1)).to_have_text("法律咨询")
    expect(phone.locator("h1 + p .badge")).to_have_text(["待答复", "已提交"])
    number = phone.locator("h1 + p .muted").inner_text().replace("受理编号", "").replace(" ", "")
    assert re.fullmatch(r"FW\d{6}[0-9A-Z]{8}", number), number
    my_page = phone.url

    # 4. A window clerk of 思明区公共法律服务中心 finds it in the unit's queue and answers, visible to the person.
    clerk = new_page(browser)
    sign_in(clerk, site, "sm_clerk")
    assert "思明区公共法律服务中心" in clerk.locator(".unit-name").inner_text()
    clerk.get_by_role("link", name="本单位事项").first.click()
    clerk.get_by_role("link", name=re.compile(number[:8])).first.click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text(number)
    assert QUESTION in clerk.content()
    act(clerk, "comment", fill={"留言内容": ANSWER}, check=["服务对象可见"])

    # 5. The citizen sees the answer in the thread and asks a follow-up, which the clerk then sees.
    phone.goto(my_page)
    thread = phone.locator("#timeline-title").locator("xpath=..")
    expect(thread).to_contain_text(ANSWER)
    expect(thread).to_contain_text("思明区公共法律服务中心")
    phone.get_by_role("textbox", name=re.compile("^追问或补充")).fill("申请劳动仲裁需要准备哪些材料？")
    phone.get_by_role("button", name="提交追问").click()
    expect(phone.locator(".alert-success")).to_contain_text("追问已提交")
    expect(thread).to_contain_text("本人")
    clerk.reload()
    expect(clerk.locator("#h-timeline").locator("xpath=..")).to_contain_text("申请劳动仲裁需要准备哪些材料？")

    # 6. The clerk answers the follow-up; under 我的咨询 the citizen sees it answered, with one new answer (the
    # message reaches the inbox through the outbox worker, so the list may need a moment).
    act(clerk, "comment", fill={"留言内容": SECOND_ANSWER}, check=["服务对象可见"])
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="我的咨询").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("我的咨询")
    row = phone.locator(".matter-list li").filter(has_text=QUESTION[:10])
    for _attempt in range(20):
        if "1 条新答复" in row.inner_text():
            break
        phone.wait_for_timeout(500)
        phone.reload()
    expect(row).to_contain_text("1 条新答复")
    expect(row.locator("p .badge").first).to_have_text("已答复")

    # 7. Opening it reads the answer; the answer solved it: 问题已解决, then a rating.
    row.get_by_role("link", name="法律咨询").click()
    expect(thread).to_contain_text(SECOND_ANSWER)
    phone.get_by_role("button", name="问题已解决").click()
    expect(phone.locator(".alert-success")).to_contain_text("感谢您的确认，本次咨询已办结。")
    expect(phone.locator("h1 + p .badge").first).to_have_text("已解决")
    expect(thread).to_contain_text("本人确认问题已解决，咨询办结")
    expect(phone.get_by_role("button", name="提交追问")).to_have_count(0)
    phone.get_by_label("非常满意", exact=True).check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("您已评价：非常满意。感谢您的反馈。")).to_be_visible()
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="我的咨询").click()
    expect(row).not_to_contain_text("条新答复")
    expect(row.locator("p .badge").first).to_have_text("已解决")

    # 8. The clerk sees that the person confirmed it, and the matter is closed.
    clerk.reload()
    expect(clerk.locator("#h-timeline").locator("xpath=..")).to_contain_text("服务对象确认问题已解决。")
    expect(clerk.locator("#h-timeline").locator("xpath=..")).to_contain_text("已办结 → 已关闭")
