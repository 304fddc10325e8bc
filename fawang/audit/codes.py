"""Audit action codes: dotted names such as ``orgs.grant_role``, each with a Chinese label.

``record`` refuses a code that is not registered here, so a typo cannot file rows under a name nobody filters
by. Apps add their codes with ``register`` (a new business line from its AppConfig.ready); the ones below are
the writers of units, staff, second factors, credit records, advisors and appointment schedules.

``also`` names the models whose fields may appear in a row's before/after besides the target's own (a new
staff account's first role is a Membership's ``unit``, ``role`` and ``title``), so the console can show each
key with its field's Chinese name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Code:
    code: str
    label: str | Promise
    also: tuple[str, ...] = ()


CODES: dict[str, Code] = {}


def register(code: str, label: str | Promise, *, also: tuple[str, ...] = ()) -> Code:
    entry = Code(code, label, also)
    CODES[code] = entry
    return entry


def label(code: str) -> str:
    entry = CODES.get(code)
    return str(entry.label) if entry else code


def choices() -> list[tuple[str, str]]:
    """(code, label) of every registered code in the current language, grouped by app as registered."""
    return [(entry.code, str(entry.label)) for entry in CODES.values()]


# Units and windows (fawang.orgs.actions, and the Django admin through them).
register("orgs.create_unit", _("新建机构"))
register("orgs.update_unit", _("修改机构信息"))
register("orgs.add_window", _("新增窗口岗位"))
register("orgs.set_window_active", _("启用或停用窗口岗位"))
# Practitioners of the directory (the back office), credit records and village legal advisors.
register("orgs.create_practitioner", _("登记法律服务人员"))
register("orgs.update_practitioner", _("修改法律服务人员信息"))
register("orgs.record_credit", _("录入信用记录"))
register("orgs.appoint_advisor", _("聘任村居法律顾问"))
# Staff and their roles.
register("orgs.create_staff", _("新建工作人员账号"), also=("orgs.membership",))
register("orgs.grant_role", _("授予角色"))
register("orgs.revoke_role", _("撤销角色"))
register("orgs.set_membership_active", _("停用或恢复任职"))
# Accounts: sign-in credentials and profile (fawang.accounts.actions).
register("accounts.create_account", _("新建账号"))
register("accounts.update_account", _("修改账号信息"))
register("accounts.set_account_active", _("启用或禁用账号"))
register("accounts.change_password", _("修改本人密码"))
register("accounts.reset_password", _("管理员重设密码"))
register("accounts.bind_totp", _("绑定动态口令"))
register("accounts.reset_totp", _("重置动态口令"))
register("accounts.recovery_codes", _("生成动态口令恢复码"))
register("accounts.use_recovery_code", _("使用动态口令恢复码"))
register("accounts.sign_in_locked", _("登录锁定"))
register("accounts.sign_in_unlocked", _("解除登录锁定"))
register("citizens.sign_out_device", _("公众用户退出已登录的设备"))
register("citizens.sign_out_browser", _("公众用户退出已登录的浏览器"))
# Appointment schedules (fawang.frontdesk.actions).
register("frontdesk.create_schedule", _("新建预约排班"))
register("frontdesk.update_schedule", _("修改预约排班"))
register("frontdesk.add_rule", _("新增每周时段"))
register("frontdesk.delete_rule", _("删除每周时段"))
register("frontdesk.add_exception", _("设置例外日期"))
register("frontdesk.delete_exception", _("删除例外日期"))
