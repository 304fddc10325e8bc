"""Read-mostly admin for the outbox: messages are written by actions only; the one change offered is to
requeue dead messages, through the same action staff use in the console."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.accounts.models import User

from . import actions
from .models import Message

# body and subject are left out on purpose: sensitive ones are shown masked through the admin's methods; the
# recipient's phone, openid or e-mail are a person's data and are shown masked, as in the console's lists.
SHOWN: tuple[str, ...] = (
    "channel",
    "kind",
    "sensitive",
    "user",
    "shown_recipient",
    "shown_subject",
    "shown_body",
    "related_type",
    "related_id",
    "region_code",
    "status",
    "attempts",
    "max_attempts",
    "next_attempt_at",
    "last_error",
    "sent_at",
    "provider_message_id",
    "dedupe_key",
    "read_at",
    "requeued_at",
    "requeued_by",
    "created_at",
)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ["id", "created_at", "channel", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "sensitive", "created_at"]
    search_fields = ["kind", "dedupe_key", "provider_message_id", "related_id"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    actions = ["requeue_dead"]
    fields = SHOWN
    readonly_fields = SHOWN

    @admin.display(description=gettext_lazy("收件人"))
    def recipient(self, obj: Message) -> str:
        who = str(obj.user) if obj.user_id else ""
        return " · ".join(x for x in (who, obj.recipient_masked) if x)

    @admin.display(description=gettext_lazy("收件地址"))
    def shown_recipient(self, obj: Message) -> str:
        return obj.recipient_masked

    @admin.display(description=gettext_lazy("标题"))
    def shown_subject(self, obj: Message) -> str:
        return obj.subject_masked

    @admin.display(description=gettext_lazy("正文"))
    def shown_body(self, obj: Message) -> str:
        return obj.body_masked

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("重新发送所选死信"))
    def requeue_dead(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        actor = request.user
        assert isinstance(actor, User)
        done, refused = 0, []
        for message in queryset.order_by("pk"):
            try:
                actions.retry_dead(message.pk, actor=actor)
            except ValidationError as error:
                refused.append(f"#{message.pk}：{''.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, _("已重新加入发送队列 %(n)d 条。") % {"n": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)
