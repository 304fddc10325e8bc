"""Issue 17 beyond the queue (tests/e2e/test_queue.py has 取号叫号): end to end.

1. 便民箱 on a village room's public page (the page the room's 公示牌 QR code opens): a villager leaves a suggestion
   without signing in; the town station's clerk answers it in the console; the answer shows on the room's page.
2. 视频咨询: a citizen signs in and has a video consultation booked at 思明区公共法律服务中心 (its demo schedule
   视频法律咨询); 我的预约 and the desk's appointment and day pages link to the same unguessable Jitsi Meet room.
   The links are read, never opened (no call to the meeting server).
3. 上门服务: the same citizen asks on the portal for a home visit for a disabled relative; the centre's clerk sees
   it 待安排 on the matter, schedules it and records the visit, and the matter shows the record.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, new_page, sign_in
from .test_advisors import png
from .test_foundation import pick_region
from .test_matter_flow import act

pytestmark = pytest.mark.browser

PHONE = "13612347788"
ID17 = "35020319800415123"  # a 思明区 area code, born 1980; nobody's real number
ID_NUMBER = ID17 + id_check_digit(ID17)
ROOM_LINK = re.compile(r"^https://meet\.jit\.si/fawang[0-9a-f]{40}$")


def shell(site: Site, code: str) -> str:
    return site.manage("shell", "-c", code).strip().splitlines()[-1]


def sign_in_code(site: Site) -> str:
    out = site.manage(
        "shell",
        "-c",
        "from fawang.notify.models import Message; "
        f"print(Message.objects.filter(kind='otp.login', phone='{PHONE}').latest('created_at').body)",
    )
    match = re.search(r"\b(\d{6})\b", out)
    assert match, out
    return match.group(1)


def test_a_suggestion_on_the_room_page_is_answered_there(site: Site, browser: Any) -> None:
    room = shell(
        site,
        "from fawang.orgs.models import Unit; "
        "print(Unit.objects.filter(kind='room', parent__name='厦港街道公共法律服务工作站').order_by('pk')[0].pk)",
    )
    villager = new_page(browser, mobile=True)
    villager.goto(f"{site.url}/advisors/rooms/{room}/")
    box = villager.locator("#suggest")
    box.get_by_label("意见或建议").fill("希望法律顾问每月有一个周六来村里。")
    box.get_by_label(re.compile("^同意在本页公开答复")).check()
    box.get_by_role("button", name="提交意见").click()
    expect(villager.locator(".messages")).to_contain_text("厦港街道公共法律服务工作站")
    assert villager.url.endswith(f"/advisors/rooms/{room}/")

    clerk = new_page(browser)
    sign_in(clerk, site, "sm_clerk")
    clerk.goto(f"{site.url}/console/frontdesk/suggestions/")
    clerk.get_by_role("link", name=re.compile(r"^\d{4}-\d{2}-\d{2}")).first.click()
    expect(clerk.locator("main")).to_contain_text("希望法律顾问每月有一个周六来村里。")
    clerk.get_by_label(re.compile("^答复")).fill("已安排每月第一个周六上午驻点。")
    clerk.get_by_role("button", name="答复").click()
    expect(clerk.locator(".alert-success")).to_have_text("已答复。")

    villager.reload()
    answer = villager.get_by_test_id("published-answer")
    expect(answer).to_contain_text("希望法律顾问每月有一个周六来村里。")
    expect(answer).to_contain_text("已安排每月第一个周六上午驻点。")


def test_a_video_consultation_and_a_home_visit(site: Site, browser: Any) -> None:
    # The citizen signs in on the phone and gives real-name details.
    phone = new_page(browser, mobile=True)
    phone.goto(f"{site.url}/me/home-visits/new/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("登录 / 注册")
    phone.get_by_role("textbox", name=re.compile("^手机号码")).fill(PHONE)
    phone.get_by_role("button", name="获取验证码").click()
    expect(phone.get_by_text(f"验证码已发送至 {PHONE[:3]}****{PHONE[-4:]}")).to_be_visible()
    phone.get_by_role("textbox", name=re.compile("^短信验证码")).fill(sign_in_code(site))
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("实名信息")
    phone.get_by_role("textbox", name=re.compile("^真实姓名")).fill("郑美华")
    phone.get_by_role("textbox", name=re.compile("^身份证号码")).fill(ID_NUMBER)
    phone.get_by_label(re.compile("^我单独同意本平台处理我的身份证号码")).check()
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("上门服务申请")

    # 上门服务申请 for a disabled relative.
    phone.get_by_label("残疾人", exact=True).check()
    phone.get_by_label("亲属", exact=True).check()
    phone.get_by_label(re.compile("^服务对象姓名")).fill("郑阿公")
    pick_region(phone, "福建省", "厦门市", "思明区", "厦港街道")
    phone.get_by_label(re.compile("^上门地址")).fill("厦港街道沙坡尾 20 号")
    phone.get_by_label(re.compile("^需要什么帮助")).fill("父亲瘫痪在床，想咨询怎样办理意定监护。")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.locator(".alert-success")).to_contain_text("上门服务申请已提交")
    matter = re.search(r"/me/matters/(\d+)/", phone.url)
    assert matter, phone.url

    # The video consultation is booked for the same account (the slot a few hours ahead).
    appointment = shell(
        site,
        "import datetime as dt; from django.utils import timezone; "
        "from fawang.accounts.models import User; from fawang.catalog.models import ServiceItem; "
        "from fawang.frontdesk import actions; from fawang.frontdesk.models import Slot; "
        f"user = User.objects.get(phone='{PHONE}'); "
        "slot = Slot.objects.bookable().filter(schedule__name='视频法律咨询', "
        "starts_at__gt=timezone.now() + dt.timedelta(hours=3)).order_by('starts_at')[0]; "
        "print(actions.do_book(actor=user, slot_id=slot.pk, service_item=ServiceItem.objects.get(code='consultation'),"
        " reason='劳动合同到期不续签，想咨询补偿。').appointment.pk)",
    )
    phone.goto(f"{site.url}/me/appointments/{appointment}/")
    mine = phone.get_by_test_id("meeting-link").get_attribute("href") or ""
    assert ROOM_LINK.match(mine), mine

    clerk = new_page(browser)
    sign_in(clerk, site, "sm_clerk")
    clerk.goto(f"{site.url}/console/frontdesk/appointments/{appointment}/")
    assert clerk.get_by_test_id("meeting-link").get_attribute("href") == mine
    clerk.get_by_role("link", name="预约", exact=True).first.click()
    clerk.wait_for_url("**/console/frontdesk/day/**")  # the day's page, not the appointment's page it left
    assert clerk.get_by_test_id("meeting-link").first.get_attribute("href") == mine

    # The centre's clerk schedules the home visit and records it on the matter.
    clerk.goto(f"{site.url}/console/matters/{matter.group(1)}/")
    expect(clerk.get_by_test_id("home-visit")).to_contain_text("待安排")
    expect(clerk.get_by_test_id("home-visit")).to_contain_text("郑阿公")
    box = clerk.locator("#action-schedule_home_visit")
    box.locator("summary").click()
    box.get_by_label(re.compile("^服务对象类别")).select_option(label="残疾人")
    box.get_by_label(re.compile("^申请人")).select_option(label="亲属")
    box.get_by_label(re.compile("^上门地址")).fill("厦港街道沙坡尾 20 号")
    box.get_by_label(re.compile("^上门日期")).fill(f"{site.now().date() + dt.timedelta(days=1):%Y-%m-%d}")
    box.get_by_label(re.compile("^上门人员")).select_option(index=1)
    box.get_by_role("button", name=re.compile("^确认")).click()
    expect(clerk.get_by_test_id("home-visit")).to_contain_text("已安排")
    act(clerk, "record_home_visit", {"服务记录": "上门讲解意定监护协议和公证办理流程。"})
    expect(clerk.get_by_test_id("home-visit")).to_contain_text("上门讲解意定监护协议和公证办理流程。")
    expect(clerk.get_by_test_id("home-visit")).to_contain_text("已上门")


ADVISOR_OF_FIRST_VILLAGE = (
    "from fawang.orgs.models import AdvisorAssignment; "
    "a = AdvisorAssignment.objects.current().filter(practitioner__user__username='sm_advisor', room__isnull=False)"
    ".select_related('practitioner').order_by('region_id').first(); print(a.pk, a.room_id, a.practitioner.name)"
)


def test_the_advisors_photo_is_shown_only_with_consent(site: Site, browser: Any, tmp_path: Any) -> None:
    """4. 公示牌 details on the room's page: the advisor uploads a photo and consents on their appointment's page;
    the room's page (the one the board's QR code opens) shows the photo and the service days from the schedule;
    once the consent is withdrawn the photo is gone from the page and its address answers 404."""
    assignment, room, name = shell(site, ADVISOR_OF_FIRST_VILLAGE).split()
    advisor = new_page(browser)
    sign_in(advisor, site, "sm_advisor")
    advisor.goto(f"{site.url}/console/advisors/assignments/{assignment}/")
    photo = tmp_path / "advisor.png"
    photo.write_bytes(png(12, 16))
    advisor.get_by_label(re.compile("^照片（JPG 或 PNG")).set_input_files(str(photo))
    advisor.get_by_label(re.compile("^法律顾问同意在公示牌和工作室页面公示照片")).check()
    advisor.get_by_role("button", name="保存公示信息").click()
    expect(advisor.locator(".alert-success")).to_have_text("已保存公示信息。")
    expect(advisor.locator("#board-consent")).to_contain_text("已同意（")

    villager = new_page(browser, mobile=True)
    villager.goto(f"{site.url}/advisors/rooms/{room}/")
    image = villager.get_by_role("img", name=f"{name}的照片")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 12
    expect(villager.locator("#advisor-schedule")).to_contain_text("每星期三 09:00–11:30")

    advisor.get_by_label(re.compile("^法律顾问同意在公示牌和工作室页面公示照片")).uncheck()
    advisor.get_by_role("button", name="保存公示信息").click()
    expect(advisor.locator("#board-consent")).to_contain_text("已上传，未同意公示")
    villager.reload()
    expect(villager.get_by_role("img", name=f"{name}的照片")).to_have_count(0)
    assert villager.request.get(f"{site.url}/advisors/rooms/{room}/photo/").status == 404
