"""Issue 19, end to end: a high-risk dispute found in screening raises a warning the 司法所 sees (and the 司法所 raises
one of its own directly); the finding becomes a mediation case with two respondents, which the warning then shows;
every party agrees, a mediator is assigned and two sessions are logged; the 人民调解协议书 is
printed as a PDF and the signed copy uploaded; the 30-day countdown for judicial confirmation shows, and the
court's confirmation closes it; the performance follow-up is done."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site, new_page, sign_in

pytestmark = pytest.mark.browser

SIGNED_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def form(page: Any, action_end: str) -> Any:
    return page.locator(f"form[action$='{action_end}']")


def submit(box: Any) -> None:
    with box.page.expect_navigation():
        box.locator("button[type=submit]").click()


def staff(site: Site, username: str, unit: str) -> None:
    """A handler account at ``unit`` (the demo has none at a committee or a 司法所)."""
    site.manage(
        "shell",
        "-c",
        "from fawang.accounts.models import User; from fawang.orgs.models import Membership, Unit; "
        f"u, _ = User.objects.get_or_create(username='{username}', defaults={{'kind': 'staff', 'display_name': '{username}'}}); "
        "u.set_password('fawang-demo-2026'); u.save(); "
        f"Membership.objects.get_or_create(user=u, unit=Unit.objects.get(name='{unit}'), role='handler')",
    )


def test_screening_warning_case_agreement_confirmation_follow_up(site: Site, browser: Any) -> None:
    today = site.now().date().isoformat()
    staff(site, "e2e_mediator", "厦港街道人民调解委员会")
    staff(site, "e2e_office", "厦港街道司法所")
    mediator = new_page(browser)
    sign_in(mediator, site, "e2e_mediator")

    # 1. The committee records a high-risk dispute found in its pre-holiday screening.
    mediator.goto(f"{site.url}/console/mediation/screenings/new/")
    mediator.get_by_label(re.compile("^排查类型")).select_option(label="节假日前排查")
    mediator.get_by_label(re.compile("^当事人")).fill("何某与邱某")
    mediator.get_by_label(re.compile("^纠纷类型")).select_option(label="房屋宅基地、山林土地纠纷")
    mediator.get_by_label(re.compile("^发生地点")).fill("厦港街道大学路")
    mediator.get_by_label(re.compile("^涉及人数")).fill("2")
    mediator.get_by_label(re.compile("^纠纷简要情况")).fill("宅基地边界争执，邱某扬言要“拼命”。")
    mediator.get_by_label(re.compile("^风险等级")).select_option(label="高")
    mediator.get_by_label("扬言报复、威胁").check()
    mediator.get_by_label(re.compile("^已通报的公安机关")).fill("厦港派出所")
    with mediator.expect_navigation():
        mediator.get_by_role("button", name="登记").click()
    expect(mediator.get_by_text("已向司法所、司法局发出风险预警")).to_be_visible()
    screening_url = mediator.url

    # 2. The 司法所 sees the warning among its committees' open warnings.
    office = new_page(browser)
    sign_in(office, site, "e2e_office")
    office.goto(f"{site.url}/console/mediation/warnings/")
    row = office.locator("tr", has_text="何某与邱某")
    expect(row).to_contain_text("可能民转刑")
    expect(row).to_contain_text("厦港派出所")
    expect(row).to_contain_text("厦港街道人民调解委员会")
    warning_url = site.url + row.get_by_role("link", name="可能民转刑").get_attribute("href")

    # 2b. The 司法所 raises a warning of its own, learnt of outside screening (第二十五条).
    office.goto(f"{site.url}/console/mediation/warnings/new/")
    office.get_by_label(re.compile("^预警单位")).select_option(label="厦港街道人民调解委员会")
    office.get_by_label(re.compile("^预警类型")).select_option(label="重复信访")
    office.get_by_label(re.compile("^预警情况")).fill("沙坡尾某小区业主三次集体到区信访局反映物业问题。")
    with office.expect_navigation():
        office.get_by_role("button", name="发出预警").click()
    expect(office.get_by_text("风险预警已发出")).to_be_visible()
    office.goto(f"{site.url}/console/mediation/warnings/")
    expect(office.locator("tr", has_text="沙坡尾某小区")).to_contain_text("重复信访")

    # 3. The finding becomes a case, with two respondents.
    mediator.goto(screening_url)
    box = form(mediator, "/case/")
    box.get_by_label(re.compile("^申请人姓名")).fill("何大伟")
    box.get_by_label(re.compile("^申请人联系电话")).fill("13911112222")
    box.get_by_label(re.compile("^被申请人姓名")).fill("邱志强")
    box.get_by_text("更多当事人").click()
    box.get_by_label("其他当事人1 地位").select_option(label="被申请人")
    box.get_by_label("其他当事人1 姓名或名称").fill("邱志明")
    submit(box)
    expect(mediator.get_by_test_id("case-status")).to_have_text("征询当事人意见")
    expect(mediator.locator("section[aria-labelledby='h-parties'] tbody tr")).to_have_count(3)

    # 3b. The warning shows its case.
    office.goto(warning_url)
    expect(office.get_by_test_id("warning-case")).to_contain_text("征询当事人意见")

    # 4. Every party agrees (第十七条); a mediator is assigned.
    for party in ("申请人 何大伟", "被申请人 邱志强", "被申请人 邱志明"):
        box = form(mediator, "/consent/")
        box.locator("select[name='consent-party']").select_option(label=party)
        box.get_by_label(re.compile("^当事人意见")).select_option(label="同意调解")
        submit(box)
    expect(mediator.get_by_test_id("case-status")).to_have_text("调解中")
    box = form(mediator, "/mediators/")
    box.get_by_label(re.compile("^人民调解员")).select_option(index=1)
    box.get_by_label("主持调解").check()
    submit(box)
    expect(mediator.locator("#h-mediators + ul")).to_contain_text("主持")

    # 5. Two sessions.
    for n, content in ((1, "背对背分别听取双方意见。"), (2, "面对面调解，双方同意按老地契划界。")):
        box = form(mediator, "/sessions/")
        box.get_by_label(re.compile("^调解日期")).fill(today)
        box.get_by_label(re.compile("^参加人员")).fill("何大伟、邱志强、调解员")
        box.get_by_label(re.compile("^调解情况")).fill(content)
        submit(box)
        expect(mediator.locator("section[aria-labelledby='h-sessions'] tbody tr")).to_have_count(n)

    # 6. The agreement, its PDF, and the signed copy.
    box = form(mediator, "/agreement/")
    box.get_by_label(re.compile("^纠纷的主要事实")).fill("双方因宅基地边界发生争执。")
    box.get_by_label(re.compile("^各方当事人的权利和义务")).fill(
        "以1986年地契所载界址为准，邱志强拆除越界围墙。"
    )
    box.get_by_label(re.compile("^履行协议的方式")).fill("邱志强于十五日内自行拆除。")
    box.get_by_label(re.compile("^达成协议日期")).fill(today)
    box.get_by_label(re.compile("^履行回访日期")).fill(today)
    submit(box)
    expect(mediator.get_by_test_id("case-status")).to_have_text("调解成功")
    pdf_link = mediator.get_by_role("link", name="打印调解协议书（PDF）")
    pdf = mediator.request.get(site.url + pdf_link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    box = form(mediator, "/signed/")
    box.get_by_label(re.compile("^签字盖章的协议书")).set_input_files(
        {"name": "协议书.pdf", "mimeType": "application/pdf", "buffer": SIGNED_PDF}
    )
    box.get_by_label(re.compile("^各方签名、盖章之日")).fill(today)
    submit(box)

    # 7. The countdown (30 natural days, 第三十三条), then the court's confirmation closes it.
    expect(mediator.get_by_test_id("countdown")).to_contain_text("还剩 30 天")
    for decision in ("已申请，待法院确认", "法院已确认有效"):
        box = form(mediator, "/confirmation/")
        box.get_by_label(re.compile("^司法确认情况")).select_option(label=decision)
        box.get_by_label(re.compile("^人民法院")).fill("厦门市思明区人民法院")
        box.get_by_label(re.compile("^日期")).fill(today)
        submit(box)
    expect(mediator.get_by_test_id("confirmation")).to_contain_text("法院已确认有效")
    expect(mediator.get_by_test_id("countdown")).to_have_count(0)

    # 8. The performance follow-up.
    follow = mediator.locator("form[action*='/follow-ups/']")
    follow.get_by_label(re.compile("^履行情况")).select_option(label="已履行")
    follow.get_by_label(re.compile("^回访记录")).fill("围墙已拆除，双方无异议。")
    submit(follow)
    expect(mediator.locator("section[aria-labelledby='h-agreement'] tbody")).to_contain_text("已履行")
    mediator.context.close()
    office.context.close()
