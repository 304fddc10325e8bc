"""Issue 17, 取号叫号: end to end at 厦港街道公共法律服务工作站 (windows 1 综合接待岗, 2 法律咨询岗).

The district's unit admin makes a link for the hall screen, which a TV opens without signing in; at the kiosk a
visitor takes an ordinary number and an elderly visitor a priority one; the window clerk posts to the 法律咨询岗 and
calls the next: the priority number, on the hall screen within 2 s and spoken in Mandarin; the clerk takes the
request in and the matter records the window and the clerk. The phone page of the ordinary number shows the people
ahead; skipped (过号), it comes back after three more calls (FRONTDESK_SKIP_RETURN_AFTER). The hall screen goes on
after a network drop.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, new_page, sign_in

pytestmark = pytest.mark.browser

POINT = "厦港街道公共法律服务工作站"
ID17 = "35020319520301402"  # a 思明区 area code, born 1952; nobody's real number
ID_NUMBER = ID17 + id_check_digit(ID17)

NEXT_REFRESH = 5000  # ms: the number's phone page refreshes itself this often (hx-trigger="every 5s")

# The browser's speech synthesis, recorded instead of spoken (headless Chromium has no voices).
SPEECH = """
window.__spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; };
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: { speak: function (u) { window.__spoken.push(u.lang + ":" + u.text); }, getVoices: function () { return []; } },
});
"""


def take_number(
    kiosk: Any, site: Site, point_id: str, service: str, priority: str = "普通"
) -> tuple[str, str]:
    """A number from the kiosk: (code, the phone page's address)."""
    kiosk.goto(f"{site.url}/queue/kiosk/{point_id}/")
    kiosk.get_by_label(priority).check()
    kiosk.get_by_role("button", name=re.compile(f"^{service}")).click()
    kiosk.wait_for_url("**/print/")
    code = kiosk.get_by_test_id("ticket-code").inner_text().strip()
    expect(kiosk.get_by_test_id("ticket-qr")).to_be_visible()
    return code, kiosk.url.replace("/print/", "/")


def call_next(clerk: Any) -> str:
    # The call answers with the queue page again (same address): wait for it, not the message of the page left.
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="叫下一位").click()
    message = clerk.locator(".alert-success").inner_text()
    match = re.search(r"已叫 ([A-C]\d{3}) 号", message)
    assert match, message
    return match.group(1)


