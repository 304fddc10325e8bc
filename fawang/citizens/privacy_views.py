"""/me/privacy/: the 个人信息处理规则 to read again (anyone), the person's consent records and withdrawing a
consent (signed-in public accounts). The rules and actions are in fawang/citizens/consent.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.accounts.public import public_user

from . import consent
from .models import Consent


@never_cache
def privacy(request: HttpRequest) -> HttpResponse:
    user = public_user(request)
    context: dict[str, object] = {"notice_version": consent.NOTICE_VERSION, "signed_in": user is not None}
    if user is not None:
        context.update(
            records=list(Consent.objects.filter(user=user).order_by("-given_at", "-pk")),
            personal=consent.has_consent(user, Consent.Purpose.PERSONAL),
            sensitive=consent.has_consent(user, Consent.Purpose.SENSITIVE),
        )
    return render(request, "citizens/privacy.html", context)


@never_cache
@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    user = public_user(request)
    if user is None:
        return redirect(reverse("me:login") + "?" + urlencode({"next": reverse("me:privacy")}))
    purpose = request.POST.get("purpose", "")
    if purpose not in Consent.Purpose.values:
        messages.error(request, _("请选择要撤回的同意。"))
        return redirect("me:privacy")
    withdrawn = consent.do_withdraw_consent(user.pk, purpose=purpose)
    if purpose == Consent.Purpose.PERSONAL:
        logout(request)
        messages.success(request, _("已撤回全部同意，您的真实姓名和身份证号码已删除，并已退出登录。"))
        return redirect("portal:home")
    if withdrawn:
        messages.success(request, _("已撤回对身份证号码的同意，登记的身份证号码已删除。"))
    return redirect("me:privacy")
