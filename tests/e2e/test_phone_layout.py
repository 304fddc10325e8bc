"""Issue 14, items 10–14: the public site on a phone (390×844) and in 长辈模式.

10. The guide's time-limit table fits the screen: 时限 and 依据 are read without scrolling sideways.
11. Law-search results start on the first screen; the filters fold away under 筛选条件.
12. The top navigation reaches 法规查询, 在线咨询, 办理进度查询 and 我的 without scrolling it.
13. 长辈模式 simplifies: fewer choices, no search filters, big 拨打 12348 and 办理进度 buttons.
14. 我的事项 → "我要投诉" lands on an open complaint form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844
SEARCH = "/laws/search/?q=%E5%85%AC%E5%8F%B8%E6%8B%96%E6%AC%A0%E5%B7%A5%E8%B5%84"  # 公司拖欠工资


def box(locator: Any) -> dict[str, float]:
    b = locator.bounding_box()
    assert b is not None, locator
    return b


def on_screen_horizontally(locator: Any) -> bool:
    b = box(locator)
    return b["x"] >= 0 and b["x"] + b["width"] <= WIDTH + 0.5


def elder_mode(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/")
    page.get_by_role("button", name=re.compile("^长辈模式")).click()
    expect(page.locator("html.elder")).to_have_count(1)


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


# -- 10 ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_guides_time_limits_fit_a_phone(site: Site, phone: Any, elder: bool) -> None:
    if elder:
        elder_mode(phone, site)
    phone.goto(f"{site.url}/guides/legal_aid/")
    limits = phone.locator("section", has=phone.get_by_role("heading", name="办理时限"))
    table = limits.locator(".table-wrap")
    # Nothing of the table lies beyond its box: no column waits off to the right.
    assert table.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table scrolls sideways"
    for text in ("7 自然日", "3 自然日", "自收到申请之日起七日内审查并作出是否给予法律援助的决定"):
        cell = limits.get_by_text(text, exact=False).first
        expect(cell).to_be_visible()
        assert on_screen_horizontally(cell), text
    # The cells say what they are once the header row is gone.
    expect(limits.locator("td[data-label='时限']").first).to_be_visible()
    no_sideways_scroll(phone)


# -- 11 ---------------------------------------------------------------------------------------------------


def test_law_search_results_start_on_the_first_screen(site: Site, phone: Any) -> None:
    phone.goto(f"{site.url}{SEARCH}")
    first = phone.locator(".law-hit").first
    expect(first).to_be_visible()
    assert box(first)["y"] < HEIGHT, f"first result at {box(first)['y']:.0f}px, below the first screen"
    # The filters are folded away, and one tap opens them.
    level = phone.get_by_label("效力位阶")
    expect(level).to_be_hidden()
    phone.get_by_text("筛选条件", exact=True).click()
    expect(level).to_be_visible()
    level.select_option(label="法律")
    phone.get_by_role("button", name="检索").click()
    phone.wait_for_url(re.compile(r"[?&]level=[^&]+"))
    # A chosen filter is counted on the folded summary, and the results still come first.
    expect(phone.locator(".search-filters summary")).to_contain_text("已选 1 项")
    expect(phone.get_by_label("效力位阶")).to_be_hidden()
    assert box(phone.locator(".law-hit").first)["y"] < HEIGHT
    no_sideways_scroll(phone)


# -- 12 ---------------------------------------------------------------------------------------------------


def test_the_top_navigation_reaches_the_main_pages_on_a_phone(site: Site, phone: Any) -> None:
    phone.goto(f"{site.url}/")
    nav = phone.get_by_role("navigation", name="主导航")
    for name in ("法规查询", "在线咨询", "办理进度查询", "我的", "找服务点"):
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        assert on_screen_horizontally(link), name
        assert box(link)["y"] + box(link)["height"] <= HEIGHT / 3, name  # at the top, not scrolled to
    assert nav.evaluate("el => el.scrollWidth <= el.clientWidth"), "the navigation scrolls sideways"
    # The rest is one tap away under 更多.
    more = nav.get_by_role("button", name="更多")
    guides = nav.get_by_role("link", name="办事指南")
    expect(guides).to_be_hidden()
    more.click()
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(guides).to_be_visible()
    nav.get_by_role("link", name="法规查询").click()
    phone.wait_for_url("**/laws/search/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("查法律法规")


# -- 13 ---------------------------------------------------------------------------------------------------


def test_elder_mode_simplifies(site: Site, phone: Any) -> None:
    phone.goto(f"{site.url}/")
    normal_choices = phone.locator("main a:visible, main button:visible").count()
    elder_mode(phone, site)
    # Two big buttons at the top of every page.
    for page_path in ("/", "/guides/", SEARCH):
        phone.goto(f"{site.url}{page_path}")
        call = phone.get_by_role("link", name="拨打 12348").first
        progress = phone.get_by_role("link", name="办理进度", exact=True)
        for button, href in ((call, "tel:12348"), (progress, "/track/")):
            expect(button).to_be_visible()
            assert button.get_attribute("href") == href
            b = box(button)
            assert b["height"] >= 60, b
            assert b["y"] < HEIGHT / 2, b
    # Fewer choices: the short navigation, and fewer buttons and links on the home page.
    phone.goto(f"{site.url}/")
    nav = phone.get_by_role("navigation", name="主导航")
    assert nav.locator("a:visible").count() <= 5
    expect(nav.get_by_role("button", name="更多")).to_be_visible()
    assert phone.locator("main a:visible, main button:visible").count() < normal_choices
    # Law search: the question box only, no filters.
    phone.goto(f"{site.url}{SEARCH}")
    expect(phone.get_by_role("textbox", name=re.compile("^您的问题或关键词"))).to_be_visible()
    expect(phone.get_by_text("筛选条件")).to_have_count(0)
    expect(phone.get_by_label("效力位阶")).to_have_count(0)
    expect(phone.locator(".law-hit").first).to_be_visible()
    no_sideways_scroll(phone)


# -- 14 ---------------------------------------------------------------------------------------------------

PHONE = "13512340014"
ID17 = "35020319700314281"  # a 思明区 area code, born 1970-03-14; nobody's real number
ASK = f"""
from fawang.accounts.models import User
from fawang.citizens.actions import do_ask, do_update_profile
from fawang.regions.models import Region
user = User.objects.get(phone="{PHONE}", kind="public")
do_update_profile(user.pk, name="陈美华", id_number="{ID17 + id_check_digit(ID17)}")
user.refresh_from_db()
print(do_ask(actor=user, question="物业公司多收停车费，怎么维权？", region=Region.objects.get(code="350203001")).matters[0].pk)
"""


@pytest.fixture
def _codes_aged(site: Site) -> Iterator[None]:
    def age() -> None:
        site.manage(
            "shell",
            "-c",
            "import datetime as dt; from django.db.models import F; from fawang.citizens.models import PhoneCode; "
            "PhoneCode.objects.update(created_at=F('created_at') - dt.timedelta(minutes=5))",
        )

    age()
    yield
    age()


def test_the_complaint_form_is_open_when_reached_from_my_matters(
    site: Site, phone: Any, _codes_aged: None
) -> None:
    phone.goto(f"{site.url}/me/")
    phone.get_by_role("textbox", name=re.compile("^手机号码")).fill(PHONE)
    phone.get_by_role("button", name="获取验证码").click()
    code = phone.locator(".dev-code").inner_text()  # the demo shows it (item 22)
    phone.get_by_role("textbox", name=re.compile("^短信验证码")).fill(code)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(r".*/me/.*"))
    site.manage("shell", "-c", ASK)
    phone.goto(f"{site.url}/me/")
    phone.get_by_role("link", name="我的事项和咨询").click()
    phone.get_by_role("link", name="法律咨询").first.click()
    phone.get_by_role("link", name="对本事项的办理或服务不满意，我要投诉").click()
    phone.wait_for_url("**/track/**")
    box_ = phone.get_by_role("textbox", name=re.compile("^投诉内容"))
    expect(box_).to_be_visible()
    expect(box_).to_be_in_viewport()
