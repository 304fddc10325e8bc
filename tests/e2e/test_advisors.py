"""Issue 22, Done-when: an advisor logs a visit on a phone; the village committee confirms it with the code sent to
its contact; the month's subsidy appears on the export; a vacancy gets a ranked recommendation from the talent
pool; a publicity activity with photos shows on the town page; a notary request of a legal-aid recipient shows the
fee reduction, and the notary office pre-reviews its materials, then books the appointment."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, new_page, sign_in

pytestmark = pytest.mark.browser

LAST_SMS = (
    "from fawang.notify.models import Message; "
    "m = Message.objects.filter(kind='otp.advisor_confirm').latest('pk'); print(m.body)"
)
FIRST_VILLAGE = (
    "from fawang.orgs.models import AdvisorAssignment; "
    "a = AdvisorAssignment.objects.current().filter(practitioner__user__username='sm_advisor')"
    ".select_related('region').order_by('region_id').first(); print(a.region.name)"
)
MAKE_VACANCY = (
    "import datetime as dt; from fawang.orgs.models import AdvisorAssignment; "
    "a = AdvisorAssignment.objects.current().filter(region__parent_id='350203003').order_by('region_id').last(); "
    "AdvisorAssignment.objects.filter(pk=a.pk).update(ended_on=dt.date(2026, 1, 1)); print(a.region.name)"
)


def png(width: int = 8, height: int = 6) -> bytes:
    """A real (decodable) PNG, orange."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_a_visit_is_logged_on_a_phone_confirmed_and_paid(site: Site, browser: Any) -> None:
    village = site.manage("shell", "-c", FIRST_VILLAGE).strip().splitlines()[-1]
    # 1. The advisor, on a phone, right after the visit.
    phone = new_page(browser, mobile=True)
    sign_in(phone, site, "sm_advisor")
    phone.goto(f"{site.url}/console/advisors/my/")
    card = phone.locator("section.card").filter(has=phone.get_by_role("heading", name=re.compile(village)))
    card.get_by_label("在村时长（小时）").fill("2.5")
    card.get_by_label("解答咨询（人次）").fill("3")
    card.get_by_label("审查村委会文件、合同（份）").fill("1")
    card.get_by_label("工作摘要").fill("审查村集体厂房租赁合同，解答宅基地咨询。")
    card.get_by_role("button", name="提交日志").click()
    expect(phone.locator("#log-status")).to_have_text("待村委会确认")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # 2. The committee's contact opens the link in the SMS on their own phone and confirms with the code.
    sms = site.manage("shell", "-c", LAST_SMS)
    path = re.search(r"(/advisors/confirm/[^/\s]+/)", sms)
    code = re.search(r"确认码 (\d{6})", sms)
    assert path and code, sms
    committee = new_page(browser, mobile=True)
    committee.goto(f"{site.url}{path.group(1)}")
    expect(committee.get_by_text("审查村集体厂房租赁合同")).to_be_visible()
    wrong = f"{(int(code.group(1)) + 1) % 1_000_000:06d}"
    committee.get_by_label("短信确认码").fill(wrong)
    committee.get_by_role("button", name="提交").click()
    expect(committee.get_by_text(re.compile("验证码不正确"))).to_be_visible()
    committee.get_by_label("短信确认码").fill(code.group(1))
    committee.get_by_label("属实，确认").check()
    committee.get_by_label("服务评价").select_option("5")
    committee.get_by_role("button", name="提交").click()
    expect(committee.locator("#confirm-result")).to_contain_text("村委会已确认")

    # 3. The bureau: the month's figures and the export for payment (厦门市's rule: 200 元 a 定点 day, 30 元 a
    # document reviewed).
    page = new_page(browser)
    sign_in(page, site, "sm_supervisor")
    month = site.now().strftime("%Y-%m")
    page.goto(f"{site.url}/console/advisors/monthly/?month={month}&region=350203")
    row = page.locator("#monthly tbody tr").filter(has=page.get_by_role("link", name=village))
    expect(row).to_contain_text("230.00")
    with page.expect_download() as download:
        page.locator("#export-link").click()
    data = Path(download.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    mine = next(r for r in rows[2:] if r[0] == village)
    assert (mine[8], mine[10], mine[11], mine[13], mine[15]) == (1, 2.5, 3, 1, 230.0), mine


def test_a_vacancy_gets_a_ranked_recommendation(site: Site, page: Any) -> None:
    village = site.manage("shell", "-c", MAKE_VACANCY).strip().splitlines()[-1]
    sign_in(page, site, "xm_supervisor")
    page.goto(f"{site.url}/console/advisors/talent/?county=350203")
    vacancy = page.locator("#vacancies li").filter(has_text=village)
    vacancy.get_by_role("link", name="推荐人选").click()
    expect(page.get_by_text("该村（社区）法律顾问岗位空缺")).to_be_visible()
    ranked = page.locator("#ranked > li")
    assert ranked.count() >= 3
    points = [int(re.search(r"(\d+) 分", ranked.nth(i).inner_text()).group(1)) for i in range(ranked.count())]  # type: ignore[union-attr]
    assert points == sorted(points, reverse=True), points
    expect(ranked.first).to_contain_text("执业机构在本县（区）（+20）")
    expect(ranked.first.get_by_role("link", name="聘任")).to_be_visible()


def test_a_publicity_activity_with_photos_shows_on_the_town_page(
    site: Site, page: Any, tmp_path: Any
) -> None:
    sign_in(page, site, "sm_admin")
    page.goto(f"{site.url}/console/publicity/activities/new/")
    page.get_by_label("管理单位").select_option(label="厦港街道司法所")
    page.get_by_label("活动名称").fill("宪法宣传周进社区")
    page.get_by_label("法律六进").select_option(label="进社区")
    page.get_by_label("乡镇（街道）区划代码").fill("350203001")
    page.get_by_label("地点").fill("沙坡尾社区广场")
    started = site.now() - dt.timedelta(hours=2)
    page.get_by_label("开始时间").fill(started.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(re.compile("^对象")).fill("社区居民")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("宪法宣传周进社区")
    page.get_by_label("覆盖人数").fill("160")
    page.get_by_role("button", name="登记开展情况").click()
    expect(page.get_by_text("已登记开展情况")).to_be_visible()
    photo = tmp_path / "activity.png"
    photo.write_bytes(png())
    page.get_by_label("照片（JPG 或 PNG）").set_input_files(str(photo))
    page.get_by_label("说明").fill("宣传周现场")
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_text("已上传照片")).to_be_visible()

    visitor = new_page(page.context.browser, mobile=True)
    visitor.goto(f"{site.url}/publicity/towns/350203001/")
    item = visitor.locator("#recent > li").filter(has_text="宪法宣传周进社区")
    expect(item).to_contain_text("覆盖 160 人")
    image = item.get_by_role("img", name="宣传周现场")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 8
    expect(visitor.locator("#sites")).to_contain_text("厦港街道法治文化公园")


ID = "35020319500101004" + id_check_digit("35020319500101004")
NOTARY = """
from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.matters import actions
from fawang.orgs.models import Unit
from fawang.regions.models import Region
clerk = User.objects.get(username="sm_clerk")
person = actions.PersonData(name="陈阿婆", phone="13512340022", id_number="{ID}")
def submit(code, text, **data):
    return actions.do_submit(
        actor=clerk, person=person, channel="window",
        requests=[actions.MatterRequest(
            service_item=ServiceItem.objects.get(code=code), description=text,
            region=Region.objects.get(code="350203001"), **data)],
        intake_unit=Unit.objects.get(name="思明区公共法律服务中心"),
    ).matters[0]
aid = submit("legal_aid", "儿子车祸身亡，肇事方拒赔，申请法律援助。")
actions.do_accept(aid.pk, actor=None)
notary = submit("notary", "办理继承公证。", item_data={"notary_type": "inheritance"})
print(aid.tracking_no, notary.pk)
"""


def test_a_notary_request_of_a_legal_aid_recipient_shows_the_fee_reduction(site: Site, page: Any) -> None:
    aid_no, notary_pk = (
        site.manage("shell", "-c", NOTARY.replace("{ID}", ID)).strip().splitlines()[-1].split()
    )
    sign_in(page, site, "sysadmin")
    page.goto(f"{site.url}/console/matters/{notary_pk}/")
    # The notary type among the matter's facts (the suggested articles beside it may mark the same word).
    expect(page.get_by_role("definition").filter(has_text=re.compile(r"^继承$"))).to_be_visible()
    reduction = page.get_by_text(re.compile("减收或者免收公证费"))
    expect(reduction).to_be_visible()
    expect(reduction).to_contain_text(aid_no)

    # 材料预审: one material missing, told at once; no booking until the materials are complete.
    panel = page.locator("section", has=page.get_by_role("heading", name="公证：材料预审与预约"))
    panel.get_by_label("被继承人死亡证明").check()
    panel.get_by_label("预审意见").fill("请补充死亡证明原件。")
    panel.get_by_role("button", name="记录预审结果并告知申请人").click()
    expect(page.get_by_text("已记录预审结果并告知申请人。")).to_be_visible()
    panel = page.locator("section", has=page.get_by_role("heading", name="公证：材料预审与预约"))
    expect(panel).to_contain_text("尚缺 被继承人死亡证明")
    expect(panel.get_by_role("button", name="预约办理")).to_have_count(0)
    # The materials come in: complete, then the appointment.
    panel.get_by_role("button", name="记录预审结果并告知申请人").click()
    panel = page.locator("section", has=page.get_by_role("heading", name="公证：材料预审与预约"))
    expect(panel).to_contain_text("材料齐全")
    day = (site.now().date() + dt.timedelta(days=3)).isoformat()
    panel.get_by_label("预约日期").fill(day)
    panel.locator("input[name=book-time]").fill("09:30")
    panel.get_by_role("button", name="预约办理").click()
    expect(page.get_by_text("已预约办理时间并告知申请人。")).to_be_visible()
    expect(
        page.locator("section", has=page.get_by_role("heading", name="公证：材料预审与预约"))
    ).to_contain_text(f"{day} 09:30")
