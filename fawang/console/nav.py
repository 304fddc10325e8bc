"""The console's navigation, by role: its own entries below, then those business lines register with
``fawang.lib.nav.register`` (from their AppConfig.ready())."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
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


# (language, script prefix, URLconf, the entries) -> (entry, section, label, url) of each entry whose URL exists.
_RESOLVED: dict[tuple[object, ...], list[tuple[Entry, str, str, str]]] = {}


def _resolved() -> list[tuple[Entry, str, str, str]]:
    """Every entry with its section and label in the current language and its URL: the same for every request
    of a process, so worked out once per language. Done per request, the ~50 reverse() and ~100 gettext calls
    were a fifth of a workbench list's CPU (bench_matters)."""
    entries = (*ENTRIES, *nav.registered(), *ACCOUNT_ENTRIES)
    key = (get_language(), get_script_prefix(), get_urlconf(), tuple(id(e) for e in entries))
    found = _RESOLVED.get(key)
    if found is None:
        found = []
        for entry in entries:
            try:
                url = reverse(entry.url_name)
            except Exception:  # noqa: S112 - an entry whose app is not installed yet
                continue
            found.append((entry, str(entry.section), str(entry.label), url))
        _RESOLVED[key] = found  # a plain dict assignment: threads at worst work the same list out twice
    return found


def build_nav(request: HttpRequest) -> list[dict[str, object]]:
    if not is_staff_user(request.user):
        return []
    path = request.path
    home = reverse("console:home")  # once, not once per entry
    out: list[dict[str, object]] = []
    for entry, section, label, url in _resolved():
        if entry.capability and not has_capability(request.user, entry.capability):
            continue
        active = path == url or (url != home and path.startswith(url))
        out.append({"section": section, "label": label, "url": url, "active": active})
    return out
