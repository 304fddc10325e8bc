"""Issue 4, done-when (a), end to end on a phone: a citizen signs up, applies for legal aid online with uploads,
leaves half-way and resumes on another device, submits, tracks it, and rates it after the legal-aid centre's
handler has completed it in the console."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, new_page, sign_in
from .test_foundation import pick_region
from .test_matter_flow import MINIMAL_PDF, act

pytestmark = pytest.mark.browser

PHONE = "13655501234"
# A valid-looking ID number (checksum computed, birth date 1979-03-08, a 思明区 area code); nobody's real number.
ID17 = "35020319790308451"
ID_NUMBER = ID17 + id_check_digit(ID17)
FACTS = "在某装修公司做木工，公司拖欠 2025 年 9 月至 11 月工资共一万八千元，多次催要未果，无力聘请律师。"


def latest_sign_in_code(site: Site) -> str:
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


def sign_in_by_phone(page: Any, site: Site) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("登录 / 注册")
    page.get_by_role("textbox", name=re.compile("^手机号码")).fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text(f"验证码已发送至 {PHONE[:3]}****{PHONE[-4:]}")).to_be_visible()
    page.get_by_role("textbox", name=re.compile("^短信验证码")).fill(latest_sign_in_code(site))
    page.get_by_role("button", name="登录").click()


def let_a_while_pass(site: Site) -> None:
    """Age the sign-in codes already sent, as if the person came back after a while: the limit of one code a
    minute per number and per client address (every browser here is 127.0.0.1) is then behind them, for this
    test and for the next one on the same site."""
    site.manage(
        "shell",
        "-c",
        "import datetime as dt; from django.db.models import F; from fawang.citizens.models import PhoneCode; "
        "PhoneCode.objects.update(created_at=F('created_at') - dt.timedelta(minutes=5))",
    )


@pytest.fixture(autouse=True)
def _codes_aged(site: Site) -> Iterator[None]:
    let_a_while_pass(site)
    yield
    let_a_while_pass(site)


def upload(page: Any, material: str, filename: str) -> None:
    slot = page.locator("section[id^=slot-]").filter(
        has=page.get_by_role("heading", name=re.compile(f"^{material}"))
    )
    slot.get_by_label(f"上传“{material}”").set_input_files(
        files=[{"name": filename, "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    slot.locator("button[type=submit]", has_text="上传").click()
    expect(page.locator(".alert-success")).to_contain_text(f"已上传：{filename}")


def save_and_continue(page: Any, next_step: str) -> None:
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator("#step-title")).to_contain_text(next_step)


def test_a_legal_aid_application_online_from_sign_up_to_rating(site: Site, browser: Any) -> None:
    # 1. On the phone: 网上办事 on the home page lists what can be applied for online; applying for legal aid
    #    leads to signing up with the mobile number and a code.
    phone = new_page(browser, mobile=True)
    phone.goto(f"{site.url}/")
    phone.get_by_role("link", name="网上办事：在线申请、上传材料").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("网上办事")
    card = phone.locator("li.card").filter(has=phone.get_by_role("heading", name="法律援助申请", exact=True))
    card.get_by_role("link", name=re.compile("^在线申请")).click()
    sign_in_by_phone(phone, site)

    # 2. A new account gives its real name first, then comes back to the application's start page.
    expect(phone.get_by_role("heading", level=1)).to_have_text("实名信息")
    phone.get_by_role("textbox", name=re.compile("^真实姓名")).fill("郑秋菊")
    phone.get_by_role("textbox", name=re.compile("^身份证号码")).fill(ID_NUMBER)
    phone.get_by_label(
        re.compile("^我单独同意本平台处理我的身份证号码")
    ).check()  # 第二十九条 (issue 14, item 15)
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("法律援助申请")
    expect(phone.get_by_text("经济困难状况说明").first).to_be_visible()
    phone.get_by_role("button", name="开始填写申请").click()

    # 3. 申请人信息: name and ID number from the profile; the address is required for legal aid.
    expect(phone.locator("#step-title")).to_contain_text("第 1 步（共 6 步）：申请人信息")
    expect(phone.get_by_text("350203********" + ID_NUMBER[-4:])).to_be_visible()
    phone.get_by_role("button", name="保存并继续").click()
    expect(phone.get_by_text("请填写住所地（联系地址）。")).to_be_visible()
    phone.get_by_role("textbox", name=re.compile("^住所地")).fill("厦门市思明区厦港街道鸿山社区 12 号")
    phone.get_by_label("农民工").check()
    save_and_continue(phone, "事项情况")

    # 4. 事项情况 (案由, 阶段, the region of 第三十八条), 对方当事人, 家庭经济状况.
    phone.get_by_label(re.compile("^申请事项")).select_option(label="请求确认劳动关系或者支付劳动报酬")
    phone.get_by_label(re.compile("^所处阶段")).select_option(label="非诉讼（协商、调解、仲裁等）")
    phone.get_by_role("textbox", name=re.compile("^案情及申请理由")).fill(FACTS + "<b>急</b>")
    pick_region(phone, "福建省", "厦门市", "思明区", "厦港街道")
    save_and_continue(phone, "对方当事人")
    first = phone.locator("fieldset").filter(has_text="对方当事人 1")
    first.get_by_label("类型").select_option(label="法人或者其他组织")
    first.get_by_role("textbox", name=re.compile("^姓名或者名称")).fill("厦门某某装修工程有限公司")
    first.get_by_role("textbox", name=re.compile("^联系电话")).fill("0592-5551234")
    save_and_continue(phone, "家庭经济状况")
    # 农民工 asking for pay: the 第四十二条 ground comes ticked (issue 14, item 16). Without the proof to hand, she
    # applies by economic difficulty instead and unticks it.
    migrant = phone.get_by_label("申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员")
    expect(migrant).to_be_checked()
    expect(phone.get_by_role("status").filter(has_text="已预先勾选")).to_be_visible()
    migrant.uncheck()
    phone.get_by_role("spinbutton", name=re.compile("^申请人本人月收入")).fill("0")
    member = phone.locator("fieldset").filter(has_text="家庭成员 1")
    member.get_by_role("textbox", name=re.compile("^姓名")).fill("林大山")
    member.get_by_label(re.compile("^与申请人关系")).select_option(label="配偶")
    member.get_by_role("spinbutton", name=re.compile("^月收入")).fill("2400")
    phone.get_by_role("textbox", name=re.compile("^经济困难状况说明")).fill(
        "被拖欠工资三个月，丈夫打零工，需抚养一个孩子。"
    )
    phone.get_by_role("button", name="保存并继续").click()
    expect(phone.get_by_text("因经济困难申请法律援助的，请作出个人诚信承诺。")).to_be_visible()
    phone.get_by_label(re.compile("^本人承诺：以上经济困难状况说明真实")).check()
    save_and_continue(phone, "申请材料")

    # 5. One material now, then leave: the draft is kept on the server.
    upload(phone, "申请人身份证明", "身份证正反面.pdf")
    phone.get_by_role("link", name="稍后再传").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("我的申请")
    expect(phone.get_by_text("已填写 4 / 4 步")).to_be_visible()
    phone.context.close()

    # 6. Later, on another device (new cookies, a new code): 我的 → 我的申请 → 继续填写.
    let_a_while_pass(site)
    other = new_page(browser, mobile=True)
    other.goto(f"{site.url}/me/")
    sign_in_by_phone(other, site)
    other.get_by_role("link", name="我的申请（草稿和已提交）").click()
    other.get_by_role("link", name=re.compile("^继续填写")).click()
    expect(other.locator("#step-title")).to_contain_text("确认提交")
    expect(other.get_by_text("请上传“与所申请法律援助事项有关的材料”。")).to_be_visible()
    expect(other.get_by_text("厦门某某装修工程有限公司")).to_be_visible()
    expect(other.get_by_text("1,200.00 元")).to_be_visible()  # (0 + 2400) / 2: the per-capita income
    other.get_by_role("navigation", name="申请步骤").get_by_role("link", name=re.compile("申请材料")).click()
    upload(other, "与所申请法律援助事项有关的材料", "工资欠条.pdf")
    # Nothing on the page is wider than the phone.
    assert other.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    other.get_by_role("link", name="下一步：确认提交").click()
    expect(other.locator("#step-title")).to_contain_text("确认提交")
    # Typed HTML is shown as text.
    expect(other.locator("main")).to_contain_text("<b>急</b>", use_inner_text=True)
    other.get_by_label("本人承诺所填写的信息和提交的材料真实、完整。").check()
    other.get_by_role("button", name="提交申请").click()

    # 7. Submitted: the matter page of 我的事项, routed to the district's legal-aid centre.
    expect(other.locator(".alert-success")).to_contain_text("申请已提交，受理编号")
    expect(other.locator(".alert-success")).to_contain_text("由思明区法律援助中心办理")
    expect(other.get_by_role("heading", level=1)).to_have_text("法律援助申请")
    number = other.locator("h1 + p .muted").inner_text().replace("受理编号", "").replace(" ", "")
    assert re.fullmatch(r"FW\d{6}[0-9A-Z]{8}", number), number
    timeline = other.locator("#timeline-title").locator("xpath=..")
    expect(timeline).to_contain_text("已上传材料：工资欠条.pdf")
    matter_page = other.url
    # The public tracking page opens the person's own matter, with the same timeline.
    other.goto(f"{site.url}/track/{number}/")
    expect(other.get_by_role("heading", level=1)).to_have_text("法律援助申请")
    expect(other.locator("#timeline-title").locator("xpath=..")).to_contain_text(
        "已提交，由思明区法律援助中心办理"
    )

    # 8. The handler of 思明区法律援助中心 sees the application's facts and completes the matter. The demo handler
    #    also works at the district's centre and at a station: the unit switcher puts them at the legal-aid centre.
    handler = new_page(browser)
    sign_in(handler, site, "sm_handler")
    with handler.expect_navigation():
        handler.locator("#unit-switch-select").select_option(label="思明区法律援助中心（承办人）")
    handler.get_by_role("link", name="本单位事项").first.click()
    handler.get_by_role("link", name=number, exact=True).click()
    facts = handler.locator("#application-facts")
    expect(facts).to_contain_text("请求确认劳动关系或者支付劳动报酬")
    expect(facts).to_contain_text("1,200.00 元")
    expect(facts).to_contain_text("郑*菊")
    act(handler, "accept")
    handler_name = handler.locator(".header-tools .user").inner_text().replace("当前用户：", "").strip()
    act(handler, "assign", fill={"承办人": handler_name})
    act(handler, "complete", fill={"办理结果": "经审查符合法律援助条件，已指派律师代理劳动仲裁。"})
    expect(handler.locator(".badge", has_text="已办结").first).to_be_visible()

    # 9. The citizen tracks it to the end and rates the service.
    other.goto(matter_page)
    expect(other.locator("h1 + p .badge")).to_have_text("已办结")
    expect(other.locator("#result-title").locator("xpath=..")).to_contain_text("已指派律师代理劳动仲裁")
    other.get_by_role("radio", name="非常满意", exact=True).check()
    other.get_by_role("button", name="提交评价").click()
    expect(other.locator("body")).to_contain_text("您已评价：非常满意")
    other.get_by_role("link", name="返回我的事项").click()
    expect(other.get_by_role("link", name="法律援助申请")).to_be_visible()
