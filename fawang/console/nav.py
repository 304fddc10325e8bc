"""The console's navigation, by role: its own entries below, then those business lines register with
``fawang.lib.nav.register`` (from their AppConfig.ready())."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fawang.lib import nav
from fawang.lib.nav import Entry
from fawang.orgs.roles import has_capability, is_staff_user

ENTRIES: list[Entry] = [
    Entry(_("工作台"), _("首页"), "console:home"),
    Entry(_("机构与人员"), _("行政区划"), "console:region_list", "orgs.view_directory"),
    Entry(_("机构与人员"), _("服务机构"), "console:unit_list", "orgs.view_directory"),
    Entry(_("机构与人员"), _("法律服务人员"), "console:practitioner_list", "orgs.view_directory"),
    Entry(_("机构与人员"), _("村居法律顾问"), "console:advisor_list", "orgs.view_directory"),
    Entry(_("机构与人员"), _("工作人员"), "console:staff_list", "orgs.view_directory"),
    Entry(_("机构与人员"), _("操作记录"), "console:audit_list", "audit.view"),
    Entry(_("服务事项"), _("我的待办"), "matters:my_queue", "matters.comment"),
    Entry(_("服务事项"), _("本单位事项"), "matters:unit_queue", "matters.comment"),
    Entry(_("服务事项"), _("受理登记"), "matters:intake", "matters.intake"),
    Entry(_("服务事项"), _("全部事项"), "matters:list", "matters.supervise"),
    Entry(_("服务事项"), _("超期与预警"), "matters:supervision", "matters.supervise"),
    Entry(_("服务事项"), _("差评与回访"), "matters:feedback", "matters.callback"),
    Entry(_("预约服务"), _("今日预约"), "frontdesk:day", "frontdesk.desk"),
    Entry(_("预约服务"), _("探视预约审核"), "frontdesk:reviews", "frontdesk.review"),
    Entry(_("预约服务"), _("预约排班"), "frontdesk:schedules", "frontdesk.manage_schedule"),
    Entry(_("消息通知"), _("消息发件箱"), "notify:outbox", "notify.view_outbox"),
    Entry(_("知识库"), _("指南问答案例"), "knowledge_console:list", "knowledge.write"),
]
# Last in the menu, after the lines' entries.
ACCOUNT_ENTRIES: list[Entry] = [
    Entry(_("我的账户"), _("修改密码"), "accounts:password_change"),
    Entry(_("我的账户"), _("动态口令"), "accounts:totp_setup"),
]


def build_nav(request: HttpRequest) -> list[dict[str, object]]:
    if not is_staff_user(request.user):
        return []
    path = request.path
    home = reverse("console:home")  # once, not once per entry
    out: list[dict[str, object]] = []
    for entry in [*ENTRIES, *nav.registered(), *ACCOUNT_ENTRIES]:
        if entry.capability and not has_capability(request.user, entry.capability):
            continue
        try:
            url = reverse(entry.url_name)
        except Exception:  # noqa: S112 - an entry whose app is not installed yet
            continue
        active = path == url or (url != home and path.startswith(url))
        # Evaluated per request, in the user's language.
        out.append({"section": str(entry.section), "label": str(entry.label), "url": url, "active": active})
    return out
