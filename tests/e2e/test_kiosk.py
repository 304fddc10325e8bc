"""Issue 17, item 7 (自助终端): at 厦港街道's terminal a visitor browses booking by touch and gets the QR code of the
portal's booking page for the chosen item and day; then tracks a matter by ID card number + tracking number, sees
its status and an upload QR code, and uploads a file from their own phone (a second browser context) by that code.
The terminal shows the file arrived within seconds; the link takes nothing more; and after the idle timeout the
terminal is back on its home page with nothing of the matter on screen."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, new_page

pytestmark = pytest.mark.browser

POINT = "厦港街道公共法律服务工作站"
ID17 = "35020319700412301"  # a 思明区 area code, born 1970; nobody's real number
ID_NUMBER = ID17 + id_check_digit(ID17)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# A legal-aid application taken in at the window, waiting for one more document (一次性告知).
SUBMIT = f"""
from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.matters import actions
from fawang.orgs.models import Unit
from fawang.regions.models import Region
point = Unit.objects.get(name="{POINT}")
result = actions.do_submit(
    actor=User.objects.get(username="sm_clerk"),
    person=actions.PersonData(name="郑阿伯", phone="13712340017", id_number="{ID_NUMBER}"),
    requests=[actions.MatterRequest(
        service_item=ServiceItem.objects.get(code="legal_aid"),
        description="用人单位拖欠三个月工资，申请法律援助。",
        region=Region.objects.get(code="350203001"),
    )],
    channel="window",
    intake_unit=point,
)
matter = result.matters[0]
actions.do_request_materials(matter.pk, actor=None, missing=["劳动合同或工资条"])
print(point.pk, matter.tracking_no)
"""


def decode_qr(img: Any) -> str:
    import zxingcpp
    from PIL import Image

    src = img.get_attribute("src")
    assert src and src.startswith("data:image/png;base64,"), src
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))))
    assert found, "no QR code found"
    return str(found[0].text)


def test_booking_tracking_and_an_upload_from_the_phone_at_the_terminal(site: Site, browser: Any) -> None:
    point_id, tracking_no = site.manage("shell", "-c", SUBMIT).strip().splitlines()[-1].split()
    kiosk = new_page(browser)
    kiosk.clock.install()  # time runs as usual; step 6 jumps over the idle timeout
    home = f"{site.url}/queue/kiosk/{point_id}/"

    # 1. Booking by touch: an item, a day, then the QR code of the portal's booking page for both.
    kiosk.goto(home)
    kiosk.get_by_role("link", name="预约办理").click()
    kiosk.get_by_role("link", name="法律咨询", exact=True).click()
    expect(kiosk.get_by_text("第二步")).to_be_visible()
    kiosk.locator("a.kiosk-button").first.click()
    target = decode_qr(kiosk.get_by_test_id("kiosk-book-qr"))
    assert re.search(rf"/me/appointments/new/{point_id}/\?item=\d+&date=\d{{4}}-\d{{2}}-\d{{2}}$", target), (
        target
    )

    # 2. Tracking by ID card number + tracking number.
    kiosk.get_by_test_id("kiosk-home").click()
    kiosk.get_by_role("link", name="查询进度、上传材料").click()
    kiosk.get_by_label("身份证号码").fill(ID_NUMBER)
    kiosk.get_by_label("受理编号").fill(tracking_no)
    kiosk.get_by_role("button", name="查询").click()
    expect(kiosk.get_by_test_id("kiosk-status")).to_have_text("待补正")
    expect(kiosk.locator("body")).not_to_contain_text("郑阿伯")
    link = decode_qr(kiosk.get_by_test_id("kiosk-upload-qr"))
    assert re.fullmatch(rf"{re.escape(site.url)}/queue/up/[A-Za-z0-9_-]{{40,}}/", link), link

    # 3. The person's own phone (another browser, no cookies of the terminal) opens the code and uploads.
    phone = new_page(browser, mobile=True)
    phone.goto(link)
    phone.get_by_label("补正材料文件").set_input_files(
        files=[{"name": "工资条.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    phone.get_by_role("button", name="上传").click()
    expect(phone.get_by_test_id("upload-done")).to_contain_text("已上传 1 份材料")

    # 4. The terminal sees it arrive (it polls every 2 s).
    expect(kiosk.get_by_test_id("handoff-arrived")).to_contain_text("已收到 1 份材料", timeout=6000)

    # 5. Single use: the code opened again takes nothing more.
    phone.goto(link)
    expect(phone.get_by_role("alert")).to_contain_text("二维码已失效")
    expect(phone.get_by_label("补正材料文件")).to_have_count(0)

    # 6. Left alone, the terminal goes home and the matter is gone from the screen (and from going back).
    kiosk.clock.fast_forward(61_000)
    kiosk.wait_for_url(home)
    expect(kiosk.locator("body")).not_to_contain_text(tracking_no)
    kiosk.go_back()
    expect(kiosk.locator("body")).not_to_contain_text(tracking_no)
    expect(kiosk.locator("body")).not_to_contain_text("待补正")
    phone.context.close()
    kiosk.context.close()
