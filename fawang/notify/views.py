"""The console outbox (staff, scoped by region) and the public in-app inbox (a person's own messages).

Staff never see a one-time code: sensitive bodies are masked in lists and on the detail page alike, and phone
numbers are masked in lists. Bodies are plain text, always escaped by the templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.accounts.models import User
from fawang.accounts.public import citizen_user
from fawang.orgs.roles import require_capability
from fawang.orgs.web import staff_required, staff_user

from . import actions, scopes
from .access import get_message_for_user
from .forms import OutboxFilterForm
from .models import Message
from .senders import local_channels

OUTBOX_PER_PAGE = 50
INBOX_PER_PAGE = 20
View = Callable[..., HttpResponse]


def _paginate(request: HttpRequest, queryset: QuerySet[Message], per_page: int) -> tuple[Page, str]:
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _day_start(day: dt.date) -> dt.datetime:
    # A range on the column itself (not created_at__date) keeps the created_at index usable.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _can_retry(user: User, message: Message) -> bool:
    return (
        message.status == Message.Status.DEAD
        and not message.sensitive
        and scopes.may(user, "notify.view_outbox", message)
    )


# --- console outbox ---------------------------------------------------------------------------------------


@staff_required
def outbox(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "notify.view_outbox")
    visible = Message.objects.visible_to(user)
    rows = visible
    form = OutboxFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["channel"]:
            rows = rows.filter(channel=data["channel"])
        if data["kind"]:
            rows = rows.filter(kind__startswith=data["kind"])
        if data["phone"]:
            rows = rows.filter(phone=data["phone"])
        if data["date_from"]:
            rows = rows.filter(created_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            rows = rows.filter(created_at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    page, qs = _paginate(request, rows.select_related("user").order_by("-created_at", "-pk"), OUTBOX_PER_PAGE)
    by_status = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    return render(
        request,
        "notify/outbox.html",
        {
            "form": form,
            "page_obj": page,
            "qs": qs,
            "failed": by_status.get(Message.Status.FAILED, 0),
            "dead": by_status.get(Message.Status.DEAD, 0),
            "waiting": by_status.get(Message.Status.QUEUED, 0) + by_status.get(Message.Status.SENDING, 0),
            "local_channels": [
                Message.Channel(c).label for c in local_channels() if c in Message.Channel.values
            ],
        },
        status=400 if form.errors else 200,
    )


@staff_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    # The row first: a message outside the user's regions is the same 404 whatever their role.
    message = get_message_for_user(user, pk)
    require_capability(user, "notify.view_outbox")
    return render(
        request,
        "notify/message_detail.html",
        {"m": message, "can_retry": _can_retry(user, message), "local_channels": local_channels()},
    )


@require_POST
@staff_required
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    message = get_message_for_user(user, pk)
    try:
        actions.retry_dead(message.pk, actor=user)
    except ValidationError as error:
        messages.error(request, "".join(error.messages))
    else:
        messages.success(request, _("已重新加入发送队列，尝试次数已清零。"))
    return redirect("notify:message_detail", pk=message.pk)


# --- public inbox -----------------------------------------------------------------------------------------


def public_required(view: View) -> View:
    """A signed-in member of the public; staff accounts have no inbox here (404, as the console does to the
    public)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            login_url = getattr(settings, "PUBLIC_LOGIN_URL", None) or settings.LOGIN_URL
            return redirect_to_login(request.get_full_path(), login_url)
        if getattr(request.user, "kind", None) != User.Kind.PUBLIC:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _inbox_url(request: HttpRequest) -> str:
    url = reverse("notify_inbox:inbox")
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url


@never_cache
@public_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = citizen_user(request)
    rows = Message.objects.inbox_of(user)
    page, qs = _paginate(request, rows.order_by("-created_at", "-pk"), INBOX_PER_PAGE)
    unread = rows.filter(read_at__isnull=True).count()
    return render(request, "notify/inbox.html", {"page_obj": page, "qs": qs, "unread": unread})


@require_POST
@public_required
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    message = actions.mark_read(pk, actor=citizen_user(request))
    if request.headers.get("HX-Request"):
        return render(
            request, "notify/_inbox_item.html", {"m": message, "page": request.POST.get("page", "")}
        )
    return redirect(_inbox_url(request))


@require_POST
@public_required
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = actions.mark_all_read(actor=citizen_user(request))
    if count:
        messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
    return redirect(_inbox_url(request))