def test_a_priority_number_from_the_kiosk_to_the_window_and_the_matter(site: Site, browser: Any) -> None:
    # 1. The unit admin makes the hall screen's link; the TV opens it, signed in as nobody.
    admin = new_page(browser)
    sign_in(admin, site, "sm_admin")
    admin.goto(f"{site.url}/console/frontdesk/queue/")
    with admin.expect_navigation():
        admin.get_by_label("服务点", exact=True).select_option(label=POINT)
    point_id = re.search(r"unit=(\d+)", admin.url).group(1)  # type: ignore[union-attr]
    admin.get_by_label("大屏名称").fill("一楼大厅")
    admin.get_by_label("滚动公告").fill("今日 17:00 停止取号")
    admin.get_by_role("button", name="新建大屏链接").click()
    expect(admin.locator(".alert-success")).to_contain_text("已新建大屏“一楼大厅”")
    link = admin.locator('a[href^="/queue/hall/"]').first.get_attribute("href")
    assert link and link.startswith("/queue/hall/"), link

    tv = new_page(browser)
    tv.add_init_script(SPEECH)
    tv.goto(site.url + link)
    expect(tv.get_by_test_id("window-2")).to_contain_text("暂停服务")
    expect(tv.locator(".hall-notice")).to_contain_text("今日 17:00 停止取号")

    # 2. At the kiosk: an ordinary number, then an elderly visitor's priority number.
    kiosk = new_page(browser)
    ordinary, ordinary_page = take_number(kiosk, site, point_id, "法律咨询")
    priority, _priority_page = take_number(kiosk, site, point_id, "法律咨询", "60 周岁以上老年人")
    assert (ordinary, priority) == ("B001", "B002"), (ordinary, priority)
    phone = new_page(browser, mobile=True)
    # The number's page refreshes itself every 5 s (ticket.html): after each change the test moves the page's
    # clock on to its next refresh (NEXT_REFRESH) instead of waiting up to 5 s for it.
    phone.clock.install()
    phone.goto(ordinary_page)
    expect(phone.get_by_test_id("people-ahead")).to_have_text("您前面还有 1 人。")

    # 3. The window clerk posts to the 法律咨询岗 and calls: the priority number, on the screen within 2 s.
    clerk = new_page(browser)
    sign_in(clerk, site, "sm_clerk")
    clerk.get_by_role("link", name="排队叫号").click()
    clerk.wait_for_url(re.compile(r"/console/frontdesk/queue/$"))
    with clerk.expect_navigation():
        clerk.get_by_label("服务点", exact=True).select_option(label=POINT)
    clerk.locator("tr").filter(has_text="2 号窗口 · 法律咨询岗").get_by_role("button", name="上岗").click()
    expect(clerk.get_by_test_id("my-posting")).to_contain_text("2 号窗口 · 法律咨询岗")
    assert call_next(clerk) == "B002"
    called = time.monotonic()
    expect(tv.get_by_test_id("window-2")).to_contain_text("B002", timeout=2000)
    assert time.monotonic() - called < 2.0
    tv.wait_for_function("window.__spoken.length > 0", timeout=2000)
    assert tv.evaluate("window.__spoken") == ["zh-CN:请 B002 号到 2 号窗口办理"]
    phone.clock.fast_forward(NEXT_REFRESH)
    expect(phone.get_by_test_id("people-ahead")).to_have_text("您前面还有 0 人。", timeout=10000)

    # 4. The clerk takes the request in: the matter records the window and the clerk (岗位责任制).
    clerk.get_by_test_id("current-ticket").get_by_role("link", name="受理登记").click()
    clerk.get_by_label(re.compile("^姓名")).fill("陈阿婆")
    clerk.get_by_label("联系电话", exact=True).fill("13612340077")
    clerk.get_by_label("身份证号码", exact=True).fill(ID_NUMBER)
    clerk.locator("#intake-form").get_by_label(re.compile("^服务事项")).select_option(label="法律咨询")
    clerk.get_by_label(re.compile("^事项描述")).fill("儿子不给赡养费，想咨询怎么办。")
    clerk.get_by_role("button", name="提交受理").click()
    expect(clerk.locator(".alert-success")).to_contain_text("已受理，受理编号")
    record = clerk.get_by_test_id("matter-desk")
    expect(record).to_contain_text("2 号窗口 · 法律咨询岗")
    expect(record).to_contain_text("B002")

    # 5. The next call is the ordinary number; skipped, it comes back after three more calls.
    clerk.get_by_role("link", name="排队叫号").click()
    clerk.wait_for_url(re.compile(r"/console/frontdesk/queue/$"))
    with clerk.expect_navigation():
        clerk.get_by_label("服务点", exact=True).select_option(label=POINT)
    later = [take_number(kiosk, site, point_id, "法律咨询")[0] for _i in range(4)]
    assert later == ["B003", "B004", "B005", "B006"], later
    assert call_next(clerk) == "B001"
    phone.clock.fast_forward(NEXT_REFRESH)
    expect(phone.get_by_test_id("ticket-status")).to_contain_text("请到 2 号窗口办理。", timeout=10000)
    clerk.get_by_role("button", name=re.compile("^过号")).click()
    expect(clerk.locator(".alert-success")).to_have_text("B001 号过号，3 位后回队。")
    phone.clock.fast_forward(NEXT_REFRESH)
    expect(phone.get_by_test_id("ticket-status")).to_contain_text(
        "您已过号，再叫 3 位后重新排入队列。", timeout=10000
    )

    # 6. A network drop on the hall screen: it says so, and catches up when the network is back.
    tv.context.set_offline(True)
    expect(tv.locator(".hall-offline")).to_be_visible(timeout=5000)
    assert [call_next(clerk) for _i in range(3)] == ["B003", "B004", "B005"]
    tv.context.set_offline(False)
    expect(tv.get_by_test_id("window-2")).to_contain_text("B005", timeout=5000)
    expect(tv.locator(".hall-offline")).to_be_hidden()
    assert call_next(clerk) == "B001"
    expect(tv.get_by_test_id("window-2")).to_contain_text("B001", timeout=2000)
    phone.clock.fast_forward(NEXT_REFRESH)
    expect(phone.get_by_test_id("ticket-status")).to_contain_text("请到 2 号窗口办理。", timeout=10000)
